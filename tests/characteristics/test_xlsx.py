from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from realreview.characteristics import (
    Change,
    ExtractionForm,
    FieldKind,
    FormField,
    Rejection,
    SheetImport,
    StudyRow,
    Value,
    country_names,
    default_equity_form,
    parse_value,
    read_sheet,
    write_sheet,
)
from realreview.errors import EmptyFileError, ParseError, ValidationError
from realreview.screening import PROGRESS_PLUS

FORM = ExtractionForm(
    (
        *default_equity_form().fields,
        FormField("n", "Sample size", FieldKind.NUMBER, help="Participants analysed"),
    )
)
ROWS = [
    StudyRow(
        11,
        "Smith 2019: Community health workers",
        {
            "country": ("United Kingdom", "France"),
            "care_setting": ("primary", "community"),
            "year": 2019,
            "clinical_topic": "diabetes",
            "study_design": "RCT",
            "progress_plus": ("Gender, sex", "Education"),
            "intervention_type": "targeted",
            "effect_on_inequalities": "reduced",
            "n": 120,
        },
    ),
    StudyRow(12, 'Jones 2021: =HYPERLINK("x")', {"year": 2021, "clinical_topic": "=1+1", "n": 2.5}),
    StudyRow(13, "Lee 2020", {}),
]
CURRENT: Mapping[int, Mapping[str, Value]] = {row.record_id: row.values for row in ROWS}
CELLS = len(ROWS) * len(FORM.fields)  # 27 study cells


def _edit(data: bytes, change: Callable[[Worksheet], None]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Characteristics"]
    assert isinstance(ws, Worksheet)
    change(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _read(data: bytes) -> SheetImport:
    return read_sheet(data, FORM, current=CURRENT, name="sheet.xlsx")


def _options(wb: Workbook, dv: DataValidation) -> list[str]:
    formula = dv.formula1
    assert formula is not None
    if formula.startswith('"'):
        return [str(o) for o in formula.strip('"').split(",")]
    sheet, cells = formula.rsplit("!", 1)
    return [str(c.value) for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row]


def test_layout_of_the_written_sheet() -> None:
    wb = load_workbook(io.BytesIO(write_sheet(FORM, ROWS)))
    assert wb.sheetnames == ["Characteristics", "lists"]
    assert wb["lists"].sheet_state == "hidden"
    ws = wb["Characteristics"]
    assert isinstance(ws, Worksheet)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("record_id", "Study", *(f.label for f in FORM.fields))
    assert rows[1] == ("record_id", "study", *(f.key for f in FORM.fields))
    assert ws.row_dimensions[2].hidden is True
    assert ws.freeze_panes == "C3"
    assert rows[2] == (
        11,
        "Smith 2019: Community health workers",
        "United Kingdom; France",
        "primary; community",
        2019,
        "diabetes",
        "RCT",
        "Gender, sex; Education",
        "targeted",
        "reduced",
        120,
    )
    assert rows[3] == (
        12,
        'Jones 2021: =HYPERLINK("x")',
        None,
        None,
        2021,
        "=1+1",
        None,
        None,
        None,
        None,
        2.5,
    )
    assert ws["F4"].data_type == "s" and ws["B4"].data_type == "s"  # text, not formulas
    assert rows[4] == (13, "Lee 2020", *([None] * 9))
    assert ws["C3"].number_format == "@" and ws["E3"].number_format == "General"


def test_validations_sit_on_the_right_columns() -> None:
    wb = load_workbook(io.BytesIO(write_sheet(FORM, ROWS)))
    ws = wb["Characteristics"]
    assert isinstance(ws, Worksheet)
    found = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert sorted(found) == ["C3:C5", "D3:D5", "E3:E5", "G3:G5", "H3:H5", "I3:I5", "J3:J5", "K3:K5"]
    assert all(dv.showErrorMessage and dv.allow_blank for dv in found.values())
    design = FORM.field("study_design")
    assert (found["G3:G5"].type, found["G3:G5"].errorStyle) == ("list", None)  # None: Excel's "stop"
    assert found["G3:G5"].formula1 == '"' + ",".join(design.choices) + '"'
    assert _options(wb, found["I3:I5"]) == ["gap", "targeted", "gradient", "none"]
    assert _options(wb, found["J3:J5"]) == ["reduced", "no change", "increased", "mixed", "not reported"]
    # several values: the list only suggests, and the input message says how to separate them
    for sqref, options in (
        ("C3:C5", list(country_names())),
        ("D3:D5", ["primary", "secondary", "tertiary", "community"]),
        ("H3:H5", list(PROGRESS_PLUS)),
    ):
        assert (found[sqref].type, found[sqref].errorStyle) == ("list", "information")
        assert _options(wb, found[sqref]) == options
        assert found[sqref].showInputMessage and ";" in found[sqref].prompt
    # PROGRESS-Plus (commas, 400+ characters) and the countries live on the hidden sheet
    assert found["C3:C5"].formula1 == "'lists'!$A$2:$A$251"
    assert found["H3:H5"].formula1 == "'lists'!$B$2:$B$15"
    assert (found["E3:E5"].type, found["E3:E5"].operator) == ("whole", "between")
    assert (found["E3:E5"].formula1, found["E3:E5"].formula2) == ("1800", "2100")
    assert found["K3:K5"].type == "decimal"
    assert found["K3:K5"].prompt == "Participants analysed"


def test_long_or_comma_lists_go_to_the_hidden_sheet() -> None:
    long = tuple(f"option number {i}" for i in range(20))  # 20 x 16 characters: over 255 inline
    form = ExtractionForm(
        (
            FormField("a", "Long", FieldKind.CHOICE, long),
            FormField("b", "Comma", FieldKind.CHOICE, ("yes, fully", "no")),
            FormField("c", "Short", FieldKind.CHOICE, ("yes", "no")),
        )
    )
    wb = load_workbook(io.BytesIO(write_sheet(form, [], title="Extraction")))
    ws = wb["Extraction"]
    assert isinstance(ws, Worksheet)
    found = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert found["C3"].formula1 == "'lists'!$A$2:$A$21"
    assert found["D3"].formula1 == "'lists'!$B$2:$B$3"
    assert found["E3"].formula1 == '"yes,no"'
    assert _options(wb, found["C3"]) == list(long)
    assert _options(wb, found["D3"]) == ["yes, fully", "no"]
    assert [c.value for c in wb["lists"][1]] == ["a", "b"]


def test_no_lists_sheet_when_every_list_is_short() -> None:
    form = ExtractionForm((FormField("c", "Short", FieldKind.CHOICE, ("yes", "no")),))
    assert load_workbook(io.BytesIO(write_sheet(form, []))).sheetnames == ["Characteristics"]


@pytest.mark.parametrize("title", ["", "x" * 32, "a/b", "What?", "lists"])
def test_bad_titles(title: str) -> None:
    with pytest.raises(ValidationError, match="sheet title"):
        write_sheet(FORM, ROWS, title=title)


def test_untouched_sheet_reads_back_unchanged() -> None:
    assert _read(write_sheet(FORM, ROWS)) == SheetImport(changes=(), rejected=(), unchanged=CELLS)


def test_edits_become_exactly_these_changes_and_rejections() -> None:
    def edit(ws: Worksheet) -> None:
        ws["G3"] = "cohort"  # a valid change
        ws["J3"] = "reduced a lot"  # not a choice
        ws["D3"] = "Tertiary; primary"  # multi-value edit (canonical order and case)
        ws["C4"] = "UK, Kenya"  # countries, comma-separated
        ws["E4"] = None  # a blank cell clears the year
        ws["A5"] = 999  # not a study of this review
        ws["K3"] = "many"

    report = _read(_edit(write_sheet(FORM, ROWS), edit))
    assert report.changes == (
        Change(11, "care_setting", ("primary", "community"), ("primary", "tertiary"), 3),
        Change(11, "study_design", "RCT", "cohort", 3),
        Change(12, "country", None, ("United Kingdom", "Kenya"), 4),
        Change(12, "year", 2021, None, 4),
    )
    assert report.rejected == (
        Rejection(
            3,
            "Reported effect on inequalities",
            "reduced a lot",
            "Reported effect on inequalities: 'reduced a lot' is not one of: "
            "reduced, no change, increased, mixed, not reported",
        ),
        Rejection(3, "Sample size", "many", "Sample size: 'many' is not a number"),
        Rejection(5, "record_id", "999", "record 999 is not a study of this review; the row was skipped"),
    )
    assert report.unchanged == 18 - 4 - 2  # rows 11 and 12: 18 cells, 4 changed, 2 refused


def test_rows_without_a_usable_id_or_seen_twice_are_rejected() -> None:
    def edit(ws: Worksheet) -> None:
        ws.append([11, "Smith again", "Peru"])  # row 6: duplicate of row 3
        ws.append([None, "no id", "Peru"])  # row 7
        ws.append(["twelve", "bad id", "Peru"])  # row 8
        ws.append([True, "a boolean", "Peru"])  # row 9
        ws.append([None, None, None, "  "])  # row 10: blank, skipped silently
        ws.append(["13", "id as text"])  # row 11: record 13 again (first on row 5)

    report = _read(_edit(write_sheet(FORM, ROWS), edit))
    assert report.changes == ()
    assert report.rejected == (
        Rejection(6, "record_id", "11", "record 11 appears again (first on row 3); the row was skipped"),
        Rejection(7, "record_id", "", "no record id; the row was skipped"),
        Rejection(8, "record_id", "twelve", "not a record id; the row was skipped"),
        Rejection(9, "record_id", "True", "not a record id; the row was skipped"),
        Rejection(11, "record_id", "13", "record 13 appears again (first on row 5); the row was skipped"),
    )
    assert report.unchanged == CELLS


def test_unknown_and_repeated_columns_are_reported_once() -> None:
    def edit(ws: Worksheet) -> None:
        ws["L1"], ws["L2"], ws["L3"], ws["L4"] = "Funding", "funding", "NIHR", "MRC"
        ws["M3"] = "a note without a header"
        ws["N1"], ws["N2"], ws["N3"] = "Year (again)", "year", 1999
        ws["O1"] = "Empty column"  # a header, no values: still not a field

    report = _read(_edit(write_sheet(FORM, ROWS), edit))
    assert report.changes == ()
    assert report.rejected == (
        Rejection(1, "Funding", "", "not a field of the form; the column was not imported"),
        Rejection(1, "M", "", "a column without a header; it was not imported"),
        Rejection(1, "Year (again)", "", "a second column for Year (the first is 'Year'); not imported"),
        Rejection(1, "Empty column", "", "not a field of the form; the column was not imported"),
    )
    assert report.unchanged == CELLS


def test_moved_and_relabelled_columns_map_by_the_hidden_keys() -> None:
    def edit(ws: Worksheet) -> None:
        ws.move_range("C1:C5", cols=10)  # Country to column M
        ws["M1"] = "Countries studied"
        ws["M3"] = "France; United Kingdom"  # the same set: unchanged
        ws["M5"] = "Peru"

    report = _read(_edit(write_sheet(FORM, ROWS), edit))
    assert report.changes == (Change(13, "country", None, ("Peru",), 5),)
    assert report.rejected == ()
    assert report.unchanged == CELLS - 1


def test_without_the_key_row_columns_map_by_label() -> None:
    def edit(ws: Worksheet) -> None:
        ws.delete_rows(2)
        ws["E2"] = 2018  # Smith's year, now on row 2

    report = _read(_edit(write_sheet(FORM, ROWS), edit))
    assert report.changes == (Change(11, "year", 2019, 2018, 2),)
    assert report.unchanged == CELLS - 1


def test_a_sheet_made_by_hand_with_a_title_row_and_keys_as_headers() -> None:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.append(["Characteristics of included studies"])
    ws.append(["Study", "RECORD_ID", "year", "Care setting"])
    ws.append(["Lee", 13.0, "2020", "community"])
    out = io.BytesIO()
    wb.save(out)
    report = _read(out.getvalue())
    assert report.changes == (
        Change(13, "year", None, 2020, 3),
        Change(13, "care_setting", None, ("community",), 3),
    )
    assert report.rejected == ()


def test_unusable_files() -> None:
    with pytest.raises(ParseError, match=r"^notes.txt: not an XLSX workbook$"):
        read_sheet(b"record_id,year\n1,2019\n", FORM, current=CURRENT, name="notes.txt")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ParseError, match=r"^a.zip: not an XLSX workbook$"):
        read_sheet(zipped.getvalue(), FORM, current=CURRENT, name="a.zip")
    with pytest.raises(EmptyFileError, match=r"^empty.xlsx: the file is empty$"):
        read_sheet(b"", FORM, current=CURRENT, name="empty.xlsx")
    other = Workbook()
    other.active.append(["id", "year"])
    out = io.BytesIO()
    other.save(out)
    with pytest.raises(ParseError, match=r"^other.xlsx: no sheet with a record_id column$"):
        read_sheet(out.getvalue(), FORM, current=CURRENT, name="other.xlsx")


def test_characters_a_cell_cannot_hold_are_replaced_not_dropped() -> None:
    rows = [StudyRow(1, "Bad\x01 label\x0bhere", {"clinical_topic": "ok"})]
    ws = load_workbook(io.BytesIO(write_sheet(FORM, rows)))["Characteristics"]
    assert ws["B3"].value == "Bad\ufffd label\ufffdhere"


_text = st.text(max_size=30)


@st.composite
def _study_values(draw: st.DrawFn) -> dict[str, Value]:
    """Values as the services store them: what parse_value returns for something typed."""
    values: dict[str, Value] = {
        "country": draw(st.sets(st.sampled_from(country_names()[:40]), max_size=3).map(tuple)) or None,
        "year": draw(st.none() | st.integers(1800, 2100)),
        "clinical_topic": parse_value(FORM.field("clinical_topic"), draw(_text)),
        "n": draw(st.none() | st.integers(-(2**53), 2**53) | st.floats(-1e300, 1e300)),
    }
    for key in ("care_setting", "progress_plus", "study_design", "effect_on_inequalities"):
        field = FORM.field(key)
        picked = draw(
            st.sets(st.sampled_from(field.choices), max_size=1 if key.startswith(("study", "eff")) else 4)
        )
        values[key] = parse_value(field, "; ".join(picked))
    return values


@settings(max_examples=40, deadline=None)
@given(st.lists(_study_values(), min_size=1, max_size=4), st.lists(_text, min_size=4, max_size=4))
def test_any_stored_values_survive_the_sheet(values: list[dict[str, Value]], labels: list[str]) -> None:
    rows = [StudyRow(i, label, v) for i, (label, v) in enumerate(zip(labels, values, strict=False), start=1)]
    current = {row.record_id: row.values for row in rows}
    report = read_sheet(write_sheet(FORM, rows), FORM, current=current, name="x.xlsx")
    assert report == SheetImport((), (), len(rows) * len(FORM.fields))


def test_a_float_with_17_digits_reads_back_unchanged() -> None:
    rows = [StudyRow(1, "A", {"n": 1.3510798882109982e16}), StudyRow(2, "B", {"n": 0.1 + 0.2})]
    current = {row.record_id: row.values for row in rows}
    report = read_sheet(write_sheet(FORM, rows), FORM, current=current, name="x.xlsx")
    assert report == SheetImport((), (), 2 * len(FORM.fields))


def test_a_help_text_a_sheet_cannot_hold_is_cleaned_in_the_input_message() -> None:
    form = ExtractionForm((FormField("topic", "Topic", FieldKind.TEXT, help="Main\x02 topic"),))
    ws = load_workbook(io.BytesIO(write_sheet(form, [StudyRow(1, "A", {"topic": "x"})])))["Characteristics"]
    (validation,) = ws.data_validations.dataValidation
    assert validation.prompt == "Main\ufffd topic"
