"""Writing REFI-QDA: a full project survives write → read exactly, and what is written is valid QDA-XML."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from tests.coding.conftest import NVIVO, SCHEMA, unzip

from realreview.coding import (
    QdaCase,
    QdaCode,
    QdaCoding,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSet,
    QdaSource,
    QdaUser,
    QdaVariable,
    project_xml,
    read_qdpx,
    validate_project_xml,
    write_qdpx,
)
from realreview.coding.qdpx_schema import SCHEMA_NAME
from realreview.coding.qdpx_write import representation_guid

PACKAGED_SCHEMA = files("realreview.coding") / "schema" / SCHEMA_NAME

ALICE = "11111111-1111-4111-8111-111111111111"
BEN = "11111111-1111-4111-8111-111111111112"
T0 = datetime(2025, 1, 1, 10, 0, tzinfo=UTC)
TEXT = "Emoji 😀 first.\r\nPeople trust nurses, naïvely.\r\nZürich 🙂🙂 clinic\r\n"
PDF_TEXT = "Page one text.\fPage two: trust 😀 builds.\f"
PDF = b"%PDF-1.4\n% fake but opaque bytes \x00\xff\n%%EOF\n"


def _g(n: int, kind: int = 2) -> str:
    return f"{kind}{kind}{kind}{kind}{kind}{kind}{kind}{kind}-0000-4000-8000-{n:012d}"


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def full_project() -> QdaProject:
    deductive, child, grandchild, other = _g(1), _g(2), _g(3), _g(4)
    people = _span(TEXT, "People trust nurses")
    zurich = _span(TEXT, "Zürich 🙂🙂 clinic")
    trust = _span(PDF_TEXT, "trust 😀 builds")
    return QdaProject(
        name="Realist review of trust",
        origin="RealReview",
        users=(QdaUser(ALICE, "alice@example.org"), QdaUser(BEN, "ben")),
        codes=(
            QdaCode(
                deductive,
                "Context",
                is_codable=False,
                color="#336699",
                description="From the programme theory\r\nline two",
                children=(QdaCode(child, "Deprived areas", children=(QdaCode(grandchild, "Rural"),)),),
                note_guids=(_g(1, 7),),
            ),
            QdaCode(other, "Mechanism: trust", color="#0a0"),
        ),
        sources=(
            QdaSource(
                _g(1, 5),
                "Interview 1",
                TEXT,
                description="Transcript",
                selections=(
                    QdaSelection(
                        _g(1, 6),
                        *people,
                        name="People trust nurses",
                        description="why selected",
                        codings=(
                            QdaCoding(_g(1, 8), child, ALICE, T0),
                            QdaCoding(_g(2, 8), other, BEN, T0 + timedelta(microseconds=5)),
                        ),
                        note_guids=(_g(2, 7),),
                        creating_user=ALICE,
                        created=T0,
                    ),
                    QdaSelection(_g(2, 6), *zurich, codings=(QdaCoding(_g(3, 8), grandchild),)),
                    QdaSelection(_g(3, 6), len(TEXT), len(TEXT)),
                ),
                note_guids=(_g(3, 7),),
                creating_user=BEN,
                created=T0,
            ),
            QdaSource(
                _g(2, 5),
                "Study A full text",
                PDF_TEXT,
                kind="pdf",
                pdf=PDF,
                selections=(QdaSelection(_g(4, 6), *trust, codings=(QdaCoding(_g(4, 8), other),)),),
            ),
            QdaSource(_g(3, 5), "Scanned, text only", "Only text.", kind="pdf"),
        ),
        notes=(
            QdaNote(_g(1, 7), "Memo on context", "Where the intervention reached\r\nmost.", ALICE, T0),
            QdaNote(_g(2, 7), "quote", "Key quote 🙂", BEN, T0),
            QdaNote(_g(3, 7), None, "Mixed-methods evaluation"),
            QdaNote(_g(4, 7), None, ""),
        ),
        variables=(
            QdaVariable(_g(1, 3), "Country", "Text"),
            QdaVariable(_g(2, 3), "Sample size", "Integer"),
            QdaVariable(_g(3, 3), "Effect", "Float"),
            QdaVariable(_g(4, 3), "Randomised", "Boolean"),
            QdaVariable(_g(5, 3), "Published", "Date"),
            QdaVariable(_g(6, 3), "Searched", "DateTime"),
        ),
        cases=(
            QdaCase(
                _g(1, 4),
                "Study A (2020)",
                description="One included study",
                values=(
                    (_g(1, 3), "UK"),
                    (_g(2, 3), 120),
                    (_g(3, 3), 1e-7),
                    (_g(4, 3), True),
                    (_g(5, 3), "2020-03-01"),
                    (_g(6, 3), "2024-12-31T23:59:00Z"),
                ),
                source_guids=(_g(2, 5),),
            ),
            QdaCase(_g(2, 4), "Study B", values=((_g(2, 3), None), (_g(4, 3), False), (_g(3, 3), -2.5))),
        ),
        description="Does trust mediate uptake?",
        note_guids=(_g(4, 7),),
        sets=(QdaSet(_g(1, 9), "RealReview: deductive codes", "Codes from the theory", (deductive, child)),),
    )


def test_packaged_schema_is_the_tests_copy() -> None:
    packaged = PACKAGED_SCHEMA.read_bytes()
    assert hashlib.sha256(packaged).hexdigest() == hashlib.sha256(SCHEMA.read_bytes()).hexdigest()
    assert (
        hashlib.sha256(packaged).hexdigest()
        == "7841112e27897debf996f76209b9c5a5d074d66c1297a2f19f5ef250d29303bd"
    )


def test_a_full_project_round_trips_exactly() -> None:
    project = full_project()
    assert read_qdpx(write_qdpx(project), name="out.qdpx") == project


def test_the_written_project_is_valid_against_the_xsd_copy() -> None:
    members = unzip(write_qdpx(full_project()))
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(etree.fromstring(members["project.qde"])), schema.error_log
    assert validate_project_xml(members["project.qde"]) == []


def test_archive_layout() -> None:
    data = write_qdpx(full_project())
    members = unzip(data)
    representation = representation_guid(_g(2, 5))
    assert sorted(members) == sorted(
        [
            "project.qde",  # the text source goes inline: XML can carry its text
            f"sources/{representation}.txt",
            f"sources/{_g(2, 5)}.pdf",
            f"sources/{representation_guid(_g(3, 5))}.txt",
        ]
    )
    assert members[f"sources/{representation}.txt"] == PDF_TEXT.encode("utf-8")  # no BOM, form feeds kept
    assert members[f"sources/{_g(2, 5)}.pdf"] == PDF
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
    assert write_qdpx(full_project()) == data  # deterministic


def test_positions_are_written_in_utf16_units() -> None:
    root = etree.fromstring(project_xml(full_project()))
    selection = root.find(".//{*}PlainTextSelection")
    assert (selection.get("startPosition"), selection.get("endPosition")) == ("17", "36")
    zurich = root.findall(".//{*}PlainTextSelection")[1]
    start, end = _span(TEXT, "Zürich 🙂🙂 clinic")
    assert (int(zurich.get("startPosition")), int(zurich.get("endPosition"))) == (start + 1, end + 3)


def test_element_forms() -> None:
    xml = project_xml(full_project()).decode()
    assert 'isCodable="false" color="#336699"' in xml
    assert f'plainTextPath="internal://{_g(1, 5)}.txt"' not in xml  # inline instead
    assert "<PlainTextContent>Emoji 😀 first.&#13;\nPeople trust nurses" in xml
    assert f'path="internal://{_g(2, 5)}.pdf"' in xml
    assert "<FloatValue>0.0000001</FloatValue>" in xml and "<BooleanValue>true</BooleanValue>" in xml
    assert "<IntegerValue>120</IntegerValue>" in xml and "<DateValue>2020-03-01</DateValue>" in xml
    assert 'creationDateTime="2025-01-01T10:00:00.000005Z"' in xml
    assert "&#13;" in xml  # CR in descriptions and notes is escaped, so it survives parsing
    assert "<Links" not in xml and "<Graphs" not in xml


def test_empty_collections_are_left_out() -> None:
    xml = project_xml(QdaProject("Empty"))
    assert validate_project_xml(xml) == []
    assert xml.count(b"<") == 2  # the declaration and <Project .../>
    assert read_qdpx(write_qdpx(QdaProject("Empty")), name="e.qdpx") == QdaProject("Empty")


def test_datetimes_are_written_in_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    project = QdaProject(
        "p", notes=(QdaNote(_g(1, 7), "n", "t", created=datetime(2025, 1, 1, 12, tzinfo=plus_two)),)
    )
    back = read_qdpx(write_qdpx(project), name="p.qdpx")
    assert back.notes[0].created == datetime(2025, 1, 1, 10, tzinfo=UTC)
    naive = replace(project, notes=(QdaNote(_g(1, 7), "n", "t", created=datetime(2025, 1, 1, 12)),))
    assert read_qdpx(write_qdpx(naive), name="p.qdpx").notes[0].created == datetime(
        2025, 1, 1, 12, tzinfo=UTC
    )


def test_characters_xml_cannot_carry_are_dropped_from_names() -> None:
    source = QdaSource(_g(1, 5), "Doc", "a\fb", selections=(QdaSelection(_g(1, 6), 0, 3, name="a\fb"),))
    back = read_qdpx(write_qdpx(QdaProject("p\x00", sources=(source,))), name="p.qdpx")
    assert back.name == "p"
    assert back.sources[0].selections[0].name == "ab"
    assert back.sources[0].text == "a\fb"  # the text itself travels in a file, untouched


def test_the_nvivo_project_round_trips() -> None:
    project = read_qdpx(NVIVO.read_bytes(), name=NVIVO.name)
    written = write_qdpx(project)
    assert read_qdpx(written, name="again.qdpx") == project
    assert validate_project_xml(unzip(written)["project.qde"]) == []


@pytest.mark.parametrize(
    ("project", "message"),
    [
        (
            QdaProject(
                "p", sources=(QdaSource(_g(1, 5), "d", "abc", selections=(QdaSelection(_g(1, 6), 1, 9),)),)
            ),
            f"selection {_g(1, 6)}: index 9 is outside the text (0 to 3)",
        ),
        (
            QdaProject(
                "p",
                sources=(
                    QdaSource(
                        _g(1, 5),
                        "d",
                        "abc",
                        selections=(QdaSelection(_g(1, 6), 0, 1, codings=(QdaCoding(_g(1, 8), _g(9)),)),),
                    ),
                ),
            ),
            f"Coding {_g(1, 8)}: CodeRef {_g(9)} names no Code in the project",
        ),
        (
            QdaProject("p", codes=(QdaCode(_g(1), "c", color="red"),)),
            "attribute 'color': [facet 'pattern'] The value 'red' is not accepted",
        ),
        (
            QdaProject("p", codes=(QdaCode(_g(1), "a"), QdaCode(_g(1), "b"))),
            "the guid is already used by the Code",
        ),
        (
            QdaProject(
                "p",
                variables=(QdaVariable(_g(1, 3), "n", "Integer"),),
                cases=(QdaCase(_g(1, 4), "c", values=((_g(1, 3), True),)),),
            ),
            "variable 'n' is Integer, but a value is True",
        ),
        (
            QdaProject(
                "p",
                variables=(QdaVariable(_g(1, 3), "x", "Float"),),
                cases=(QdaCase(_g(1, 4), "c", values=((_g(1, 3), float("nan")),)),),
            ),
            "variable 'x': nan cannot be written as a decimal",
        ),
        (
            QdaProject("p", cases=(QdaCase(_g(1, 4), "c", values=((_g(1, 3), 1),)),)),
            f"case {_g(1, 4)}: no variable {_g(1, 3)}",
        ),
    ],
)
def test_writing_an_inconsistent_project_raises_value_error(project: QdaProject, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        write_qdpx(project)
    assert message in str(raised.value)


ALPHABET = st.sampled_from(["a", "é", "😀", "\r\n", "\n", " ", "𝔘", "\u200d", "\f"])


@st.composite
def texts_with_selections(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = "".join(draw(st.lists(ALPHABET, max_size=40)))
    bounds = st.integers(min_value=0, max_value=len(text))
    spans = draw(st.lists(st.tuples(bounds, bounds).map(sorted), max_size=5))
    return text, [(a, b) for a, b in spans]


@settings(max_examples=60, deadline=None)
@given(texts_with_selections())
def test_any_text_and_selections_round_trip(case: tuple[str, list[tuple[int, int]]]) -> None:
    text, spans = case
    selections = tuple(QdaSelection(_g(i, 6), start, end) for i, (start, end) in enumerate(spans))
    project = QdaProject("p", sources=(QdaSource(_g(1, 5), "d", text, selections=selections),))
    back = read_qdpx(write_qdpx(project), name="p.qdpx")
    assert back == project
    assert [back.sources[0].text[s.start : s.end] for s in back.sources[0].selections] == [
        text[a:b] for a, b in spans
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.text(
        st.characters(
            exclude_categories=("Cs", "Cc"), include_characters="\r\n\t", exclude_characters="\ufffe\uffff"
        ),
        max_size=20,
    ),
)
def test_case_values_round_trip(number: float, integer: int, text: str) -> None:
    variables = (
        QdaVariable(_g(1, 3), "f", "Float"),
        QdaVariable(_g(2, 3), "i", "Integer"),
        QdaVariable(_g(3, 3), "t", "Text"),
    )
    values = ((_g(1, 3), number), (_g(2, 3), integer), (_g(3, 3), text))
    project = QdaProject("p", variables=variables, cases=(QdaCase(_g(1, 4), "c", values=values),))
    back = read_qdpx(write_qdpx(project), name="p.qdpx")
    assert back == project
    assert [type(value) for _, value in back.cases[0].values] == [float, int, str]


def test_a_text_xml_cannot_carry_goes_as_a_file_and_comes_back_exact() -> None:
    project = full_project()
    paged = replace(project.sources[0], text=project.sources[0].text + "\fPage 2.")
    written = write_qdpx(replace(project, sources=(paged, *project.sources[1:])))
    members = unzip(written)
    assert members[f"sources/{_g(1, 5)}.txt"] == paged.text.encode("utf-8")
    assert read_qdpx(written, name="x.qdpx").sources[0].text == paged.text
