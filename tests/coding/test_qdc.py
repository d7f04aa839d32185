"""REFI-QDA codebooks (.qdc): read, written, validated against the packaged Codebook.xsd (issue #10).

No openly licensed codebook exported by Taguette, MAXQDA, NVivo or ATLAS.ti was found to copy into
tests/data, so the codebooks below are constructed, each on the shape of one tool's export as its own
public code or tests show it: Taguette's (flat codes, ``<Sets/>`` left empty; the string Taguette's
test suite expects), ATLAS.ti's (``MemberCode guid=``, colours, descriptions, a code group as a set),
NVivo 12 for Mac's (namespace ``urn:QDA-XML:codebook:1:0``). The real NVivo project in tests/data
supplies a real 152-code tree for the round trip.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from tests.coding.conftest import NVIVO

from realreview.coding import (
    QdaCode,
    QdaProject,
    QdaSet,
    count,
    read_qdc,
    read_qdpx,
    validate_codebook_xml,
    walk_codes,
    write_qdc,
)
from realreview.errors import EmptyFileError, ParseError

SCHEMA_COPY = Path(__file__).parent.parent / "data" / "exports" / "refi_qda_schema" / "Codebook.xsd"
PACKAGED = Path(__file__).parent.parent.parent / "src" / "realreview" / "coding" / "schema" / "Codebook.xsd"

TAGUETTE = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.4.1"><Codes>'
    b'<Code guid="0D62985D-B147-5D01-A9B5-CAE5DCD98342" name="interesting" isCodable="true"/>'
    b'<Code guid="DFE5C38E-9449-5959-A1F7-E3D895CFA87F" name="people" isCodable="true"/>'
    b'<Code guid="725F0645-9CD3-598A-8D2B-EC3D39AB3C3F" name="interesting.places" isCodable="true"/>'
    b"</Codes><Sets/></CodeBook>"
)

ATLAS = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="urn:QDA-XML:codebook:0:4 Codebook.xsd" origin="ATLAS.ti Win 23.4.0"
  xmlns="urn:QDA-XML:codebook:1.0">
  <Codes>
    <Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Context: deprivation" color="#46AA00" isCodable="true">
      <Description>Areas in the most deprived quintile</Description>
    </Code>
    <Code guid="51191CEE-BF78-4E92-9DF8-3AE66721E038" name="Mechanism" color="#06F" isCodable="false">
      <Code guid="14C4E248-F726-42CB-B1CD-A65D6A86F296" name="Trust in data" isCodable="true"/>
    </Code>
  </Codes>
  <Sets>
    <Set name="CMO: contexts" guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0">
      <Description>Codes for contexts</Description>
      <MemberCode guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" />
    </Set>
  </Sets>
</CodeBook>
"""


def _repaired(text: str) -> str:
    """The mechanical repair of the codebook schema as QualCoder shipped it (see schema/PROVENANCE.md)."""
    fixed = text.replace("\u2010", "-")
    for glued in ("element", "complexType", "attribute", "simpleType"):
        fixed = fixed.replace(f"<xsd:{glued}name=", f"<xsd:{glued} name=")
    fixed = fixed.replace("<xsd:restrictionbase=", "<xsd:restriction base=")
    fixed = fixed.replace("<xsd:patternvalue=", "<xsd:pattern value=")
    return re.sub(r'(="[^"]*")(?=[A-Za-z])', r"\1 ", fixed)


def test_the_packaged_schema_is_the_repaired_copy_of_refis_schema() -> None:
    assert PACKAGED.read_text(encoding="utf-8") == _repaired(SCHEMA_COPY.read_text(encoding="utf-8"))
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(SCHEMA_COPY.read_bytes())  # the original is not well-formed XML


def test_a_taguette_codebook_reads_with_its_empty_sets_noted() -> None:
    book = read_qdc(TAGUETTE, name="codebook.qdc")

    assert (book.name, book.origin) == ("codebook", "Taguette 1.4.1")
    assert [code.name for code in book.codes] == ["interesting", "people", "interesting.places"]
    assert book.codes[0].guid == "0d62985d-b147-5d01-a9b5-cae5dcd98342"
    assert book.sets == () and book.sources == ()
    assert book.notes_on_import == (
        "codebook.qdc line 2: not valid against Codebook.xsd: Element 'Sets': Missing child element(s). "
        "Expected is ( Set ); the rest was read",
    )


def test_an_atlas_codebook_keeps_tree_colours_descriptions_and_sets() -> None:
    book = read_qdc(ATLAS, name="atlas.qdc")

    context, mechanism = book.codes
    assert (context.name, context.color, context.description) == (
        "Context: deprivation",
        "#46AA00",
        "Areas in the most deprived quintile",
    )
    assert (mechanism.is_codable, mechanism.color, [c.name for c in mechanism.children]) == (
        False,
        "#06F",
        ["Trust in data"],
    )
    assert book.sets == (
        QdaSet(
            "eca18d76-2b8b-4f26-bc1d-19eca19fb3f0",
            "CMO: contexts",
            "Codes for contexts",
            ("1ff58b12-6f6f-4b0c-8be5-bbdc91f55294",),
        ),
    )
    assert book.notes_on_import == ()


@pytest.mark.parametrize(
    ("namespace", "declared"),
    [("urn:QDA-XML:codebook:1:0", "'urn:QDA-XML:codebook:1:0'"), (None, "not declared")],
)
def test_nvivo_for_macs_namespace_and_none_read_as_the_standard(namespace: str | None, declared: str) -> None:
    xml = TAGUETTE.replace(b"<Sets/>", b"").replace(
        b'xmlns="urn:QDA-XML:codebook:1.0"', f'xmlns="{namespace}"'.encode() if namespace else b""
    )
    book = read_qdc(xml, name="mac.qdc")

    assert [code.name for code in book.codes] == ["interesting", "people", "interesting.places"]
    assert book.notes_on_import == (
        f"mac.qdc: the codebook namespace is {declared}; read as 'urn:QDA-XML:codebook:1.0'",
    )


def test_a_member_named_with_target_guid_is_read() -> None:
    book = read_qdc(ATLAS.replace(b"<MemberCode guid=", b"<MemberCode targetGUID="), name="x.qdc")

    assert book.sets[0].code_guids == ("1ff58b12-6f6f-4b0c-8be5-bbdc91f55294",)
    assert "not valid against Codebook.xsd" in book.notes_on_import[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (TAGUETTE[:-20], "x.qdc line 2: not well-formed XML: "),
        (
            TAGUETTE.replace(
                b"DFE5C38E-9449-5959-A1F7-E3D895CFA87F", b"0D62985D-B147-5D01-A9B5-CAE5DCD98342"
            ),
            "x.qdc line 2: Code 0D62985D-B147-5D01-A9B5-CAE5DCD98342: the guid is already used by the Code on "
            "line 2",
        ),
        (
            ATLAS.replace(b'<MemberCode guid="1FF58B12', b'<MemberCode guid="2FF58B12'),
            "x.qdc line 16: MemberCode 2ff58b12-6f6f-4b0c-8be5-bbdc91f55294: names no code in the codebook",
        ),
        (
            b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>',
            "x.qdc line 1: not a REFI-QDA codebook: the root element is <Project>, not <CodeBook>",
        ),
        (
            TAGUETTE.replace(b"urn:QDA-XML:codebook:1.0", b"urn:example:other"),
            "x.qdc line 2: not a REFI-QDA codebook: the namespace is 'urn:example:other', not "
            "'urn:QDA-XML:codebook:1.0'",
        ),
        (
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="no guid" isCodable="true"/>'
            b"</Codes></CodeBook>",
            "x.qdc line 1: not a valid REFI-QDA codebook: Element '{urn:QDA-XML:codebook:1.0}Code': The "
            "attribute 'guid' is required but missing.",
        ),
    ],
    ids=["not-xml", "duplicate-guid", "dangling-member", "a-project", "other-namespace", "no-guid"],
)
def test_a_broken_codebook_names_the_file_the_line_and_the_element(data: bytes, message: str) -> None:
    with pytest.raises(ParseError) as raised:
        read_qdc(data, name="x.qdc")
    assert str(raised.value).startswith(message)


def test_an_empty_codebook_file_is_refused() -> None:
    with pytest.raises(EmptyFileError, match=r"^x\.qdc: the file is empty$"):
        read_qdc(b"  \n", name="x.qdc")


def test_a_real_code_tree_round_trips_through_a_valid_codebook() -> None:
    nvivo = read_qdpx(NVIVO.read_bytes(), name=NVIVO.name)
    deductive = QdaSet("9a2b3c4d-0000-4000-8000-000000000001", "Deductive", None, (nvivo.codes[0].guid,))

    xml = write_qdc(QdaProject("NVivo codes", codes=nvivo.codes, sets=(deductive,)))
    book = read_qdc(xml, name="nvivo.qdc")

    assert validate_codebook_xml(xml) == []
    assert count(book).codes == 152
    assert book.codes == nvivo.codes and book.sets == (deductive,)
    assert book.origin == "RealReview" and book.notes_on_import == ()


def test_the_writer_leaves_out_empty_sets_and_checks_its_output() -> None:
    code = QdaCode("22222222-2222-4222-8222-222222222201", "Trust", description="Line\fbreak")
    empty = QdaSet("99999999-9999-4999-8999-999999999901", "No codes", None, ())

    xml = write_qdc(QdaProject("p", codes=(code,), sets=(empty,)))

    assert b"<Sets" not in xml and b"<Description>Linebreak</Description>" in xml
    with pytest.raises(ValueError, match="not valid REFI-QDA: line 4: .*color"):
        write_qdc(QdaProject("p", codes=(QdaCode(code.guid, "Trust", color="red"),)))
    assert [c.name for c in walk_codes(read_qdc(xml, name="p.qdc").codes)] == ["Trust"]
