"""Reading the ``<Sources>`` of a project file: texts, PDFs and their plain-text selections.

A ``TextSource`` holds its text inline (``PlainTextContent``) or in a file (``plainTextPath``); a
``PDFSource`` carries its text in a ``Representation`` (itself a text source) whose selections are the
PDF's selections. Text files are decoded with ``utf-8-sig`` (NVivo writes a BOM) and kept exactly,
CRLF included, because the file's offsets count those characters; offsets are converted from UTF-16
units to ``str`` indices here, once, with :class:`~realreview.coding.offsets.Utf16Map`.

What RealReview has no place for (pictures, audio, video, PDF regions, codings of a whole source) is
left out and said so in the project's ``notes_on_import``.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from realreview.coding.offsets import Utf16Map
from realreview.coding.qda import QdaCoding, QdaSelection, QdaSource
from realreview.coding.qdpx_archive import SourceFiles
from realreview.coding.qdpx_schema import NAMESPACE, local_name, normal_guid
from realreview.errors import EncodingError, ParseError

__all__ = [
    "ImportContext",
    "child",
    "children",
    "guid_of",
    "read_source",
    "read_text",
    "refs",
    "text_of",
    "when",
]

_Q = f"{{{NAMESPACE}}}"
_MEDIA = {"PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}


class ImportContext:
    """What reading one project file needs everywhere: names for messages, its files, its notes."""

    def __init__(
        self, *, label: str, where: str, files: SourceFiles, missing: str = "is not in the archive"
    ) -> None:
        #: ``label`` names the file given (``x.qdpx``), ``where`` the project file (``x.qdpx: project.qde``)
        self.label, self.where, self.files = label, where, files
        #: How a source file that cannot be found is described (``is not beside project.qde`` for a bare file)
        self.missing = missing
        self.notes: list[str] = []
        self._skipped: Counter[tuple[str, str]] = Counter()

    def error(self, element: Any, message: str) -> ParseError:
        """A :class:`ParseError` naming the file, the line and the element."""
        guid = element.get("guid")
        what = f"{local_name(element)} {guid}" if guid else local_name(element)
        return self.error_at(element.sourceline, f"{what}: {message}")

    def error_at(self, line: int, message: str) -> ParseError:
        """A :class:`ParseError` naming the file and the line."""
        return ParseError(f"{self.where} line {line}: {message}")

    def skip(self, elements: list[Any], noun: str, reason: str) -> None:
        """Count ``elements`` as left out; :meth:`summary` reports each kind once, with how many."""
        if elements:
            self._skipped[noun, reason] += len(elements)

    def summary(self) -> tuple[str, ...]:
        """The notes for the project: individual ones first, then the counted ones."""
        counted = [f"{noun}: {n} not imported ({reason})" for (noun, reason), n in self._skipped.items()]
        return (*self.notes, *counted)


def child(element: Any, name: str) -> Any | None:
    """The first child element called ``name``, or ``None``."""
    return element.find(_Q + name)


def children(element: Any, name: str) -> list[Any]:
    """The child elements called ``name``, in document order."""
    return list(element.iterfind(_Q + name))


def text_of(element: Any, name: str) -> str | None:
    """The text of child ``name``; ``None`` when absent or empty (NVivo writes ``<Description />``)."""
    found = child(element, name)
    return (found.text or None) if found is not None else None


def refs(element: Any, name: str) -> tuple[str, ...]:
    """The (normalised) ``targetGUID`` of each child reference ``name``."""
    return tuple(normal_guid(ref.get("targetGUID", "")) for ref in children(element, name))


def guid_of(element: Any, attribute: str = "guid") -> str | None:
    """A GUID attribute, normalised (lower case, no braces), or ``None`` if absent."""
    value = element.get(attribute)
    return normal_guid(value) if value is not None else None


def when(context: ImportContext, element: Any, attribute: str = "creationDateTime") -> datetime | None:
    """A dateTime attribute as an aware UTC datetime; a time without a zone is taken to be UTC."""
    value = element.get(attribute)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise context.error(
            element, f"{attribute} {value!r} is not a date and time RealReview can read"
        ) from error
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _decode(context: ImportContext, data: bytes, member: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise EncodingError(
            f"{context.label}: {member}: not {encoding.removesuffix('-sig').upper()} text "
            f"(byte {error.start}: {error.reason})"
        ) from error


def read_text(context: ImportContext, element: Any) -> str | None:
    """The plain text of a TextSource-like element; ``None`` if it has rich text only.

    Raises:
        ParseError: If an ``internal://`` ``plainTextPath`` names a file the archive lacks (and no inline
            text is given); a path outside the archive leaves the source out with a note.
    """
    path = element.get("plainTextPath")
    content = child(element, "PlainTextContent")
    if path:
        member = context.files.find(path)
        if member is not None:
            return _decode(context, context.files.read(member), member)
        if content is None and path.lower().startswith("internal://"):
            raise context.error(element, f"plainTextPath {path} {context.missing}")
        if content is None:
            # A source linked from outside the archive (relative:// or absolute://): its text is not
            # here, which is the exporter's choice, not a broken file. Leave it out and say so.
            _skip_source(
                context, element, f"its text {path} is outside the archive; export with sources embedded"
            )
            return None
    if content is not None:
        return str(content.text or "")
    return None if element.get("richTextPath") else ""


def _position(context: ImportContext, element: Any, attribute: str, offsets: Utf16Map) -> int:
    unit = int(element.get(attribute))
    if unit < 0:
        raise context.error(element, f"{attribute} {unit} is negative")
    if unit > offsets.units:
        size = f"{offsets.length} characters"
        if offsets.units != offsets.length:
            size = f"{offsets.units} UTF-16 units, {size}"
        raise context.error(element, f"{attribute} {unit} beyond the text ({size})")
    try:
        return offsets.to_index(unit)
    except ValueError as error:
        raise context.error(element, f"{attribute} {unit} splits a character in two ({error})") from error


def _coding(context: ImportContext, element: Any) -> QdaCoding:
    context.skip(
        children(element, "NoteRef"), "notes attached to codings", "RealReview keeps notes on excerpts"
    )
    code_ref = child(element, "CodeRef")
    assert code_ref is not None  # the schema requires exactly one
    return QdaCoding(
        guid=normal_guid(element.get("guid")),
        code_guid=normal_guid(code_ref.get("targetGUID")),
        creating_user=guid_of(element, "creatingUser"),
        created=when(context, element),
    )


def _selection(context: ImportContext, element: Any, offsets: Utf16Map) -> QdaSelection:
    start = _position(context, element, "startPosition", offsets)
    end = _position(context, element, "endPosition", offsets)
    if start > end:
        raise context.error(
            element,
            f"startPosition {element.get('startPosition')} is after endPosition {element.get('endPosition')}",
        )
    return QdaSelection(
        guid=normal_guid(element.get("guid")),
        start=start,
        end=end,
        name=element.get("name") or None,
        description=text_of(element, "Description"),
        codings=tuple(_coding(context, coding) for coding in children(element, "Coding")),
        note_guids=refs(element, "NoteRef"),
        creating_user=guid_of(element, "creatingUser"),
        created=when(context, element),
    )


def _selections(context: ImportContext, element: Any, text: str) -> tuple[QdaSelection, ...]:
    offsets = Utf16Map(text)
    found = tuple(_selection(context, s, offsets) for s in children(element, "PlainTextSelection"))
    context.skip(children(element, "Coding"), "codings of a whole source", "RealReview codes excerpts")
    context.skip(children(element, "VariableValue"), "variable values of a source", "values belong to cases")
    return found


def _is_linked(element: Any) -> bool:
    """Whether a source's plain text is a file outside the archive (``relative://``, ``absolute://``)."""
    path = element.get("plainTextPath") or ""
    return (
        bool(path)
        and not path.lower().startswith("internal://")
        and child(element, "PlainTextContent") is None
    )


def _skip_source(context: ImportContext, element: Any, why: str) -> None:
    name = element.get("name", "")
    context.notes.append(f"{local_name(element)} {element.get('guid')} {name!r}: skipped ({why})")


def _text_source(context: ImportContext, element: Any) -> QdaSource | None:
    text = read_text(context, element)
    if text is None:
        if not _is_linked(element):
            _skip_source(context, element, "it has rich text only, no plain text")
        return None
    return QdaSource(
        guid=normal_guid(element.get("guid")),
        name=element.get("name", ""),
        text=text,
        description=text_of(element, "Description"),
        selections=_selections(context, element, text),
        note_guids=refs(element, "NoteRef"),
        creating_user=guid_of(element, "creatingUser"),
        created=when(context, element),
    )


def _pdf_bytes(context: ImportContext, element: Any) -> bytes | None:
    path = element.get("path")
    if not path:
        return None
    member = context.files.find(path)
    if member is None:
        context.notes.append(
            f"PDFSource {element.get('guid')} {element.get('name', '')!r}: the PDF {path} {context.missing}; "
            "only its text was imported"
        )
        return None
    return context.files.read(member)


def _pdf_source(context: ImportContext, element: Any) -> QdaSource | None:
    representation = child(element, "Representation")
    text = read_text(context, representation) if representation is not None else None
    if representation is None or text is None:
        _skip_source(context, element, "it has no plain-text representation")
        return None
    context.skip(children(element, "PDFSelection"), "PDF region selections", "RealReview selects text")
    context.skip(children(element, "Coding"), "codings of a whole source", "RealReview codes excerpts")
    context.skip(children(element, "VariableValue"), "variable values of a source", "values belong to cases")
    return QdaSource(
        guid=normal_guid(element.get("guid")),
        name=element.get("name") or representation.get("name", ""),
        text=text,
        kind="pdf",
        pdf=_pdf_bytes(context, element),
        description=text_of(element, "Description") or text_of(representation, "Description"),
        selections=_selections(context, representation, text),
        note_guids=refs(element, "NoteRef") + refs(representation, "NoteRef"),
        creating_user=guid_of(element, "creatingUser"),
        created=when(context, element),
    )


def read_source(context: ImportContext, element: Any) -> QdaSource | None:
    """One child of ``<Sources>`` as a :class:`QdaSource`, or ``None`` (noted) if RealReview skips it."""
    kind = local_name(element)
    if kind == "TextSource":
        return _text_source(context, element)
    if kind == "PDFSource":
        return _pdf_source(context, element)
    _skip_source(context, element, f"RealReview reads text and PDF sources, not {_MEDIA.get(kind, kind)}")
    return None
