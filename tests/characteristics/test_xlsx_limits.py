"""Hostile characteristics sheets (issue 11): refused from their declared sizes, fast, naming the limit."""

from __future__ import annotations

import io
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from realreview.characteristics import (
    Change,
    ExtractionForm,
    FieldKind,
    FormField,
    Rejection,
    StudyRow,
    read_sheet,
    write_sheet,
)
from realreview.errors import FileTooLargeError, InputError, ParseError
from realreview.fulltext import ParseLimits

FORM = ExtractionForm(
    (
        FormField("country", "Country", FieldKind.TEXT),
        FormField("year", "Year", FieldKind.NUMBER),
    )
)
ROWS = [StudyRow(11, "Smith 2019", {"country": "France", "year": 2019}), StudyRow(12, "Lee 2020", {})]
CURRENT = {row.record_id: row.values for row in ROWS}
SHEET = "xl/worksheets/sheet1.xml"
CELL_LIMIT = "over the limit of 500,000 cells (REALREVIEW_MAX_SHEET_CELLS)"


def _sheet() -> bytes:
    return write_sheet(FORM, ROWS)


def _patch(data: bytes, change: Callable[[str], str], *, level: int = 6) -> bytes:
    """The workbook with its first sheet's XML rewritten by ``change`` (the other parts as they were)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for part in source.infolist():
            content = source.read(part)
            if part.filename == SHEET:
                content = change(content.decode()).encode()
            target.writestr(part.filename, content, compresslevel=level)
    return out.getvalue()


def _dimension(ref: str) -> Callable[[str], str]:
    return lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)


def _far_cell(coordinate: str, *, declared: str | None = None) -> Callable[[str], str]:
    """One more cell at ``coordinate``, the dimension saying so (or ``declared``, a lie)."""
    row = re.sub(r"\D", "", coordinate)

    def change(xml: str) -> str:
        cell = f'<row r="{row}"><c r="{coordinate}" t="inlineStr"><is><t>x</t></is></c></row>'
        xml = xml.replace("</sheetData>", cell + "</sheetData>")
        return _dimension(declared or f"A1:{coordinate}")(xml)

    return change


def _refused(data: bytes, *, limits: ParseLimits | None = None) -> tuple[str, float, int]:
    """The refusal's message, the seconds it took, and the peak of Python allocations on a second try.

    The two are measured apart because tracing every allocation slows the reading down tenfold.
    """

    def refuse() -> str:
        with pytest.raises(FileTooLargeError) as caught:
            read_sheet(data, FORM, current=CURRENT, name="hostile.xlsx", limits=limits or ParseLimits())
        return str(caught.value)

    started = time.perf_counter()
    message = refuse()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    try:
        assert refuse() == message
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return message, elapsed, peak


@pytest.mark.parametrize(
    ("coordinate", "declared", "extent"),
    [
        ("XFD1048576", "A1:XFD1048576", "A1:XFD1048576 (17,179,869,184 cells)"),
        ("A1048576", "A1:D1048576", "A1:D1048576 (4,194,304 cells)"),
    ],
)
def test_a_far_cell_is_refused_from_the_declared_dimension(
    coordinate: str, declared: str, extent: str
) -> None:
    data = _patch(_sheet(), _far_cell(coordinate, declared=declared))
    assert len(data) < 12_000

    message, elapsed, peak = _refused(data)

    assert message == f"hostile.xlsx: sheet 'Characteristics' spans {extent}, {CELL_LIMIT}"
    assert elapsed < 0.5
    assert peak < 20 * 2**20


@pytest.mark.parametrize("declared", ["A1:D4", None], ids=["understated", "missing"])
def test_a_far_cell_behind_a_dimension_that_lies_is_refused_while_streaming(declared: str | None) -> None:
    def change(xml: str) -> str:
        xml = _far_cell("A1048576", declared=declared or "A1:D4")(xml)
        return xml if declared else re.sub(r'<dimension ref="[^"]*"\s*/>', "", xml)

    message, elapsed, peak = _refused(_patch(_sheet(), change))

    assert re.fullmatch(
        rf"hostile\.xlsx: sheet 'Characteristics' spans at least [\d,]+ rows by 4 columns, {re.escape(CELL_LIMIT)}",
        message,
    )
    assert elapsed < 3
    assert peak < 100 * 2**20


def test_a_wide_row_behind_a_small_dimension_counts_every_column() -> None:
    data = _patch(_sheet(), _far_cell("XFD70", declared="A1:D4"))

    message, _, _ = _refused(data)

    assert message.endswith(f"spans at least 70 rows by 16,384 columns, {CELL_LIMIT}")


def _bomb(rows: int) -> Callable[[str], str]:
    """``rows`` identical rows (no ``r=`` numbers, which Excel may omit): a sheet-size bomb."""
    row = (
        '<row><c><v>99</v></c><c t="inlineStr"><is><t>x</t></is></c>'
        '<c t="inlineStr"><is><t>France</t></is></c><c><v>2019</v></c></row>'
    )

    def change(xml: str) -> str:
        return _dimension(f"A1:D{rows + 4}")(xml.replace("</sheetData>", row * rows + "</sheetData>"))

    return change


def test_a_sheet_size_bomb_is_refused_from_its_compression_ratio() -> None:
    data = _patch(_sheet(), _bomb(300_000), level=9)
    assert len(data) < 200_000

    message, elapsed, _ = _refused(data)

    assert re.fullmatch(
        r"hostile\.xlsx: its part xl/worksheets/sheet1\.xml unpacks \d+ times larger than it is stored "
        r"\([\d.]+ MiB to [\d.]+ MiB\), over the limit of 100 \(REALREVIEW_MAX_ZIP_RATIO\)",
        message,
    )
    assert elapsed < 0.5


def test_the_same_bomb_past_a_loose_ratio_meets_the_cell_limit() -> None:
    data = _patch(_sheet(), _bomb(300_000), level=9)

    message, elapsed, _ = _refused(data, limits=ParseLimits(max_zip_ratio=10_000))

    assert (
        message == f"hostile.xlsx: sheet 'Characteristics' spans A1:D300004 (1,200,016 cells), {CELL_LIMIT}"
    )
    assert elapsed < 1


def test_the_unpacked_size_limit_is_named_in_mib() -> None:
    data = _patch(_sheet(), _bomb(20_000))

    message, _, _ = _refused(data, limits=ParseLimits(max_unzipped_mb=1, max_zip_ratio=10_000))

    assert re.fullmatch(
        r"hostile\.xlsx: unpacks to [\d.]+ MiB, over the 1 MiB limit \(REALREVIEW_MAX_UNZIPPED_MB\)", message
    )


def test_a_sheet_within_the_limits_still_reads() -> None:
    report = read_sheet(
        _patch(_sheet(), _bomb(2_000)), FORM, current=CURRENT, name="big.xlsx", limits=ParseLimits()
    )

    assert report.unchanged == 4
    assert len(report.rejected) == 2_000
    assert report.rejected[0] == Rejection(
        5, "record_id", "99", "record 99 is not a study of this review; the row was skipped"
    )


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REALREVIEW_MAX_SHEET_CELLS", "10")

    with pytest.raises(FileTooLargeError, match=r"spans A1:D4 \(16 cells\), over the limit of 10 cells"):
        read_sheet(_sheet(), FORM, current=CURRENT, name="s.xlsx")


def test_a_refusal_is_an_input_error_for_the_edges() -> None:
    assert issubclass(FileTooLargeError, InputError)


def _with_formula(data: bytes, cell: str, formula: str) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Characteristics"]
    assert isinstance(ws, Worksheet)
    ws[cell] = formula  # openpyxl saves a formula without a value, as scripts do
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_formula_without_a_saved_value_is_refused_for_that_cell() -> None:
    data = _with_formula(_sheet(), "C3", '=IF(TRUE,"Spain","")')
    data = _with_formula(data, "D4", "=2000+21")

    report = read_sheet(data, FORM, current=CURRENT, name="s.xlsx")

    assert report.changes == ()
    assert report.rejected == (
        Rejection(
            3,
            "Country",
            '=IF(TRUE,"Spain","")',
            "sheet 'Characteristics', cell C3: a formula without a saved value; the stored value was kept "
            "(open and save the file in a spreadsheet, or type the value)",
        ),
        Rejection(
            4,
            "Year",
            "=2000+21",
            "sheet 'Characteristics', cell D4: a formula without a saved value; the stored value was kept "
            "(open and save the file in a spreadsheet, or type the value)",
        ),
    )
    assert report.unchanged == 2


def test_a_formula_with_a_saved_value_gives_that_value() -> None:
    def cached(xml: str) -> str:
        return xml.replace(
            '<c r="C3" s="2" t="inlineStr"><is><t>France</t></is></c>',
            '<c r="C3" t="str"><f>"Spa"&amp;"in"</f><v>Spain</v></c>',
        )

    data = _patch(_sheet(), cached)
    assert "<f>" in zipfile.ZipFile(io.BytesIO(data)).read(SHEET).decode()

    report = read_sheet(data, FORM, current=CURRENT, name="s.xlsx")

    assert report.changes == (Change(11, "country", "France", "Spain", 3),)
    assert report.rejected == ()


def test_a_damaged_zip_is_still_not_a_workbook() -> None:
    with pytest.raises(ParseError, match=r"^cut.xlsx: not an XLSX workbook$"):
        read_sheet(_sheet()[:-40], FORM, current=CURRENT, name="cut.xlsx")


def test_a_dimension_that_understates_the_sheet_does_not_cut_it_short() -> None:
    data = _patch(_sheet(), _dimension("A1:B2"))

    report = read_sheet(data, FORM, current=CURRENT, name="s.xlsx")

    assert (report.changes, report.rejected, report.unchanged) == ((), (), 4)
