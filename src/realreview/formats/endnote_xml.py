"""EndNote XML (``<xml><records><record>...``), streamed.

EndNote writes each field as an element named after it, its text wrapped in ``<style>`` elements
that carry fonts (``<title><style face="normal" ...>Acne</style></title>``), and several values of
one field inside a single element separated by carriage returns (``&#xD;``). Whole exports are often
one line with no newline at all, which the pull parser takes in its stride.

Each field becomes raw pairs named by its path inside ``<record>``: ``("titles/title", ...)``,
``("contributors/authors/author", ...)`` (one per author), ``("dates/year", ...)``,
``("periodical/full-title", ...)``; the text is all the field's text, so ``<style>`` wrappers vanish.
Attributes become ``("path@name", value)``, except ``<ref-type name="Journal Article">17</ref-type>``,
which becomes ``("ref-type", "Journal Article")`` and ``("ref-type@number", "17")``. Values of the
fields EndNote uses as lists (:data:`MULTI_VALUE`) are split on carriage returns, one pair each;
prose fields such as the abstract keep their line breaks.

This reader is hand-written because the standard library suffices, because it must stream (see
:func:`~realreview.formats.pubmed_xml.iter_xml_elements`), and because it keeps every field as a raw
pair next to the normalised ones.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Iterator

from realreview.formats.base import Diagnostics
from realreview.formats.xmlstream import iter_xml_elements
from realreview.records import Record, make_record

__all__ = ["MULTI_VALUE", "read"]

MULTI_VALUE = frozenset(
    {"auth-address", "keywords/keyword", "isbn", "electronic-resource-num", "language", "accession-num"}
)
"""Fields (besides authors and URLs) whose carriage-return-separated parts are separate values."""

_RECORD_TAGS = frozenset({"record"})
_PUBMED_DATABASES = re.compile(r"pubmed|medline|\bnlm\b", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\r\n?")

Pairs = list[tuple[str, str]]


def read(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    """Yield one :class:`~realreview.records.Record` per ``<record>`` in ``lines``.

    Args:
        lines: The decoded lines of the file (often a single line).
        diagnostics: Where a record with no title is reported.

    Yields:
        Records in file order, numbered from 1, each with the line of its start tag.

    Raises:
        ParseError: If the XML is not well-formed or the file ends inside an element; the message
            names the line (and column).
    """
    position = 0
    for element, line in iter_xml_elements(lines, _RECORD_TAGS):
        position += 1
        pairs: Pairs = []
        _flatten(element, "", pairs)
        record = _to_record(pairs, diagnostics, position=position, line=line)
        if record.title is None:
            diagnostics.add("record has no title; kept", record=position, line=line)
        yield record


def _flatten(parent: ET.Element, prefix: str, pairs: Pairs) -> None:
    """Append the raw pairs of ``parent``'s fields, named by their path below ``<record>``."""
    for child in parent:
        path = prefix + child.tag
        if child.tag == "ref-type":
            _add_ref_type(child, pairs)
            continue
        pairs.extend((f"{path}@{name}", value) for name, value in child.attrib.items())
        if all(grandchild.tag == "style" for grandchild in child):
            _add_values(path, "".join(child.itertext()), pairs)
        else:
            _flatten(child, f"{path}/", pairs)


def _add_ref_type(element: ET.Element, pairs: Pairs) -> None:
    number = (element.text or "").strip()
    name = element.get("name")
    pairs.append(("ref-type", name or number))
    if name and number:
        pairs.append(("ref-type@number", number))


def _add_values(path: str, text: str, pairs: Pairs) -> None:
    """Add one field's text: split into values for list fields, line breaks normalised for the rest."""
    if path in MULTI_VALUE or path.endswith(("/author", "/url")):
        pairs.extend((path, part.strip()) for part in text.split("\r") if part.strip())
    elif text.strip():
        pairs.append((path, _LINE_BREAKS.sub("\n", text.strip())))


def _to_record(pairs: Pairs, diagnostics: Diagnostics, *, position: int, line: int) -> Record:
    """Map EndNote fields onto the normalised fields of a record."""
    values: defaultdict[str, list[str]] = defaultdict(list)
    for tag, value in pairs:
        values[tag].append(value)
    return make_record(
        pairs,
        title=values["titles/title"],
        authors=values["contributors/authors/author"],
        year=values["dates/year"] + values["dates/pub-dates/date"],
        journal=values["periodical/full-title"]
        + values["titles/secondary-title"]
        + values["periodical/abbr-1"],
        volume=values["volume"],
        issue=values["number"] + values["issue"],
        pages=values["pages"],
        doi=values["electronic-resource-num"],
        pmid=_pmid(values),
        abstract=values["abstract"],
        keywords=values["keywords/keyword"],
        language=values["language"],
        publication_type=values["ref-type"],
        position=position,
        line=line,
        diagnostics=diagnostics,
    )


def _pmid(values: defaultdict[str, list[str]]) -> list[str]:
    """The accession numbers that are PubMed ids: those of a PubMed/MEDLINE source, or linked to PubMed.

    EndNote's accession number is whatever the source database calls its id (a CINAHL or Embase
    number, say), so it is taken as a PMID only when the record says it came from PubMed/MEDLINE/NLM,
    or when it is all digits and a URL of the record points to PubMed.
    """
    accessions = values["accession-num"]
    source = " ".join(values["remote-database-name"] + values["remote-database-provider"])
    if _PUBMED_DATABASES.search(source):
        return accessions
    urls = " ".join(value for tag, items in values.items() if tag.endswith("/url") for value in items)
    if "pubmed" in urls.lower():
        return [accession for accession in accessions if accession.isdigit()]
    return []
