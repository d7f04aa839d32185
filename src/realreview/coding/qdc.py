"""REFI-QDA codebooks (``.qdc``): a code tree and its sets, exchanged without any sources.

Taguette, MAXQDA, NVivo, ATLAS.ti and QualCoder export one (``urn:QDA-XML:codebook:1.0``, schema
``Codebook.xsd``). A codebook reads into a :class:`~realreview.coding.qda.QdaProject` that holds only
codes and sets, so that importing it is importing a project without sources.

What tools write, besides the standard:

* NVivo 12 for Mac declares the namespace ``urn:QDA-XML:codebook:1:0`` (a colon for the dot); a file
  may also declare none. Both are read as the standard's, with a note.
* A member of a set names its code with ``guid`` (the codebook schema) or ``targetGUID`` (the
  project schema's spelling); both are read.
* Taguette writes an empty ``<Sets/>``, which the schema does not allow. As with projects, a file that
  breaks the schema in a way that can still be read is read, with the first schema error as a note;
  one that cannot be read is refused with that error.

Every other problem is a :class:`~realreview.errors.ParseError` naming the file, the line and the
element: XML that is not well-formed, a GUID used twice, a set member naming no code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from lxml import etree

from realreview.coding.qda import QdaCode, QdaProject, QdaSet, walk_codes
from realreview.coding.qdpx_schema import (
    CODEBOOK_SCHEMA_NAME,
    local_name,
    normal_guid,
    parse_xml,
    schema_errors,
)
from realreview.errors import EmptyFileError, ParseError

__all__ = ["CODEBOOK_NAMESPACE", "read_qdc", "validate_codebook_xml", "write_qdc"]

CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
# Namespaces read as the standard's: NVivo 12 for Mac's misspelling, and none at all.
_TOLERATED = ("urn:QDA-XML:codebook:1:0", "")
_Q = f"{{{CODEBOOK_NAMESPACE}}}"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def read_qdc(data: bytes, *, name: str) -> QdaProject:
    """Read a ``.qdc`` codebook: its codes (tree, colours, descriptions) and sets.

    Args:
        data: The file's bytes.
        name: The file's name, used in messages and as the project's name.

    Raises:
        EmptyFileError: If the file holds nothing.
        ParseError: If it is not a readable codebook (see the module docstring).
    """
    if not data.strip():
        raise EmptyFileError(f"{name}: the file is empty")
    try:
        root = parse_xml(data)
    except etree.XMLSyntaxError as error:
        raise ParseError(f"{name} line {error.lineno}: not well-formed XML: {error.msg}") from error
    return codebook_of(root, name=name)


def codebook_of(root: Any, *, name: str) -> QdaProject:
    """The codebook a parsed ``<CodeBook>`` document holds (see :func:`read_qdc`)."""
    if local_name(root) != "CodeBook":
        raise ParseError(
            f"{name} line {root.sourceline}: not a REFI-QDA codebook: the root element is "
            f"<{local_name(root)}>, not <CodeBook>"
        )
    notes = _standard_namespace(root, name=name)
    problems = schema_errors(root, CODEBOOK_SCHEMA_NAME)
    _check_guids(root, name=name)
    try:
        codes = tuple(_code(code) for code in _children(_child(root, "Codes"), "Code"))
        sets = tuple(_set(element, name=name) for element in _children(_child(root, "Sets"), "Set"))
    except (AttributeError, TypeError, ValueError) as error:
        line, message = problems[0] if problems else (root.sourceline, str(error))
        raise ParseError(f"{name} line {line}: not a valid REFI-QDA codebook: {message}") from error
    if problems:
        line, message = problems[0]
        notes.append(
            f"{name} line {line}: not valid against {CODEBOOK_SCHEMA_NAME}: "
            f"{message.replace(_Q, '').rstrip('.')}; the rest was read"
        )
    return QdaProject(
        name=PurePath(name).stem or name,
        origin=root.get("origin"),
        codes=codes,
        sets=sets,
        notes_on_import=tuple(notes),
    )


def _standard_namespace(root: Any, *, name: str) -> list[str]:
    """Put every element in the standard namespace; a note if the file declared another one."""
    namespace = etree.QName(root).namespace or ""
    if namespace == CODEBOOK_NAMESPACE:
        return []
    if namespace not in _TOLERATED:
        raise ParseError(
            f"{name} line {root.sourceline}: not a REFI-QDA codebook: the namespace is {namespace!r}, "
            f"not {CODEBOOK_NAMESPACE!r}"
        )
    for element in root.iter(etree.Element):
        element.tag = _Q + local_name(element)
    declared = repr(namespace) if namespace else "not declared"
    return [f"{name}: the codebook namespace is {declared}; read as {CODEBOOK_NAMESPACE!r}"]


def _child(element: Any, tag: str) -> Any | None:
    return element.find(_Q + tag) if element is not None else None


def _children(element: Any | None, tag: str) -> list[Any]:
    return list(element.iterfind(_Q + tag)) if element is not None else []


def _member_guid(member: Any) -> str | None:
    value = member.get("guid") or member.get("targetGUID")
    return normal_guid(value) if value else None


def _check_guids(root: Any, *, name: str) -> None:
    """GUIDs unique per kind, and every set member naming a code of the codebook."""
    seen: dict[tuple[str, str], Any] = {}
    for element in root.iter(_Q + "Code", _Q + "Set"):
        guid = element.get("guid")
        if guid is None:
            continue
        first = seen.setdefault((local_name(element), normal_guid(guid)), element)
        if first is not element:
            raise ParseError(
                f"{name} line {element.sourceline}: {local_name(element)} {guid}: the guid is already "
                f"used by the {local_name(first)} on line {first.sourceline}"
            )
    codes = {guid for kind, guid in seen if kind == "Code"}
    for member in root.iter(_Q + "MemberCode"):
        guid = _member_guid(member)
        if guid is None:
            raise ParseError(f"{name} line {member.sourceline}: MemberCode: it names no code (no guid)")
        if guid not in codes:
            raise ParseError(
                f"{name} line {member.sourceline}: MemberCode {guid}: names no code in the codebook"
            )


def _text(element: Any, tag: str) -> str | None:
    found = _child(element, tag)
    return (found.text or None) if found is not None else None


def _code(element: Any) -> QdaCode:
    return QdaCode(
        guid=normal_guid(element.get("guid")),
        name=element.get("name") or "",
        is_codable=(element.get("isCodable") or "true").strip() in ("true", "1"),
        color=element.get("color"),
        description=_text(element, "Description"),
        children=tuple(_code(sub) for sub in _children(element, "Code")),
    )


def _set(element: Any, *, name: str) -> QdaSet:
    members = tuple(guid for m in _children(element, "MemberCode") if (guid := _member_guid(m)))
    return QdaSet(
        guid=normal_guid(element.get("guid")),
        name=element.get("name") or "",
        description=_text(element, "Description"),
        code_guids=members,
    )


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _write_code(parent: Any, code: QdaCode) -> None:
    attributes = {"guid": code.guid, "name": _clean(code.name), "isCodable": str(code.is_codable).lower()}
    if code.color:
        attributes["color"] = code.color
    element = etree.SubElement(parent, _Q + "Code", attributes)
    if code.description is not None:
        etree.SubElement(element, _Q + "Description").text = _clean(code.description)
    for child in code.children:
        _write_code(element, child)


def _write_sets(root: Any, sets: Iterable[QdaSet], codes: set[str]) -> None:
    kept = [group for group in sets if any(guid in codes for guid in group.code_guids)]
    if not kept:
        return  # an empty <Sets/> is not valid
    container = etree.SubElement(root, _Q + "Sets")
    for group in kept:
        element = etree.SubElement(container, _Q + "Set", {"guid": group.guid, "name": _clean(group.name)})
        if group.description is not None:
            etree.SubElement(element, _Q + "Description").text = _clean(group.description)
        for guid in group.code_guids:
            if guid in codes:
                etree.SubElement(element, _Q + "MemberCode", {"guid": guid})


def write_qdc(project: QdaProject, *, origin: str = "RealReview") -> bytes:
    """The project's codes and sets as a ``.qdc`` codebook (UTF-8, with an XML declaration).

    Only sets with at least one code are written (a codebook's sets hold codes only).

    Raises:
        ValueError: If the written codebook is not valid against ``Codebook.xsd`` (a bug here, or a
            colour or GUID the schema does not allow).
    """
    root = etree.Element(_Q + "CodeBook", {"origin": origin}, nsmap={None: CODEBOOK_NAMESPACE})
    codes = etree.SubElement(root, _Q + "Codes")
    for code in project.codes:
        _write_code(codes, code)
    _write_sets(root, project.sets, {code.guid for code in walk_codes(project.codes)})
    xml = bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))
    problems = validate_codebook_xml(xml)
    if problems:
        raise ValueError(f"the written codebook is not valid REFI-QDA: {problems[0]}")
    return xml


def validate_codebook_xml(xml: bytes) -> list[str]:
    """Check a ``.qdc`` document against ``Codebook.xsd``; one ``"line N: ..."`` message per problem.

    >>> validate_codebook_xml(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')[0][:43]
    "line 1: Element '{urn:QDA-XML:codebook:1.0}"
    """
    try:
        root = parse_xml(xml)
    except etree.XMLSyntaxError as error:
        return [f"line {error.lineno}: not well-formed XML: {error.msg}"]
    return [f"line {line}: {message}" for line, message in schema_errors(root, CODEBOOK_SCHEMA_NAME)]
