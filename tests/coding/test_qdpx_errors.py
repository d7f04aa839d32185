"""Broken REFI-QDA files: each problem is a ParseError naming the file, the line and the element."""

from __future__ import annotations

import pytest
from tests.coding.conftest import make_zip

from realreview.coding import read_qde, read_qdpx
from realreview.errors import EmptyFileError, EncodingError, FileTooLargeError, ParseError

CODE = "22222222-2222-4222-8222-222222222202"
SOURCE = "55555555-5555-4555-8555-555555555501"
SELECTION = "66666666-6666-4666-8666-666666666601"
CODING = "88888888-8888-4888-8888-888888888801"
NOTE = "77777777-7777-4777-8777-777777777701"
VARIABLE = "33333333-3333-4333-8333-333333333301"
TEXT = "People trust nurses.\r\nSmile 😀 here."  # 35 characters, 36 UTF-16 units

BASE = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Broken on purpose">
  <CodeBook>
    <Codes>
      <Code guid="{CODE}" name="Trust" isCodable="true"/>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="{VARIABLE}" name="Country" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="44444444-4444-4444-8444-444444444401" name="Study A">
      <VariableValue><VariableRef targetGUID="{VARIABLE}"/><TextValue>UK</TextValue></VariableValue>
      <SourceRef targetGUID="{SOURCE}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{SOURCE}" name="Interview" plainTextPath="internal://{SOURCE}.txt">
      <PlainTextSelection guid="{SELECTION}" startPosition="0" endPosition="20">
        <Coding guid="{CODING}">
          <CodeRef targetGUID="{CODE}"/>
        </Coding>
        <NoteRef targetGUID="{NOTE}"/>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{NOTE}" name="Memo"><PlainTextContent>A memo.</PlainTextContent></Note>
  </Notes>
  <Sets>
    <Set guid="99999999-9999-4999-8999-999999999901" name="Deductive">
      <MemberCode targetGUID="{CODE}"/>
      <MemberSource targetGUID="{SOURCE}"/>
    </Set>
  </Sets>
</Project>
"""
FILES = {f"Sources/{SOURCE}.txt": b"\xef\xbb\xbf" + TEXT.encode("utf-8")}


def _qdpx(qde: str = BASE, files: dict[str, bytes] | None = None) -> bytes:
    return make_zip({"project.qde": qde.encode("utf-8"), **(FILES if files is None else files)})


def _error(qde: str = BASE, files: dict[str, bytes] | None = None) -> str:
    with pytest.raises(ParseError) as raised:
        read_qdpx(_qdpx(qde, files), name="x.qdpx")
    return str(raised.value)


def test_the_base_project_reads() -> None:
    project = read_qdpx(_qdpx(), name="x.qdpx")
    source = project.sources[0]
    assert source.text[source.selections[0].start : source.selections[0].end] == "People trust nurses."
    assert project.notes_on_import == ()


def test_not_a_zip() -> None:
    with pytest.raises(ParseError) as raised:
        read_qdpx(b"<Project/>", name="x.qdpx")
    assert (
        str(raised.value)
        == "x.qdpx: not a REFI-QDA project (.qdpx): not a zip archive (File is not a zip file)"
    )


def test_empty_file() -> None:
    with pytest.raises(EmptyFileError, match=r"^x\.qdpx: the file is empty$"):
        read_qdpx(b"", name="x.qdpx")


def test_no_qde_in_the_zip() -> None:
    with pytest.raises(ParseError) as raised:
        read_qdpx(make_zip(FILES), name="x.qdpx")
    assert str(raised.value) == "x.qdpx: not a REFI-QDA project (.qdpx): no .qde project file in the archive"


def test_mac_resource_forks_are_not_taken_for_the_project() -> None:
    data = make_zip({"__MACOSX/._project.qde": b"\x00\x05", "._project.qde": b"\x00", **FILES})
    with pytest.raises(ParseError, match="no .qde project file"):
        read_qdpx(data, name="x.qdpx")


def test_not_well_formed() -> None:
    message = _error(BASE.replace("</Sources>", "</Source>"))
    assert message.startswith(
        "x.qdpx: project.qde line 26: not well-formed XML: Opening and ending tag mismatch"
    )


def test_a_project_off_the_schema_is_read_with_a_note_when_it_can_be() -> None:
    # Tools deviate in small ways (an attribute left out); what RealReview needs is still there.
    project = read_qdpx(_qdpx(BASE.replace(' isCodable="true"', "")), name="x.qdpx")
    assert project.codes[0].is_codable is True
    assert project.notes_on_import[0] == (
        "x.qdpx: project.qde line 5: not valid QDA-XML 1.0 (Project-mrt2019.xsd): "
        "Element 'Code': The attribute 'isCodable' is required but missing.; the rest was read as QDA-XML 1.0"
    )
    variables = BASE[BASE.index("  <Variables>") : BASE.index("  <Cases>")]
    moved = BASE.replace(variables, "").replace("  <Sources>", variables + "  <Sources>")
    reordered = read_qdpx(_qdpx(moved), name="x.qdpx")
    assert [v.name for v in reordered.variables] == ["Country"] and reordered.cases[0].values[0][1] == "UK"
    assert "not valid QDA-XML 1.0" in reordered.notes_on_import[0]
    empty_sets = read_qdpx(
        _qdpx(BASE.replace(BASE[BASE.index("<Sets>") :], "<Sets/></Project>")), name="x.qdpx"
    )
    assert (
        empty_sets.sets == () and "Element 'Sets': Missing child element(s)" in empty_sets.notes_on_import[0]
    )


def test_a_project_off_the_schema_that_cannot_be_read_is_the_schema_error() -> None:
    # Without typeOfVariable the variable's values cannot be typed.
    message = _error(BASE.replace(' typeOfVariable="Text"', ""))
    assert message == (
        "x.qdpx: project.qde line 9: not valid QDA-XML 1.0 (Project-mrt2019.xsd): "
        "Element 'Variable': The attribute 'typeOfVariable' is required but missing."
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            f'<CodeRef targetGUID="{CODE}"/>',
            '<CodeRef targetGUID="00000000-0000-4000-8000-000000000000"/>',
            f"x.qdpx: project.qde line 20: Coding {CODING}: CodeRef 00000000-0000-4000-8000-000000000000 "
            "names no Code in the project",
        ),
        (
            f'<NoteRef targetGUID="{NOTE}"/>',
            '<NoteRef targetGUID="00000000-0000-4000-8000-000000000000"/>',
            f"x.qdpx: project.qde line 19: PlainTextSelection {SELECTION}: NoteRef "
            "00000000-0000-4000-8000-000000000000 names no Note in the project",
        ),
        (
            f'<MemberCode targetGUID="{CODE}"/>',
            '<MemberCode targetGUID="00000000-0000-4000-8000-000000000000"/>',
            "x.qdpx: project.qde line 31: Set 99999999-9999-4999-8999-999999999901: MemberCode "
            "00000000-0000-4000-8000-000000000000 names no Code in the project",
        ),
        (
            f'<MemberSource targetGUID="{SOURCE}"/>',
            '<MemberSource targetGUID="00000000-0000-4000-8000-000000000000"/>',
            "x.qdpx: project.qde line 31: Set 99999999-9999-4999-8999-999999999901: MemberSource "
            "00000000-0000-4000-8000-000000000000 names no source in the project",
        ),
        (
            f'<SourceRef targetGUID="{SOURCE}"/>',
            '<SourceRef targetGUID="00000000-0000-4000-8000-000000000000"/>',
            "x.qdpx: project.qde line 12: Case 44444444-4444-4444-8444-444444444401: SourceRef "
            "00000000-0000-4000-8000-000000000000 names no source in the project",
        ),
        (
            f'<VariableRef targetGUID="{VARIABLE}"/>',
            '<VariableRef targetGUID="00000000-0000-4000-8000-000000000000"/>',
            "x.qdpx: project.qde line 13: VariableValue: VariableRef 00000000-0000-4000-8000-000000000000 "
            "names no Variable in the project",
        ),
    ],
)
def test_dangling_references(old: str, new: str, expected: str) -> None:
    assert _error(BASE.replace(old, new)) == expected


def test_references_match_whatever_the_guid_spelling() -> None:
    braced = BASE.replace(f'<CodeRef targetGUID="{CODE}"/>', f'<CodeRef targetGUID="{{{CODE.upper()}}}"/>')
    project = read_qdpx(_qdpx(braced), name="x.qdpx")
    assert project.sources[0].selections[0].codings[0].code_guid == CODE


def test_duplicate_guids() -> None:
    twice = BASE.replace(
        f'<Code guid="{CODE}" name="Trust" isCodable="true"/>',
        f'<Code guid="{CODE}" name="Trust" isCodable="true"/>'
        f'<Code guid="{CODE.upper()}" name="Again" isCodable="true"/>',
    )
    assert (
        _error(twice)
        == f"x.qdpx: project.qde line 5: Code {CODE.upper()}: the guid is already used by the Code on line 5"
    )


def test_a_source_file_missing_from_the_zip() -> None:
    assert _error(files={}) == (
        f"x.qdpx: project.qde line 18: TextSource {SOURCE}: plainTextPath internal://{SOURCE}.txt is not in the archive"
    )


def test_a_source_file_outside_the_archive() -> None:
    outside = BASE.replace(
        f'plainTextPath="internal://{SOURCE}.txt"', 'plainTextPath="absolute:///home/me/i.txt"'
    )
    # A linked source is the exporter's choice, not a broken file: it is left out, with a note.
    project = read_qdpx(_qdpx(outside), name="x.qdpx")
    assert project.sources == () and project.cases[0].source_guids == ()
    assert project.notes_on_import[0] == (
        f"TextSource {SOURCE} 'Interview': skipped (its text absolute:///home/me/i.txt is outside the "
        "archive; export with sources embedded)"
    )


def test_a_bare_qde_without_its_files() -> None:
    with pytest.raises(ParseError) as raised:
        read_qde(BASE.encode(), name="project.qde")
    assert str(raised.value) == (
        f"project.qde line 18: TextSource {SOURCE}: plainTextPath internal://{SOURCE}.txt is not beside "
        "project.qde (looked in its folder and its sources folder)"
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("0", "900", "endPosition 900 beyond the text (36 UTF-16 units, 35 characters)"),
        ("901", "900", "startPosition 901 beyond the text (36 UTF-16 units, 35 characters)"),
        ("-1", "5", "startPosition -1 is negative"),
        ("10", "5", "startPosition 10 is after endPosition 5"),
        ("29", "30", "startPosition 29 splits a character in two "),
    ],
)
def test_offsets_outside_the_text(start: str, end: str, expected: str) -> None:
    broken = BASE.replace(
        'startPosition="0" endPosition="20"', f'startPosition="{start}" endPosition="{end}"'
    )
    assert _error(broken).startswith(
        f"x.qdpx: project.qde line 19: PlainTextSelection {SELECTION}: {expected}"
    )


def test_beyond_a_plain_text_counts_characters() -> None:
    files = {f"Sources/{SOURCE}.txt": b"0123456789"}
    broken = BASE.replace('endPosition="20"', 'endPosition="11"')
    assert _error(broken, files).endswith(
        f"PlainTextSelection {SELECTION}: endPosition 11 beyond the text (10 characters)"
    )


def test_a_text_file_that_is_not_utf8() -> None:
    with pytest.raises(EncodingError) as raised:
        read_qdpx(_qdpx(files={f"sources/{SOURCE}.txt": "Zürich".encode("latin-1")}), name="x.qdpx")
    assert str(raised.value) == f"x.qdpx: sources/{SOURCE}.txt: not UTF-8 text (byte 1: invalid start byte)"


def test_a_date_the_schema_allows_but_python_cannot_read() -> None:
    late = BASE.replace(
        f'<Coding guid="{CODING}">', f'<Coding guid="{CODING}" creationDateTime="2025-01-01T24:00:00Z">'
    )
    assert _error(late) == (
        f"x.qdpx: project.qde line 20: Coding {CODING}: creationDateTime '2025-01-01T24:00:00Z' is not a date "
        "and time RealReview can read"
    )


@pytest.mark.parametrize("member", ["../evil.txt", "/etc/passwd", "C:/x.txt", "a/../../b.txt", "..\\x.txt"])
def test_unsafe_member_paths(member: str) -> None:
    with pytest.raises(ParseError) as raised:
        read_qdpx(make_zip({"project.qde": BASE.encode(), member: b"x", **FILES}), name="x.qdpx")
    assert str(raised.value) == f"x.qdpx: unsafe member path {member!r} in the archive"


def test_the_unpacked_size_is_capped() -> None:
    data = make_zip({"project.qde": BASE.encode(), "Sources/big.bin": b"\0" * 5000, **FILES})
    with pytest.raises(FileTooLargeError) as raised:
        read_qdpx(data, name="x.qdpx", max_unpacked=4096)
    assert str(raised.value).startswith("x.qdpx: unpacks to ") and "more than the 4,096 allowed" in str(
        raised.value
    )


def test_entities_are_not_expanded() -> None:
    bomb = BASE.replace(
        '<?xml version="1.0" encoding="utf-8"?>',
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ).replace("<PlainTextContent>A memo.</PlainTextContent>", "<PlainTextContent>&x;</PlainTextContent>")
    assert _error(bomb) == (
        "x.qdpx: project.qde line 28: PlainTextContent: the entity &x; is not allowed "
        "(entities are never expanded)"
    )
