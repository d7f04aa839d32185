"""Read a REFI-QDA file (``.qdpx`` archive, bare ``.qde`` or ``.qdc`` codebook) into a :class:`QdaProject`.

:func:`read_refi_qda` tells the three apart by their content, not their name: a zip is a project
archive, XML whose root is ``<Project>`` a bare project file, ``<CodeBook>`` a codebook
(:mod:`realreview.coding.qdc`).

The whole file is checked before anything is returned, and every failure is a
:class:`~realreview.errors.ParseError` whose message names the file, the line and the element, e.g.
``"x.qdpx: project.qde line 12: PlainTextSelection 6a...: endPosition 900 beyond the text (812
characters)"``:

1. the XML must be well-formed; a project that is not valid against QDA-XML 1.0 is still read when
   what RealReview needs can be read from it (tools deviate from the schema in small ways: an
   attribute left out, elements in another order), with the first schema error as a note; if it
   cannot be read, that schema error is the error;
2. GUIDs must be unique within their kind, and every ``CodeRef``, ``NoteRef``, ``SourceRef``,
   ``VariableRef`` and set member must name something the project defines (the schema cannot check
   this);
3. each source's text must be found, and each selection's offsets must fall inside it.

GUIDs are normalised to lower case without braces, so references match whatever the spelling.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from realreview.coding.qda import (
    CaseValue,
    QdaCase,
    QdaCode,
    QdaNote,
    QdaProject,
    QdaSet,
    QdaUser,
    QdaVariable,
)
from realreview.coding.qdc import read_qdc
from realreview.coding.qdpx_archive import SourceFiles, open_qdpx
from realreview.coding.qdpx_limits import QdaLimits, check_depth, check_xml_size
from realreview.coding.qdpx_schema import (
    NAMESPACE,
    SCHEMA_NAME,
    dangling_refs,
    duplicate_guids,
    local_name,
    normal_guid,
    parse_xml,
    schema_errors,
)
from realreview.coding.qdpx_sources import (
    ImportContext,
    child,
    children,
    guid_of,
    read_source,
    read_text,
    refs,
    text_of,
    when,
)
from realreview.errors import ParseError

__all__ = ["read_qde", "read_qdpx", "read_refi_qda"]

_Q = f"{{{NAMESPACE}}}"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def read_refi_qda(
    data: bytes,
    *,
    name: str,
    files: Mapping[str, bytes] | None = None,
    max_unpacked: int | None = None,
    limits: QdaLimits | None = None,
) -> QdaProject:
    """Read whichever REFI-QDA file ``data`` is: a ``.qdpx``, a bare ``project.qde`` or a ``.qdc``.

    Args:
        data: The file's bytes.
        name: The file's name, used in messages.
        files: For a bare ``.qde``, the files beside it by relative name (see
            :func:`~realreview.coding.qdpx_archive.folder_files`); ignored otherwise.
        max_unpacked: The most bytes a ``.qdpx`` may unpack to (overrides ``limits``).
        limits: Sizes, ratios and depth the file may reach (checked before it is unpacked or parsed).

    Raises:
        ParseError: If the file is none of the three, or is broken (the message names the line).
        EmptyFileError: If ``data`` is empty.
        FileTooLargeError: If the file goes past ``limits``.
    """
    limits = limits or QdaLimits()
    if max_unpacked is not None:
        limits = replace(limits, max_unpacked=max_unpacked)
    if data.startswith(_ZIP) or not data.strip() or (name.lower().endswith(".qdpx") and not _is_xml(data)):
        # The archive reader says what is wrong (empty, not a zip, a broken zip...).
        return read_qdpx(data, name=name, limits=limits)
    if not _is_xml(data):
        raise ParseError(
            f"{name}: not a REFI-QDA file: neither a .qdpx archive (zip) nor a .qde project or .qdc codebook (XML)"
        )
    check_xml_size(data, where=name, limits=limits)
    root = _root_name(data)
    if root == "CodeBook" or (root is None and name.lower().endswith(".qdc")):
        check_depth(data, where=name, limits=limits)
        return read_qdc(data, name=name)
    if root in ("Project", None):
        # None: broken XML, whose error read_qde reports with its line.
        return read_qde(data, name=name, files=files, limits=limits)
    raise ParseError(
        f"{name}: not a REFI-QDA file: its root element is <{root}>, not <Project> (.qde) or <CodeBook> (.qdc)"
    )


def _is_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _root_name(data: bytes) -> str | None:
    """The local name of the document element, or ``None`` if the XML breaks before it."""
    events = etree.iterparse(
        io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        for _, element in events:
            return local_name(element)
    except etree.XMLSyntaxError:
        return None
    return None


def read_qdpx(
    data: bytes, *, name: str, max_unpacked: int | None = None, limits: QdaLimits | None = None
) -> QdaProject:
    """Read a ``.qdpx`` archive: its ``.qde`` project file and the source files it points to.

    Args:
        data: The archive's bytes.
        name: The file's name, used in messages.
        max_unpacked: The most bytes the archive may unpack to (overrides ``limits``).
        limits: What the archive may declare and its project XML may hold.

    Returns:
        The project; ``notes_on_import`` lists what was left out (pictures, audio, extra ``.qde``...).

    Raises:
        ParseError: If the archive or its project is broken (see the module docstring).
        EncodingError: If a source's text file is not UTF-8 (or UTF-16 with a BOM).
        FileTooLargeError: If the archive goes past ``limits`` (checked before anything is unpacked).
        EmptyFileError: If ``data`` is empty.
    """
    limits = limits or QdaLimits()
    archive = open_qdpx(data, name=name, max_unpacked=max_unpacked, limits=limits)
    folder = archive.qde_name.rpartition("/")[0]
    files = SourceFiles(archive.files, base=f"{folder}/" if folder else "")
    context = ImportContext(label=name, where=f"{name}: {archive.qde_name}", files=files)
    if archive.other_qde:
        context.notes.append(
            f"only {archive.qde_name} was read; also in the archive: {', '.join(archive.other_qde)}"
        )
    check_depth(archive.qde, where=context.where, limits=limits)
    return _read(archive.qde, context)


def read_qde(
    xml: bytes, *, name: str, files: Mapping[str, bytes] | None = None, limits: QdaLimits | None = None
) -> QdaProject:
    """Read a bare ``project.qde``; ``files`` maps names to bytes for its ``internal://`` paths.

    Raises:
        ParseError: If the project is broken (see the module docstring).
        EncodingError: If a source's text file is not UTF-8 (or UTF-16 with a BOM).
    """
    context = ImportContext(
        label=name,
        where=name,
        files=SourceFiles(files or {}),
        missing=f"is not beside {name} (looked in its folder and its sources folder)",
    )
    limits = limits or QdaLimits()
    check_xml_size(xml, where=name, limits=limits)
    check_depth(xml, where=name, limits=limits)
    return _read(xml, context)


def _read(xml: bytes, context: ImportContext) -> QdaProject:
    root, invalid = _checked_root(xml, context)
    if invalid is None:
        return _project(context, root)
    try:
        project = _project(context, root)
    except (AttributeError, TypeError, KeyError, ValueError) as error:
        # The deviation is one we cannot read past: the schema's words say what is wrong.
        raise invalid from error
    note = f"{invalid}; the rest was read as QDA-XML 1.0"
    return replace(project, notes_on_import=(note, *project.notes_on_import))


def _checked_root(xml: bytes, context: ImportContext) -> tuple[Any, ParseError | None]:
    """Parse and check the document: the first problem that stops reading is raised.

    Returns the root and, for a project not valid against the schema, the error naming the first
    schema problem (the caller decides whether the project can be read anyway).
    """
    try:
        root = parse_xml(xml)
    except etree.XMLSyntaxError as error:
        raise context.error_at(error.lineno, f"not well-formed XML: {error.msg}") from error
    entity = next(root.iter(etree.Entity), None)
    if entity is not None:
        raise context.error(
            entity.getparent(), f"the entity {entity.text} is not allowed (entities are never expanded)"
        )
    problems = schema_errors(root)
    invalid = None
    if problems:
        line, message = problems[0]
        invalid = context.error_at(line, f"not valid QDA-XML 1.0 ({SCHEMA_NAME}): {message.replace(_Q, '')}")
    duplicate = next(duplicate_guids(root), None)
    if duplicate is not None:
        raise context.error(duplicate[0], duplicate[1])
    dangling = next(dangling_refs(root), None)
    if dangling is not None:
        raise context.error(dangling[0].getparent(), dangling[1])
    return root, invalid


def _project(context: ImportContext, root: Any) -> QdaProject:
    sources = tuple(
        source
        for container in children(root, "Sources")
        for element in container
        if (source := read_source(context, element)) is not None
    )
    imported = {source.guid for source in sources}
    project = QdaProject(
        name=root.get("name"),
        origin=root.get("origin"),
        users=tuple(
            QdaUser(normal_guid(user.get("guid")), user.get("name") or user.get("id") or "")
            for user in root.iterfind(f"{_Q}Users/{_Q}User")
        ),
        codes=tuple(_code(code) for code in root.iterfind(f"{_Q}CodeBook/{_Q}Codes/{_Q}Code")),
        sources=sources,
        notes=tuple(_note(context, note) for note in root.iterfind(f"{_Q}Notes/{_Q}Note")),
        variables=tuple(
            QdaVariable(normal_guid(v.get("guid")), v.get("name"), v.get("typeOfVariable").strip())
            for v in root.iterfind(f"{_Q}Variables/{_Q}Variable")
        ),
        cases=tuple(_case(context, case, imported) for case in root.iterfind(f"{_Q}Cases/{_Q}Case")),
        description=text_of(root, "Description"),
        note_guids=refs(root, "NoteRef"),
        sets=tuple(_set(context, s, imported) for s in root.iterfind(f"{_Q}Sets/{_Q}Set")),
    )
    context.skip(root.findall(f"{_Q}Links/{_Q}Link"), "links", "RealReview has no links between items")
    context.skip(root.findall(f"{_Q}Graphs/{_Q}Graph"), "graphs", "RealReview draws no graphs")
    return replace(project, notes_on_import=context.summary())


def _code(element: Any) -> QdaCode:
    return QdaCode(
        guid=normal_guid(element.get("guid")),
        name=element.get("name") or "",
        is_codable=(element.get("isCodable") or "true").strip() in ("true", "1"),
        color=element.get("color"),
        description=text_of(element, "Description"),
        children=tuple(_code(sub) for sub in children(element, "Code")),
        note_guids=refs(element, "NoteRef"),
    )


def _note(context: ImportContext, element: Any) -> QdaNote:
    context.skip(children(element, "PlainTextSelection"), "selections in notes", "a note is kept as text")
    return QdaNote(
        guid=normal_guid(element.get("guid")),
        name=element.get("name"),
        text=read_text(context, element) or "",
        creating_user=guid_of(element, "creatingUser"),
        created=when(context, element),
    )


def _value(context: ImportContext, element: Any) -> tuple[str, CaseValue]:
    reference = child(element, "VariableRef")
    assert reference is not None  # the schema requires it
    variable = normal_guid(reference.get("targetGUID"))
    found = [sub for sub in element if local_name(sub) != "VariableRef"]
    if not found:
        return variable, None
    kind, text = local_name(found[0]), found[0].text or ""
    try:
        if kind == "BooleanValue":
            return variable, text.strip() in ("true", "1")
        if kind == "IntegerValue":
            return variable, int(text)
        if kind == "FloatValue":
            return variable, float(Decimal(text.strip()))
    except (ValueError, InvalidOperation) as error:
        raise context.error(found[0], f"{text!r} is not a number") from error
    return variable, text.strip() if kind in ("DateValue", "DateTimeValue") else text


def _kept_sources(context: ImportContext, guids: tuple[str, ...], imported: set[str]) -> tuple[str, ...]:
    dropped = [guid for guid in guids if guid not in imported]
    context.skip(dropped, "references to skipped sources", "the sources themselves were skipped")
    return tuple(guid for guid in guids if guid in imported)


def _case(context: ImportContext, element: Any, imported: set[str]) -> QdaCase:
    context.skip(children(element, "CodeRef"), "codes of cases", "RealReview codes excerpts")
    context.skip(children(element, "SelectionRef"), "selections of cases", "a case's sources are kept")
    return QdaCase(
        guid=normal_guid(element.get("guid")),
        name=element.get("name", ""),
        description=text_of(element, "Description"),
        values=tuple(_value(context, value) for value in children(element, "VariableValue")),
        source_guids=_kept_sources(context, refs(element, "SourceRef"), imported),
    )


def _set(context: ImportContext, element: Any, imported: set[str]) -> QdaSet:
    context.skip(children(element, "MemberNote"), "notes in sets", "RealReview's sets hold codes and sources")
    return QdaSet(
        guid=normal_guid(element.get("guid")),
        name=element.get("name"),
        description=text_of(element, "Description"),
        code_guids=refs(element, "MemberCode"),
        source_guids=_kept_sources(context, refs(element, "MemberSource"), imported),
    )
