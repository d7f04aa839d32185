"""Study characteristics as an XLSX sheet to fill in offline, and the edited sheet read back.

Layout of the written sheet::

    row 1   record_id | Study | Country | Care setting | ...      (labels, bold, frozen)
    row 2   record_id | study | country | care_setting | ...      (hidden: the field keys)
    row 3+  12        | Smith 2020: ... | United Kingdom | primary; community | ...

Columns are matched back by the hidden key row, so a relabelled or moved column still lands on its
field; a sheet whose key row was deleted is matched by the labels instead. Choice columns get a
drop-down that rejects other values (``showErrorMessage`` must be set, or Excel lets anything in);
an inline list is limited to 255 characters and cannot hold a comma, so longer lists live on a
hidden ``lists`` sheet. Multi-valued columns (several choices, countries) get the drop-down as a
suggestion only, with an input message to separate values with ``;``. Years and numbers get
whole-number and decimal checks.

Reading never raises for a bad cell: each one becomes a :class:`Rejection` with its row number, so
that one typo does not throw away an afternoon's extraction.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from realreview import tables
from realreview.characteristics.countries import country_names
from realreview.characteristics.form import ExtractionForm, FieldKind, FormField, format_value
from realreview.characteristics.study import StudyRow
from realreview.characteristics.values import YEAR_RANGE, Value
from realreview.characteristics.xlsx_read import Change, Rejection, SheetImport, read_sheet
from realreview.errors import ValidationError

__all__ = ["LISTS_SHEET", "Change", "Rejection", "SheetImport", "StudyRow", "read_sheet", "write_sheet"]

LISTS_SHEET = "lists"
_INLINE_LIMIT = 255  # Excel refuses an inline list formula longer than this
_FIRST_ROW = 3
_TEXT_KINDS = (FieldKind.TEXT, FieldKind.CHOICE, FieldKind.MULTI_CHOICE, FieldKind.COUNTRY)


def _cell_value(field: FormField, value: Value) -> tables.Cell:
    if value is None or value == ():
        return None
    if field.kind in (FieldKind.YEAR, FieldKind.NUMBER) and isinstance(value, int | float):
        return value
    return format_value(field, value)


def _list_formula(wb: Workbook, field: FormField, options: Sequence[str]) -> str:
    """An inline ``"a,b"`` list when Excel allows one, else a range on the hidden lists sheet."""
    inline = '"' + ",".join(options) + '"'
    if len(inline) <= _INLINE_LIMIT and not any("," in o or '"' in o for o in options):
        return tables.xlsx_text(inline)
    if LISTS_SHEET in wb.sheetnames:
        lists = wb[LISTS_SHEET]
    else:
        lists = wb.create_sheet(LISTS_SHEET)
        lists.sheet_state = "hidden"
    column = 1 if lists["A1"].value is None else lists.max_column + 1
    tables.put(lists, 1, column, field.key)
    for row, option in enumerate(options, start=2):
        tables.put(lists, row, column, option)
    letter = get_column_letter(column)
    return f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(options) + 1}"


def _validation(wb: Workbook, field: FormField) -> DataValidation | None:
    """The check and input message of one field's column; None for text without help."""
    several = "Separate several values with ;"
    if field.kind is FieldKind.CHOICE:
        dv = DataValidation(
            type="list", formula1=_list_formula(wb, field, field.choices), error="Pick a value from the list."
        )
    elif field.kind.is_multi:
        options = field.choices if field.kind is FieldKind.MULTI_CHOICE else country_names()
        dv = DataValidation(
            type="list",
            formula1=_list_formula(wb, field, options),
            errorStyle="information",
            error="Several values are fine when separated by ;. Press OK to keep what you typed.",
        )
    elif field.kind is FieldKind.YEAR:
        low, high = YEAR_RANGE
        dv = DataValidation(
            type="whole",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            error=f"A year, {low}-{high}.",
        )
    elif field.kind is FieldKind.NUMBER:
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1="-1E+300",
            formula2="1E+300",
            error="A number (at most 1E+300).",
        )
    elif field.help:
        dv = DataValidation()
    else:
        return None
    prompt = field.help or ""
    if field.kind.is_multi and ";" not in prompt:
        prompt = f"{prompt} {several}".strip()
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = tables.xlsx_text(field.label[:32])
    if prompt:
        dv.showInputMessage = True
        dv.promptTitle, dv.prompt = tables.xlsx_text(field.label[:32]), tables.xlsx_text(prompt[:255])
    return dv


def _table(form: ExtractionForm, rows: Sequence[StudyRow]) -> tables.Table:
    """Labels as the header, the field keys as the first row (hidden), then a row per study."""
    keys: list[tables.Cell] = ["record_id", "study", *(f.key for f in form.fields)]
    studies = [
        [study.record_id, study.label, *(_cell_value(f, study.values.get(f.key)) for f in form.fields)]
        for study in rows
    ]
    return tables.Table(["record_id", "Study", *(f.label for f in form.fields)], [keys, *studies])


def _style(ws: Worksheet, form: ExtractionForm, rows: Sequence[StudyRow]) -> None:
    ws.row_dimensions[2].hidden = True
    for index in range(_FIRST_ROW, _FIRST_ROW + len(rows)):
        for column, field in enumerate(form.fields, start=3):
            if field.kind in _TEXT_KINDS:
                ws.cell(row=index, column=column).number_format = "@"  # Excel keeps "1/2" as typed
    fill = PatternFill("solid", fgColor="DDE6F0")
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].comment = Comment("RealReview finds each study by this id: do not change it.", "RealReview")
    ws.freeze_panes = f"C{_FIRST_ROW}"
    widths = [10, max([12, *(min(len(r.label), 60) for r in rows)])]
    for field in form.fields:
        longest = max([len(field.label), *(len(format_value(field, r.values.get(field.key))) for r in rows)])
        widths.append(min(max(longest + 2, 10), 50))
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _validate(ws: Worksheet, form: ExtractionForm, rows: Sequence[StudyRow]) -> None:
    last = _FIRST_ROW + max(len(rows), 1) - 1
    for column, field in enumerate(form.fields, start=3):
        dv = _validation(ws.parent, field)
        if dv is None:
            continue
        letter = get_column_letter(column)
        ws.add_data_validation(dv)
        dv.add(f"{letter}{_FIRST_ROW}:{letter}{last}")


def write_sheet(form: ExtractionForm, rows: Sequence[StudyRow], *, title: str = "Characteristics") -> bytes:
    r"""An XLSX workbook with one row per study and one column per field, ready to fill in.

    The cells are written by :func:`realreview.tables.to_xlsx` (text stays text; a character a sheet
    cannot hold becomes U+FFFD); this module adds the hidden key row, the styling and the checks.

    Args:
        form: the fields, which become the columns in order.
        rows: the studies and their current values.
        title: the sheet's name (Excel allows 31 characters, none of ``[]:*?/\``).

    Raises:
        ValidationError: a title Excel would refuse.
    """
    if title.casefold() == LISTS_SHEET:
        raise ValidationError(f"sheet title {title!r} must not be {LISTS_SHEET!r}")

    def finish(ws: Worksheet) -> None:
        _style(ws, form, rows)
        _validate(ws, form, rows)

    return tables.to_xlsx(_table(form, rows), title=title, finish=finish)
