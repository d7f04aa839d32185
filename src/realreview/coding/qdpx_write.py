"""Write a :class:`QdaProject` as a REFI-QDA ``.qdpx`` archive that NVivo, ATLAS.ti and MAXQDA open.

The archive holds ``project.qde`` and, under ``sources/``, each PDF's bytes as ``<guid>.pdf``. A
text source's text goes inline (``TextSource`` with ``PlainTextContent``) when XML can carry it, else
as ``sources/<guid>.txt`` (UTF-8 without BOM, exactly the text the offsets were counted on, CRLF
kept): a form feed between pages, for one, cannot be written in XML 1.0. A PDF's text travels in
its ``Representation``, whose GUID is derived from the PDF's (so writing the same project twice
gives the same bytes).

The XML follows the schema's fixed element order and leaves out empty collections (``<Users/>`` is
invalid). Selection offsets are written in UTF-16 code units. Names and descriptions lose the
control characters XML 1.0 cannot carry (a form feed between PDF pages, say). :func:`write_qdpx`
checks its own output against the schema and the references, and raises :class:`ValueError` if it
is not valid: that would be a bug here, or a project whose references do not hold.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from realreview.coding.offsets import Utf16Map
from realreview.coding.qda import (
    CaseValue,
    QdaCase,
    QdaCode,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSet,
    QdaSource,
    QdaVariable,
)
from realreview.coding.qdpx_schema import (
    NAMESPACE,
    dangling_refs,
    duplicate_guids,
    local_name,
    parse_xml,
    validate_project_xml,
)

__all__ = ["project_xml", "representation_guid", "validate_project_xml", "write_qdpx"]

_Q = f"{{{NAMESPACE}}}"
_REPRESENTATION = uuid.UUID("0f3c2a8e-5d7b-4f0e-9a61-3c2b7d9e4a10")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries carry no clock time: the same project, the same bytes
_VALUE_ELEMENTS = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


def representation_guid(source_guid: str) -> str:
    """The GUID of a PDF source's text representation: stable, derived from the source's own.

    >>> representation_guid("55555555-5555-4555-8555-555555555502")
    '8fabf73a-b348-51d5-b7d2-6ae3b0544dae'
    """
    return str(uuid.uuid5(_REPRESENTATION, source_guid.lower()))


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _moment(value: datetime) -> str:
    """An ``xsd:dateTime`` in UTC with ``Z`` (a naive datetime is taken to be UTC already)."""
    utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    timespec = "microseconds" if utc.microsecond else "seconds"
    return utc.replace(tzinfo=None).isoformat(timespec=timespec) + "Z"


def _element(parent: Any, tag: str, **attributes: str | None) -> Any:
    present = {key: _clean(value) for key, value in attributes.items() if value is not None}
    return etree.SubElement(parent, _Q + tag, present)


def _text_element(parent: Any, tag: str, text: str | None) -> None:
    if text is not None:
        _element(parent, tag).text = _clean(text)


def _container(parent: Any, tag: str, items: Iterable[Any]) -> Any | None:
    """The collection element, only if there is something to put in it (empty ones are invalid)."""
    return _element(parent, tag) if list(items) else None


def _refs(parent: Any, guids: Iterable[str], tag: str = "NoteRef") -> None:
    for guid in guids:
        _element(parent, tag, targetGUID=guid)


def _created(creating_user: str | None, created: datetime | None) -> dict[str, str | None]:
    return {"creatingUser": creating_user, "creationDateTime": _moment(created) if created else None}


def _code(parent: Any, code: QdaCode) -> None:
    element = _element(
        parent,
        "Code",
        guid=code.guid,
        name=code.name,
        isCodable=str(code.is_codable).lower(),
        color=code.color,
    )
    _text_element(element, "Description", code.description)
    _refs(element, code.note_guids)
    for sub in code.children:
        _code(element, sub)


def _selection(parent: Any, selection: QdaSelection, offsets: Utf16Map) -> None:
    try:
        start, end = offsets.to_utf16(selection.start), offsets.to_utf16(selection.end)
    except ValueError as error:
        raise ValueError(f"selection {selection.guid}: {error}") from error
    element = _element(
        parent,
        "PlainTextSelection",
        guid=selection.guid,
        name=selection.name,
        startPosition=str(start),
        endPosition=str(end),
        **_created(selection.creating_user, selection.created),
    )
    _text_element(element, "Description", selection.description)
    for coding in selection.codings:
        coded = _element(
            element, "Coding", guid=coding.guid, **_created(coding.creating_user, coding.created)
        )
        _element(coded, "CodeRef", targetGUID=coding.code_guid)
    _refs(element, selection.note_guids)


def _text_body(element: Any, source: QdaSource) -> None:
    offsets = Utf16Map(source.text)
    for selection in source.selections:
        _selection(element, selection, offsets)


def is_inline(source: QdaSource) -> bool:
    """Whether a text source's text goes inline (``PlainTextContent``) rather than as a file.

    Inline whenever XML 1.0 can carry every character of it; a text with a form feed (RealReview's
    page separator) or another control character goes to ``sources/<guid>.txt`` instead, so that no
    character, and so no offset, is lost.
    """
    return source.kind == "text" and _NOT_XML.search(source.text) is None


def _source(parent: Any, source: QdaSource) -> None:
    created = _created(source.creating_user, source.created)
    if source.kind == "text":
        inline = is_inline(source)
        text_path = None if inline else f"internal://{source.guid}.txt"
        element = _element(
            parent, "TextSource", guid=source.guid, name=source.name, plainTextPath=text_path, **created
        )
        _text_element(element, "Description", source.description)
        if inline:
            # Carried whole: lxml writes "\r" as "&#13;", so CRLF survives the XML parser's newline rule.
            _element(element, "PlainTextContent").text = source.text
        _text_body(element, source)
        _refs(element, source.note_guids)
        return
    path = f"internal://{source.guid}.pdf" if source.pdf is not None else None
    element = _element(parent, "PDFSource", guid=source.guid, name=source.name, path=path, **created)
    _text_element(element, "Description", source.description)
    representation_id = representation_guid(source.guid)
    representation = _element(
        element,
        "Representation",
        guid=representation_id,
        name=source.name,
        plainTextPath=f"internal://{representation_id}.txt",
    )
    _text_body(representation, source)
    _refs(element, source.note_guids)


def _number(value: CaseValue, variable: QdaVariable) -> str:
    wrong = ValueError(f"variable {variable.name!r} is {variable.type}, but a value is {value!r}")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise wrong
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except ArithmeticError as error:
        raise wrong from error
    if not number.is_finite():
        raise ValueError(f"variable {variable.name!r}: {value!r} cannot be written as a decimal")
    if variable.type == "Integer" and number != number.to_integral_value():
        raise wrong
    return str(int(number)) if variable.type == "Integer" else format(number, "f")


def _value_text(value: CaseValue, variable: QdaVariable) -> str:
    if variable.type in ("Integer", "Float"):
        return _number(value, variable)
    if variable.type == "Boolean":
        if not isinstance(value, bool):
            raise ValueError(f"variable {variable.name!r} is Boolean, but a value is {value!r}")
        return str(value).lower()
    return str(value)


def _case(parent: Any, case: QdaCase, variables: dict[str, QdaVariable]) -> None:
    element = _element(parent, "Case", guid=case.guid, name=case.name)
    _text_element(element, "Description", case.description)
    for variable_guid, value in case.values:
        variable = variables.get(variable_guid)
        if variable is None:
            raise ValueError(f"case {case.guid}: no variable {variable_guid}")
        holder = _element(element, "VariableValue")
        _element(holder, "VariableRef", targetGUID=variable_guid)
        if value is not None:
            tag = _VALUE_ELEMENTS.get(variable.type)
            if tag is None:
                raise ValueError(f"variable {variable.name!r}: unknown type {variable.type!r}")
            _text_element(holder, tag, _value_text(value, variable))
    _refs(element, case.source_guids, "SourceRef")


def _note(parent: Any, note: QdaNote) -> None:
    element = _element(
        parent, "Note", guid=note.guid, name=note.name, **_created(note.creating_user, note.created)
    )
    _text_element(element, "PlainTextContent", note.text)


def _set(parent: Any, group: QdaSet) -> None:
    element = _element(parent, "Set", guid=group.guid, name=group.name)
    _text_element(element, "Description", group.description)
    _refs(element, group.code_guids, "MemberCode")
    _refs(element, group.source_guids, "MemberSource")


def _tree(project: QdaProject) -> Any:
    root = etree.Element(_Q + "Project", nsmap={None: NAMESPACE})
    root.set("name", _clean(project.name))
    if project.origin is not None:
        root.set("origin", _clean(project.origin))
    if (users := _container(root, "Users", project.users)) is not None:
        for user in project.users:
            _element(users, "User", guid=user.guid, name=user.name)
    if project.codes:
        codes = _element(_element(root, "CodeBook"), "Codes")
        for code in project.codes:
            _code(codes, code)
    if (variables := _container(root, "Variables", project.variables)) is not None:
        for variable in project.variables:
            _element(
                variables, "Variable", guid=variable.guid, name=variable.name, typeOfVariable=variable.type
            )
    if (cases := _container(root, "Cases", project.cases)) is not None:
        by_guid = {variable.guid: variable for variable in project.variables}
        for case in project.cases:
            _case(cases, case, by_guid)
    if (sources := _container(root, "Sources", project.sources)) is not None:
        for source in project.sources:
            _source(sources, source)
    if (notes := _container(root, "Notes", project.notes)) is not None:
        for note in project.notes:
            _note(notes, note)
    if (sets := _container(root, "Sets", project.sets)) is not None:
        for group in project.sets:
            _set(sets, group)
    _text_element(root, "Description", project.description)
    _refs(root, project.note_guids)
    return root


def project_xml(project: QdaProject) -> bytes:
    """The project as a ``project.qde`` document (UTF-8, with an XML declaration).

    >>> print(project_xml(QdaProject("Review")).decode())
    <?xml version='1.0' encoding='utf-8'?>
    <Project xmlns="urn:QDA-XML:project:1.0" name="Review"/>
    <BLANKLINE>

    Raises:
        ValueError: If a selection lies outside its text or a case value does not fit its variable.
    """
    tree = _tree(project)
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="utf-8", pretty_print=True))


def _check(xml: bytes) -> None:
    problems = validate_project_xml(xml)
    if not problems:
        root = parse_xml(xml)
        found = [*duplicate_guids(root), *((e.getparent(), m) for e, m in dangling_refs(root))]
        problems = [
            f"line {e.sourceline}: {local_name(e)} {e.get('guid')}: {message}" for e, message in found
        ]
    if problems:
        raise ValueError(f"the written project.qde is not valid REFI-QDA: {problems[0]}")


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def write_qdpx(project: QdaProject) -> bytes:
    """The project as a ``.qdpx`` archive (see the module docstring for its layout).

    Raises:
        ValueError: If the project cannot be written as valid REFI-QDA (a selection outside its text,
            a reference to a code or note the project lacks, a value that does not fit its variable).
    """
    xml = project_xml(project)
    _check(xml)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "project.qde", xml)
        for source in project.sources:
            text_guid = source.guid if source.kind == "text" else representation_guid(source.guid)
            if not is_inline(source):
                _add(archive, f"sources/{text_guid}.txt", source.text.encode("utf-8"))
            if source.kind == "pdf" and source.pdf is not None:
                _add(archive, f"sources/{source.guid}.pdf", source.pdf)
    return buffer.getvalue()
