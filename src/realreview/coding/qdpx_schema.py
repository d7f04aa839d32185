"""The QDA-XML 1.0 schemas, a safe XML parser, and the checks the schema cannot express.

The packaged ``schema/Project-mrt2019.xsd`` is REFI's own project schema and ``schema/Codebook.xsd``
its codebook schema, repaired to be well-formed (see ``schema/PROVENANCE.md``).
It fixes the order of elements and the form of GUIDs, colours and booleans, but it cannot say that a
``CodeRef`` names a code that exists: :func:`dangling_refs` checks that, for the reader (a broken
file) and for the writer (a bug guard) alike.

Untrusted files are parsed without entity expansion, DTD loading or network access.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import Any

from lxml import etree

__all__ = [
    "CODEBOOK_SCHEMA_NAME",
    "NAMESPACE",
    "SCHEMA_NAME",
    "dangling_refs",
    "duplicate_guids",
    "local_name",
    "normal_guid",
    "parse_xml",
    "schema_errors",
    "validate_project_xml",
]

NAMESPACE = "urn:QDA-XML:project:1.0"
SCHEMA_NAME = "Project-mrt2019.xsd"
#: The codebook schema (``.qdc`` files), namespace ``urn:QDA-XML:codebook:1.0``.
CODEBOOK_SCHEMA_NAME = "Codebook.xsd"
_Q = f"{{{NAMESPACE}}}"
_SOURCES = ("TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource")
# lxml's validators keep their error log on the schema object: one validation at a time
_LOCK = threading.Lock()

# GUIDs must be unique within each group (a Representation may reuse its PDF's GUID, so it is not listed)
_UNIQUE = {
    "User": "User",
    "Code": "Code",
    "Variable": "Variable",
    "Case": "Case",
    "Note": "Note",
    "Set": "Set",
    "Coding": "Coding",
    "PlainTextSelection": "PlainTextSelection",
    **{kind: "source" for kind in _SOURCES},
}

# Each reference element and what it must point at: (element, kind of target)
_REF_KINDS = {
    "CodeRef": "Code",
    "MemberCode": "Code",
    "NoteRef": "Note",
    "MemberNote": "Note",
    "SourceRef": "source",
    "MemberSource": "source",
    "SelectionRef": "selection",
    "VariableRef": "Variable",
}


def local_name(element: Any) -> str:
    """The tag of ``element`` without its namespace (``"Code"`` for ``{urn:QDA-XML:...}Code``)."""
    return str(etree.QName(element).localname)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,  # libxml2's own caps on depth and text size stay on
    )


def parse_xml(xml: bytes) -> Any:
    """Parse untrusted XML bytes into an lxml root element (entities are never expanded).

    Raises:
        lxml.etree.XMLSyntaxError: If the bytes are not well-formed XML.
    """
    return etree.fromstring(xml, _parser())


@cache
def _schema(name: str) -> etree.XMLSchema:
    data = (files("realreview.coding") / "schema" / name).read_bytes()
    return etree.XMLSchema(etree.fromstring(data, _parser()))


def schema_errors(root: Any, schema_name: str = SCHEMA_NAME) -> list[tuple[int, str]]:
    """``(line, message)`` for each way the parsed document breaks the schema; empty when valid."""
    schema = _schema(schema_name)
    with _LOCK:
        try:
            if schema.validate(root):
                return []
        except etree.XMLSchemaValidateError as error:  # libxml2 gives up on some odd trees
            return [(1, f"the schema validator failed: {error}")]
        return [(int(error.line), str(error.message)) for error in schema.error_log]


def validate_project_xml(xml: bytes) -> list[str]:
    """Check a ``project.qde`` document against the QDA-XML 1.0 schema.

    >>> validate_project_xml(b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
    []
    >>> validate_project_xml(b'<Project xmlns="urn:QDA-XML:project:1.0"/>')
    ["line 1: Element '{urn:QDA-XML:project:1.0}Project': The attribute 'name' is required but missing."]

    Returns:
        One message per problem, each starting with its line (``"line 3: ..."``); empty if valid.
    """
    try:
        root = parse_xml(xml)
    except etree.XMLSyntaxError as error:
        return [f"line {error.lineno}: not well-formed XML: {error.msg}"]
    return [f"line {line}: {message}" for line, message in schema_errors(root)]


def _definitions(root: Any) -> dict[str, set[str]]:
    """The GUIDs defined in the document, by the kind of thing a reference may name."""
    defined: dict[str, set[str]] = {
        kind: set() for kind in ("Code", "Note", "source", "selection", "Variable")
    }
    for element in root.iter(_Q + "Code", _Q + "Note", _Q + "Variable"):
        defined[local_name(element)].add(normal_guid(element.get("guid", "")))
    for sources in root.iter(_Q + "Sources"):
        for element in sources:
            if local_name(element) in _SOURCES:
                defined["source"].add(normal_guid(element.get("guid", "")))
    for element in root.iter(etree.Element):
        if local_name(element).endswith("Selection"):
            defined["selection"].add(normal_guid(element.get("guid", "")))
    return defined


def normal_guid(guid: str) -> str:
    """A GUID as RealReview compares them: lower case, without the braces the schema allows.

    >>> normal_guid("{0A1B2C3D-0000-4000-8000-00000000000F}")
    '0a1b2c3d-0000-4000-8000-00000000000f'
    """
    return guid.strip().strip("{}").lower()


def dangling_refs(root: Any) -> Iterator[tuple[Any, str]]:
    """Yield ``(element, message)`` for each reference whose ``targetGUID`` names nothing.

    ``Links`` and ``Graphs`` are not checked: RealReview does not read them.
    """
    defined = _definitions(root)
    for element in root.iter(*(_Q + name for name in _REF_KINDS)):
        if any(local_name(a) in ("Links", "Graphs") for a in element.iterancestors()):
            continue
        name = local_name(element)
        kind = _REF_KINDS[name]
        target = element.get("targetGUID", "")
        if normal_guid(target) not in defined[kind]:
            yield element, f"{name} {target} names no {kind} in the project"


def duplicate_guids(root: Any) -> Iterator[tuple[Any, str]]:
    """Yield ``(element, message)`` for each element whose GUID an earlier one of its kind has."""
    seen: dict[tuple[str, str], Any] = {}
    for element in root.iter(*(_Q + tag for tag in _UNIQUE)):
        key = (_UNIQUE[local_name(element)], normal_guid(element.get("guid", "")))
        first = seen.setdefault(key, element)
        if first is not element:
            yield element, f"the guid is already used by the {local_name(first)} on line {first.sourceline}"
