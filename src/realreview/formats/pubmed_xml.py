"""PubMed XML (``<PubmedArticleSet>``, from "Save as XML" or E-utilities efetch), streamed.

The file is fed line by line to :class:`xml.etree.ElementTree.XMLPullParser`; each
``<PubmedArticle>`` (or ``<PubmedBookArticle>``) is flattened into raw ``(tag, value)`` pairs as
soon as its end tag arrives, and then cleared, so memory stays flat however large the file.

The flattening keeps everything useful under readable tags: leaf elements under their own name,
qualified by their kind attribute (``("ArticleId[doi]", ...)``, ``("ELocationID[doi]", ...)``,
``("PubMedPubDate[received]", "2019 04 26")``); children of a few containers under the container's
name (``("Journal/Title", ...)``, ``("MeshHeading/DescriptorName", ...)``, ``("Reference/Citation",
...)``), so that a cited article's PMID never passes for the record's own; dates as one value; authors
as ``("Author", "Family, Given")``; abstract sections as ``("AbstractText", "LABEL: text")``.

This reader is hand-written because the standard library suffices, because it must stream, and
because it keeps what PubMed wrote as raw pairs next to the normalised fields.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Iterator

from realreview.formats.base import Diagnostics
from realreview.formats.xmlstream import iter_xml_elements
from realreview.records import Record, make_record

__all__ = ["read"]

_RECORD_TAGS = frozenset({"PubmedArticle", "PubmedBookArticle"})
_SCOPES = frozenset(
    {
        "Journal",
        "Book",
        "MeshHeading",
        "Chemical",
        "Grant",
        "CommentsCorrections",
        "Reference",
        "OtherAbstract",
        "Investigator",
        "PersonalNameSubject",
        "SupplMeshName",
        "GeneSymbol",
        "DataBank",
        "Section",
    }
)
_KIND_ATTRIBUTES = ("IdType", "EIdType", "PubStatus", "IssnType", "DateType", "Source", "RefType")
_DATE_PARTS = frozenset({"Year", "Month", "Day", "Hour", "Minute", "Second", "Season", "MedlineDate"})
_INLINE = frozenset({"i", "b", "u", "sup", "sub"})
_NAME_PARTS = frozenset({"LastName", "ForeName", "Initials", "Suffix", "CollectiveName"})

Pairs = list[tuple[str, str]]


def read(lines: Iterable[str], diagnostics: Diagnostics) -> Iterator[Record]:
    """Yield one :class:`~realreview.records.Record` per ``<PubmedArticle>`` in ``lines``.

    Args:
        lines: The decoded lines of the file.
        diagnostics: Where an article without a PMID is reported.

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
        if record.pmid is None:
            diagnostics.add(f"<{element.tag}> has no PMID; kept", record=position, line=line)
        yield record


def _flatten(children: Iterable[ET.Element], prefix: str, pairs: Pairs) -> None:
    """Append the raw pairs for ``children`` and their descendants, named as the module explains."""
    for child in children:
        name = child.tag
        if name == "AuthorList":
            _add_authors(child, prefix, pairs)
        elif name == "AbstractText":
            label = child.get("Label")
            text = _text(child)
            if text:
                pairs.append((f"{prefix}AbstractText", f"{label}: {text}" if label else text))
        elif _is_text(child):
            text = _text(child)
            if text:
                pairs.append((prefix + _qualified(child), text))
        elif _is_date(child):
            pairs.append((prefix + _qualified(child), _date_text(child)))
        else:
            _flatten(child, f"{_qualified(child)}/" if name in _SCOPES else prefix, pairs)


def _add_authors(author_list: ET.Element, prefix: str, pairs: Pairs) -> None:
    """Add ``("Author", "Family, Given")`` (or ``Editor``) per author, followed by their details."""
    role = prefix + ("Editor" if author_list.get("Type") == "editors" else "Author")
    for author in author_list:
        name = _author_name(author)
        if name:
            pairs.append((role, name))
        _flatten((child for child in author if child.tag not in _NAME_PARTS), f"{role}/", pairs)


def _author_name(author: ET.Element) -> str | None:
    collective = author.findtext("CollectiveName")
    if collective and collective.strip():
        return _text(author.find("CollectiveName"))
    family = (author.findtext("LastName") or "").strip()
    given = (author.findtext("ForeName") or author.findtext("Initials") or "").strip()
    suffix = (author.findtext("Suffix") or "").strip()
    given = f"{given} {suffix}".strip()
    if not family:
        return given or None
    return f"{family}, {given}" if given else family


def _qualified(element: ET.Element) -> str:
    for attribute in _KIND_ATTRIBUTES:
        kind = element.get(attribute)
        if kind:
            return f"{element.tag}[{kind}]"
    return element.tag


def _is_text(element: ET.Element) -> bool:
    """Whether ``element`` holds text only (possibly with inline markup such as ``<i>`` or MathML)."""
    return all(child.tag in _INLINE or child.tag.startswith("{") for child in element)


def _is_date(element: ET.Element) -> bool:
    return all(child.tag in _DATE_PARTS for child in element)


def _text(element: ET.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _date_text(element: ET.Element) -> str:
    """Write a date element as ``"2019 Nov 02"``, ``"2019 11 7 06:00"`` or its ``MedlineDate``."""
    medline_date = element.findtext("MedlineDate")
    if medline_date:
        return medline_date.strip()
    parts = [element.findtext(part) for part in ("Year", "Month", "Season", "Day")]
    text = " ".join(part.strip() for part in parts if part and part.strip())
    hour = element.findtext("Hour")
    if hour:
        text += f" {hour.strip():0>2}:{(element.findtext('Minute') or '0').strip():0>2}"
    return text


def _to_record(pairs: Pairs, diagnostics: Diagnostics, *, position: int, line: int) -> Record:
    """Map the flattened PubMed pairs onto the normalised fields of a record."""
    values: defaultdict[str, list[str]] = defaultdict(list)
    for tag, value in pairs:
        values[tag].append(value)
    abstract = " ".join(values["AbstractText"]) or None
    return make_record(
        pairs,
        title=values["ArticleTitle"]
        + values["BookTitle"]
        + values["Book/BookTitle"]
        + values["VernacularTitle"],
        authors=values["Author"],
        year=values["Journal/PubDate"] + values["Book/PubDate"] + values["ArticleDate[Electronic]"],
        journal=values["Journal/Title"] + values["MedlineTA"],
        volume=values["Journal/Volume"] + values["Book/Volume"],
        issue=values["Journal/Issue"],
        pages=values["MedlinePgn"],
        start_page=values["StartPage"][0] if values["StartPage"] else None,
        end_page=values["EndPage"][0] if values["EndPage"] else None,
        doi=values["ArticleId[doi]"] + values["ELocationID[doi]"],
        pmid=values["PMID"],
        abstract=abstract,
        keywords=values["Keyword"] + values["MeshHeading/DescriptorName"],
        language=values["Language"],
        publication_type=values["PublicationType"],
        position=position,
        line=line,
        diagnostics=diagnostics,
    )
