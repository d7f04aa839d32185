"""Reading REFI-QDA: NVivo's real export with exact counts and slices, and the spellings other tools use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from lxml import etree
from tests.coding.conftest import NVIVO, make_zip, unzip

from realreview.coding import QdaProject, QdaSource, count, read_qde, read_qdpx, walk_codes
from realreview.coding.qdpx_schema import NAMESPACE

Q = f"{{{NAMESPACE}}}"
CODED = "68bbdc14-c361-4432-b4dd-ae1dbfc12890"  # "videos_10_selected", the source with the selections
UNCODED = "ddbebe1b-306f-4271-acdd-ae1da7c06fcd"


@pytest.fixture(scope="module")
def nvivo() -> QdaProject:
    return read_qdpx(NVIVO.read_bytes(), name=NVIVO.name)


def _source(project: QdaProject, guid: str) -> QdaSource:
    return next(source for source in project.sources if source.guid == guid)


def _code_paths(project: QdaProject) -> dict[str, str]:
    paths: dict[str, str] = {}

    def walk(codes, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for code in codes:
            paths[code.guid] = prefix + code.name
            walk(code.children, paths[code.guid] + " / ")

    walk(project.codes, "")
    return paths


def test_nvivo_counts(nvivo: QdaProject) -> None:
    counts = count(nvivo)
    assert (counts.users, counts.codes, counts.sources, counts.selections, counts.codings, counts.notes) == (
        2,
        152,
        2,
        303,
        303,
        0,
    )
    assert (counts.cases, counts.variables) == (0, 0)
    assert nvivo.notes_on_import == ()
    assert (nvivo.name, nvivo.origin, nvivo.description) == ("Untitled", "NVivo for Windows 12.6", None)
    assert [user.name for user in nvivo.users] == ["Gergo", "floriansipos"]


def test_nvivo_codebook_is_nested_four_levels(nvivo: QdaProject) -> None:
    paths = _code_paths(nvivo)
    assert len(nvivo.codes) == 12
    assert max(path.count(" / ") for path in paths.values()) == 3
    not_codable = [code.name for code in walk_codes(nvivo.codes) if not code.is_codable]
    assert not_codable == ["Attituderoots"]
    assert sum(1 for code in walk_codes(nvivo.codes) if code.description) == 82
    first = nvivo.codes[1]
    assert first.name == "2. Attitűd szint az oltáshoz"
    assert [child.name for child in first.children] == ["piros", "sárga", "zöld"]
    # the XML parser turns the file's CRLF inside <Description> into LF, as XML requires
    assert (
        first.description == "Erősen szkeptikus (piros)\nEnyhén szkeptikus, kétkedő (sárga)\nElfogadó (zöld)"
    )


def test_nvivo_sources_keep_the_bom_free_crlf_text(nvivo: QdaProject) -> None:
    coded, uncoded = _source(nvivo, CODED), _source(nvivo, UNCODED)
    assert (coded.name, len(coded.text), len(coded.selections)) == ("videos_10_selected", 600_490, 303)
    assert (uncoded.name, len(uncoded.text), len(uncoded.selections)) == ("videos_selection", 635_491, 0)
    raw = unzip(NVIVO.read_bytes())[f"Sources/{CODED}.txt"]
    assert raw.startswith(b"\xef\xbb\xbf") and not coded.text.startswith("\ufeff")
    assert coded.text == raw[3:].decode("utf-8")
    assert coded.text.count("\r\n") == 15_273 and "\n" not in coded.text.replace("\r\n", "")
    assert (coded.kind, coded.pdf, coded.description) == ("text", None, None)
    assert coded.creating_user == "eaac2cd0-f7f0-415a-abdd-ae1d8f6762de"
    assert coded.created == datetime(2025, 6, 16, 17, 7, 29, tzinfo=UTC)


@pytest.mark.parametrize(
    ("index", "astral_before", "expected", "code_path"),
    [
        (
            0,
            5,
            "Senkit nem lehet kötelezni oltásra, ilyet csak ostoba korlátolt agyi kapacitással rendelkező "
            "emberhulladék hozhat aki nem szaporodhat és nem élhet.",
            "2. Attitűd szint az oltáshoz / piros",
        ),
        (1, 8, "tudatos hal äl reklám, hatalmas árulás", "2. Attitűd szint az oltáshoz / piros"),
        (
            150,
            30,
            "hatékony a lófaszt. a főlótetű is él még",
            "Attituderoots / 3. Unwarranted beliefs / +Belief in vaccine ineffectiveness",
        ),
    ],
)
def test_nvivo_selections_slice_whole_lines_after_emoji(
    nvivo: QdaProject, index: int, astral_before: int, expected: str, code_path: str
) -> None:
    source = _source(nvivo, CODED)
    selection = source.selections[index]
    assert sum(1 for char in source.text[: selection.start] if ord(char) > 0xFFFF) == astral_before
    assert source.text[selection.start : selection.end] == expected
    assert source.text[selection.start - 2 : selection.start] == "\r\n"
    assert source.text[selection.end : selection.end + 2] == "\r\n"
    assert [_code_paths(nvivo)[coding.code_guid] for coding in selection.codings] == [code_path]


def test_nvivo_selection_attributes(nvivo: QdaProject) -> None:
    selection = _source(nvivo, CODED).selections[0]
    assert selection.guid == "7154a758-6873-4134-badd-ae1dc04d3086"
    assert (selection.name, selection.description) == (None, None)  # NVivo writes name="" and <Description />
    assert selection.creating_user == "eaac2cd0-f7f0-415a-abdd-ae1d8f6762de"
    assert selection.created is not None and selection.created.tzinfo is UTC
    assert len(selection.codings) == 1


def test_nvivo_multi_line_selections_keep_their_crlf(nvivo: QdaProject) -> None:
    source = _source(nvivo, CODED)
    spanning = [s for s in source.selections if "\r\n" in source.text[s.start : s.end]]
    assert len(spanning) == 4
    assert (
        source.text[spanning[0].start : spanning[0].end]
        == "@@szilagyitamas2823 És milyen igazad lett!☝️👌👍👍👍\r\n"
    )


@pytest.mark.parametrize(
    "rename",
    [
        pytest.param(lambda name: name.replace("Sources/", "sources/"), id="lower-case sources/"),
        pytest.param(lambda name: name.replace("Sources/", ""), id="files at the root"),
        pytest.param(lambda name: name.replace("project.qde", "Project.qde"), id="Project.qde"),
        pytest.param(lambda name: name.replace("project.qde", "x.qde"), id="x.qde"),
        pytest.param(lambda name: "My project/" + name, id="a zipped folder"),
        pytest.param(
            lambda name: name.replace("Sources/", "SOURCES/").upper().replace(".QDE", ".qde"), id="upper"
        ),
    ],
)
def test_other_tools_spellings_read_the_same(
    nvivo: QdaProject, rezip: Callable[[Callable[[str], str]], bytes], rename: Callable[[str], str]
) -> None:
    assert read_qdpx(rezip(rename), name="variant.qdpx") == nvivo


def test_extra_qde_files_are_named_in_the_notes(nvivo_members: dict[str, bytes], nvivo: QdaProject) -> None:
    data = make_zip({**nvivo_members, "backup/old.qde": b"<broken"})
    project = read_qdpx(data, name="two.qdpx")
    assert project.notes_on_import == ("only project.qde was read; also in the archive: backup/old.qde",)
    assert project.sources == nvivo.sources


def _inline_texts(nvivo_members: dict[str, bytes]) -> bytes:
    """NVivo's project.qde with each source's text moved into PlainTextContent."""
    root = etree.fromstring(nvivo_members["project.qde"])
    for source in root.iter(Q + "TextSource"):
        path = source.attrib.pop("plainTextPath").removeprefix("internal://")
        source.attrib.pop("richTextPath")
        content = etree.Element(Q + "PlainTextContent")
        content.text = nvivo_members["Sources/" + path].decode("utf-8-sig")
        at = 1 if len(source) and source[0].tag == Q + "Description" else 0
        source.insert(at, content)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def test_a_bare_qde_with_inline_text_reads_the_same(
    nvivo_members: dict[str, bytes], nvivo: QdaProject
) -> None:
    xml = _inline_texts(nvivo_members)
    assert b"&#13;" in xml  # lxml escapes CR, so the CRLF the offsets count survives the XML parser
    assert read_qde(xml, name="project.qde") == nvivo


def test_a_bare_qde_finds_its_files_in_the_mapping(
    nvivo_members: dict[str, bytes], nvivo: QdaProject
) -> None:
    files = {name: data for name, data in nvivo_members.items() if name != "project.qde"}
    assert read_qde(nvivo_members["project.qde"], name="project.qde", files=files) == nvivo


EMOJI_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Emoji">
  <CodeBook><Codes><Code guid="22222222-2222-4222-8222-222222222202" name="Trust" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{55555555-5555-4555-8555-55555555AAAA}" name="Interview" plainTextPath="internal://i.txt">
      <PlainTextSelection guid="66666666-6666-4666-8666-666666666601" startPosition="17" endPosition="37">
        <Coding guid="88888888-8888-4888-8888-888888888801">
          <CodeRef targetGUID="{22222222-2222-4222-8222-222222222202}"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="66666666-6666-4666-8666-666666666602" startPosition="6" endPosition="8"/>
      <PlainTextSelection guid="66666666-6666-4666-8666-666666666603" startPosition="39" endPosition="43"
        creationDateTime="2025-01-01T10:00:00.1234567+01:00"/>
    </TextSource>
  </Sources>
</Project>
"""
EMOJI_TEXT = "Emoji 😀 first.\r\nPeople trust nurses.\r\nCafé 🙂 ok"


def test_offsets_after_astral_characters_are_utf16_units() -> None:
    files = {"Sources/I.TXT": b"\xef\xbb\xbf" + EMOJI_TEXT.encode("utf-8")}
    project = read_qde(EMOJI_QDE.encode(), name="emoji.qde", files=files)
    source = project.sources[0]
    assert source.guid == "55555555-5555-4555-8555-55555555aaaa"  # braces and case normalised
    assert source.text == EMOJI_TEXT
    people, emoji, cafe = source.selections
    assert (people.start, people.end) == (16, 36)
    assert source.text[people.start : people.end] == "People trust nurses."
    assert source.text[emoji.start : emoji.end] == "😀"
    assert source.text[cafe.start : cafe.end] == "Café"
    assert cafe.created == datetime(2025, 1, 1, 9, 0, 0, 123456, tzinfo=UTC)
    assert people.codings[0].code_guid == "22222222-2222-4222-8222-222222222202"


def test_utf16_text_files_with_a_bom_are_read() -> None:
    files = {"i.txt": EMOJI_TEXT.encode("utf-16")}
    project = read_qde(EMOJI_QDE.encode(), name="emoji.qde", files=files)
    assert project.sources[0].text == EMOJI_TEXT
