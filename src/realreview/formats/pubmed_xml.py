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

from realreview.errors import ParseError
from realreview.formats.base import Diagnostics
from realreview.records import Record, make_record

__all__ = ["iter_xml_elements", "read"]

_FEED_SIZE = 1 << 16
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
        record = _to_record(pairs, position=position, line=line)
        if record.pmid is None:
            diagnostics.add(f"<{element.tag}> has no PMID; kept", record=position, line=line)
        yield record


def iter_xml_elements(lines: Iterable[str], tags: frozenset[str]) -> Iterator[tuple[ET.Element, int]]:
    """Stream ``lines`` through a pull parser, yielding each element named in ``tags`` once complete.

    Each element comes with the line its start tag was read on, and is cleared and detached from its
    parent once the caller moves on, so memory stays flat.

    Args:
        lines: Decoded lines of an XML document (a leading byte-order mark is tolerated).
        tags: Names of the record elements to yield.

    Yields:
        ``(element, start line)`` pairs in document order.

    Raises:
        ParseError: If the XML is not well-formed, or the document ends before its root closes.
    """
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    open_elements: list[ET.Element] = []
    starts: list[int] = []
    number = 0
    for number, line in enumerate(lines, 1):
        text = line.lstrip("\ufeff") if number == 1 else line
        # Whole exports can be one line (EndNote): feed long lines in slices so records are
        # yielded and cleared as they complete rather than after the whole tree is built.
        for offset in range(0, len(text), _FEED_SIZE):
            for event, element in _events(parser, text[offset : offset + _FEED_SIZE]):
                if event == "start":
                    open_elements.append(element)
                    if element.tag in tags:
                        starts.append(number)
                    continue
                open_elements.pop()
                if element.tag in tags:
                    yield element, starts.pop()
                    element.clear()
                    if open_elements:
                        open_elements[-1].remove(element)
    try:
        parser.close()
    except ET.ParseError as error:
        if open_elements:
            inside = open_elements[-1].tag
            for element in reversed(open_elements):
                if element.tag in tags:
                    inside = element.tag
                    break
            raise ParseError(
                f"line {max(number, 1)}: the file ends inside a <{inside}> element (truncated?)"
            ) from error
        raise _not_well_formed(error) from error


def _events(parser: ET.XMLPullParser[ET.Element], text: str) -> list[tuple[str, ET.Element]]:
    """Feed ``text`` and return the events it completes (the pull parser reports errors as events)."""
    try:
        parser.feed(text)
        return list(parser.read_events())  # type: ignore[arg-type]
    except ET.ParseError as error:
        raise _not_well_formed(error) from error


def _not_well_formed(error: ET.ParseError) -> ParseError:
    line, column = error.position
    detail = str(error).split(": line ", 1)[0]
    return ParseError(f"line {line}, column {column + 1}: XML is not well-formed ({detail})")


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


def _to_record(pairs: Pairs, *, position: int, line: int) -> Record:
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
    )
