"""The code × document matrix, as CSV and as an Excel sheet with the same layout."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from realreview.coding import CodeDocumentMatrix, build_matrix, to_csv, to_xlsx

CODES = [(1, "Context / Rural"), (2, "Trust"), (3, '=HYPERLINK("x")')]
DOCUMENTS = [(10, "Smith 2020"), (11, "Jones, 2021")]
CODINGS = [(1, 10), (1, 10), (1, 11), (2, 11), (2, 99), (42, 10)]


def _matrix() -> CodeDocumentMatrix:
    return build_matrix(CODES, DOCUMENTS, CODINGS)


def test_build_matrix_counts_pairs_of_listed_codes_and_documents() -> None:
    matrix = _matrix()
    assert matrix.codes == tuple(CODES) and matrix.documents == tuple(DOCUMENTS)
    assert dict(matrix.counts) == {(1, 10): 2, (1, 11): 1, (2, 11): 1}


def test_csv_defuses_a_formula_like_code_name() -> None:
    assert to_csv(_matrix()) == (
        'code,Smith 2020,"Jones, 2021",total\r\n'
        "Context / Rural,2,1,3\r\n"
        "Trust,0,1,1\r\n"
        '"\'=HYPERLINK(""x"")",0,0,0\r\n'
        "total,2,2,4\r\n"
    )


def test_raw_csv_keeps_the_name_as_it_is() -> None:
    assert '\r\n"=HYPERLINK(""x"")",0,0,0\r\n' in to_csv(_matrix(), defuse_formulas=False)


def test_an_empty_matrix() -> None:
    assert to_csv(build_matrix([], [], [])) == "code,total\r\ntotal,0\r\n"


def test_xlsx_has_the_same_layout_bold_header_and_frozen_panes() -> None:
    workbook = load_workbook(io.BytesIO(to_xlsx(_matrix())))
    sheet = workbook.active
    assert sheet.title == "Code matrix"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["code", "Smith 2020", "Jones, 2021", "total"],
        ["Context / Rural", 2, 1, 3],
        ["Trust", 0, 1, 1],
        ['=HYPERLINK("x")', 0, 0, 0],
        ["total", 2, 2, 4],
    ]
    assert sheet["D4"].value == 0
    assert sheet["A4"].data_type == "s"  # a code name that looks like a formula stays text
    assert all(cell.font.bold for cell in sheet[1]) and all(cell.font.bold for cell in sheet[5])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "B2"


def test_a_label_a_sheet_cannot_hold_is_replaced_in_xlsx_and_kept_in_csv() -> None:
    matrix = build_matrix([(1, "Tab\x0bbed")], [(10, "Doc\x00")], [(1, 10)])
    sheet = load_workbook(io.BytesIO(to_xlsx(matrix))).active
    assert [cell.value for cell in sheet[1]] == ["code", "Doc\ufffd", "total"]
    assert sheet["A2"].value == "Tab\ufffdbed"
    assert to_csv(matrix) == "code,Doc\x00,total\r\nTab\x0bbed,1,1\r\ntotal,1,1\r\n"
