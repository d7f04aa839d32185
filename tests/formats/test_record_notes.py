"""Screening notes in the writers: RIS N1 lines, a BibTeX annote field, CSV columns (issue #13 item 4)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import LatexDecodingMiddleware

from realreview import formats
from realreview.formats import bibtex, csv_exports, ris
from realreview.formats.base import Diagnostics
from realreview.formats.notes import NOTE_COLUMNS, RecordNotes, StageNote
from realreview.records import Record
from realreview.screening import Stage

DATA = Path(__file__).parent.parent / "data" / "exports"
EMBASE = DATA / "ris" / "cff_embase.ris"

NOTES = RecordNotes(
    stages=(
        StageNote(Stage.TITLE_ABSTRACT, "included", "2 of 2 reviewers", notes=("equity focus",)),
        StageNote(
            Stage.FULL_TEXT,
            "excluded",
            "1 of 2 reviewers; conflict resolved",
            reasons=("Wrong population", "Wrong setting"),
            notes=("resolution: agreed at\nthe meeting",),
        ),
    ),
    tags=(
        ("PROGRESS-Plus", ("Race, ethnicity, culture, language", "Education")),
        ("Equity approach", ("gap",)),
        ("", ("50% & more {braced}",)),
    ),
)
LINES = [
    "RealReview: title/abstract included (2 of 2 reviewers)",
    "RealReview: full text excluded (1 of 2 reviewers; conflict resolved) — reasons: Wrong population; Wrong setting",
    "RealReview tags (PROGRESS-Plus): Race, ethnicity, culture, language; Education",
    "RealReview tags (Equity approach): gap",
    "RealReview tags: 50% & more {braced}",
    "RealReview note (title/abstract): equity focus",
    "RealReview note (full text): resolution: agreed at the meeting",
]


def _ris_records() -> list[Record]:
    diagnostics = Diagnostics()
    with open(EMBASE, encoding="utf-8") as file:
        return list(ris.read(file, diagnostics))


def _read(module, text: str) -> list[Record]:  # type: ignore[no-untyped-def]
    return list(module.read(io.StringIO(text), Diagnostics()))


def test_lines_are_one_fact_each_with_the_prefix() -> None:
    assert NOTES.lines() == LINES
    assert RecordNotes().lines() == []
    assert RecordNotes().cells() == [""] * len(NOTE_COLUMNS)


def test_a_note_with_line_breaks_and_control_characters_is_one_line() -> None:
    note = RecordNotes(stages=(StageNote(Stage.TITLE_ABSTRACT, "pending", notes=("a\r\nTY  - JOUR\x00 b",)),))
    assert note.lines() == [
        "RealReview: title/abstract pending",
        "RealReview note (title/abstract): a TY - JOUR b",
    ]


def test_ris_notes_are_n1_lines_after_the_verbatim_record_and_read_back() -> None:
    records = _ris_records()[:2]
    text = ris.dumps(records, notes=[NOTES, RecordNotes()])
    again = _read(ris, text)

    first_n1 = [value for tag, value in again[0].raw if tag == "N1"]
    assert first_n1[-len(LINES) :] == LINES
    assert again[0].raw[: len(records[0].raw)] == records[0].raw  # the record's own pairs, verbatim
    assert again[1].raw == records[1].raw  # no notes: nothing added
    assert [r.title for r in again] == [r.title for r in records]
    assert ris.dumps(records) == ris.dumps(records, notes=[RecordNotes(), RecordNotes()])


def test_ris_notes_on_a_record_from_another_format_and_through_dump() -> None:
    (record,) = _read(bibtex, "@article{k, title={Equity in care}, author={Smith, Ann}, year={2020}}\n")
    buffer = io.StringIO()
    ris.dump([record], buffer, notes=[NOTES])
    assert buffer.getvalue() == ris.dumps([record], notes=[NOTES])
    (again,) = _read(ris, buffer.getvalue())
    assert again.title == "Equity in care" and again.raw_values("N1") == LINES


def test_ris_notes_read_by_rispy() -> None:
    rispy = pytest.importorskip("rispy")
    entries = rispy.loads(ris.dumps(_ris_records()[:1], notes=[NOTES]))
    assert entries[0]["notes"][-len(LINES) :] == LINES


def test_bibtex_notes_are_one_annote_field_that_bibtexparser_decodes() -> None:
    (record,) = _ris_records()[:1]
    text = bibtex.dumps([record], notes=[NOTES])

    library = parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    (entry,) = library.entries
    assert entry.fields_dict["annote"].value.split("\n") == LINES
    assert "note" not in entry.fields_dict  # styles print "note" in reference lists
    (again,) = _read(bibtex, text)
    assert again.title == record.title and again.doi == record.doi
    assert "annote" not in bibtex.dumps([record], notes=[RecordNotes()])


def test_csv_notes_are_columns_that_read_back_exactly() -> None:
    records = _ris_records()[:2]
    hostile = RecordNotes(stages=(StageNote(Stage.TITLE_ABSTRACT, "pending", notes=("=1+1",)),))
    text = csv_exports.dumps(records, notes=[NOTES, hostile])

    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[-len(NOTE_COLUMNS) :] == list(NOTE_COLUMNS)
    assert rows[0]["title_abstract_outcome"] == "included (2 of 2 reviewers)"
    assert rows[0]["full_text_outcome"].startswith("excluded (1 of 2 reviewers; conflict resolved)")
    assert rows[0]["exclusion_reasons"] == "Wrong population; Wrong setting"
    assert rows[0]["screening_tags"] == (
        "Race, ethnicity, culture, language; Education; gap; 50% & more {braced}"
    )
    assert rows[0]["decision_notes"].split("\n") == [
        "title/abstract: equity focus",
        "full text: resolution: agreed at the meeting",
    ]
    assert rows[1]["decision_notes"] == "title/abstract: =1+1"  # not a formula start: kept as is
    again = _read(csv_exports, text)  # RealReview's own CSV, note columns and all
    assert [r.title for r in again] == [r.title for r in records]
    assert again[0].raw_values("exclusion_reasons") == ["Wrong population; Wrong setting"]


def test_the_facade_passes_notes_to_each_writer() -> None:
    records = _ris_records()[:1]
    for name in ("ris", "bibtex"):
        assert formats.dumps(records, name) == formats.dumps(records, name, notes=[RecordNotes()])
    for name in formats.WRITERS:
        assert "included (2 of 2 reviewers)" in formats.dumps(records, name, notes=[NOTES])
    with_columns = formats.dumps(records, "csv", notes=[RecordNotes()]).split("\n")
    assert with_columns[0] == ",".join((*csv_exports.WRITER_COLUMNS, *NOTE_COLUMNS))
    with pytest.raises(ValueError):
        formats.dumps(records, "ris", notes=[NOTES, NOTES])  # one note per record, no more
