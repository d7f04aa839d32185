"""The one table writer: CSV and XLSX from a header and rows, and its rules for awkward text."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from realreview.errors import ValidationError
from realreview.tables import REPLACEMENT, Table, csv_text, to_csv, to_xlsx, xlsx_text

TABLE = Table(("name", "n", "share"), [("Smith, 2020", 3, 0.25), ("=SUM(A1)", 0, None), ("-3", -3, 1.5)])


def _sheet(data: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def test_csv_is_rfc_4180_with_formulas_defused() -> None:
    assert to_csv(TABLE) == ('name,n,share\r\n"Smith, 2020",3,0.25\r\n\'=SUM(A1),0,\r\n-3,-3,1.5\r\n')
    assert to_csv(TABLE, lineterminator="\n", defuse_formulas=False).splitlines()[2] == "=SUM(A1),0,"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-x", "'-x"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("-3", "-3"),
        ("+1.5e3", "+1.5e3"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_text_defuses_what_a_spreadsheet_would_run(text: str, shown: str) -> None:
    assert csv_text(text) == shown


def test_csv_keeps_characters_a_sheet_cannot_hold() -> None:
    text = to_csv(Table(("a",), [("bell\x07 vt\x0b",)]))
    assert list(csv.reader(io.StringIO(text))) == [["a"], ["bell\x07 vt\x0b"]]


def test_xlsx_has_the_header_then_the_rows_with_types_kept() -> None:
    sheet = _sheet(to_xlsx(TABLE, title="Studies"))
    assert sheet.title == "Studies"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["name", "n", "share"],
        ["Smith, 2020", 3, 0.25],
        ["=SUM(A1)", 0, None],
        ["-3", -3, 1.5],
    ]
    assert sheet["A3"].data_type == "s"  # text that looks like a formula stays text
    assert sheet["A4"].data_type == "s" and sheet["B4"].data_type == "n"


def test_xlsx_replaces_each_character_a_sheet_cannot_hold_with_u_fffd() -> None:
    every = "".join(chr(c) for c in range(32) if ILLEGAL_CHARACTERS_RE.match(chr(c)))
    assert len(every) == 29  # C0 controls less tab, line feed and carriage return
    sheet = _sheet(to_xlsx(Table((f"a{every}b",), [("tab\tline\nreturn\r",)])))
    assert sheet["A1"].value == "a" + REPLACEMENT * 29 + "b"
    assert sheet["A2"].value == "tab\tline\nreturn\r"


@settings(max_examples=30, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40))
def test_any_text_survives_a_sheet_but_the_characters_it_cannot_hold(text: str) -> None:
    cleaned = xlsx_text(text)
    assert len(cleaned) == len(text) and not ILLEGAL_CHARACTERS_RE.search(cleaned)
    assert all(
        a == b or (b == REPLACEMENT and ILLEGAL_CHARACTERS_RE.match(a))
        for a, b in zip(text, cleaned, strict=True)
    )
    assert _sheet(to_xlsx(Table((text,), [])))["A1"].value == cleaned


def test_the_finish_hook_styles_the_written_sheet() -> None:
    def finish(sheet: Worksheet) -> None:
        assert sheet["A2"].value == "Smith, 2020"  # the cells are there already
        sheet["A1"].font = Font(bold=True)
        sheet.freeze_panes = "B2"

    sheet = _sheet(to_xlsx(TABLE, finish=finish))
    assert sheet["A1"].font.bold and sheet.freeze_panes == "B2"


@pytest.mark.parametrize("title", ["", "x" * 32, "a/b", "What?", "[x]"])
def test_a_title_excel_refuses_is_refused(title: str) -> None:
    with pytest.raises(ValidationError, match="sheet title"):
        to_xlsx(TABLE, title=title)
