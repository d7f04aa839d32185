"""Reading an edited characteristics sheet back: what changed, what was refused, and why.

The sheet is compared cell by cell with the values stored now, so that re-importing an untouched
sheet changes nothing and an edit to one cell is one :class:`Change`. Anything that cannot be used
(an unknown record id, a repeated study row, a column that is not a field, a value the field does
not accept) is a :class:`Rejection` naming the sheet row, so the person can fix exactly that cell.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from realreview.characteristics.form import ExtractionForm, FormField, parse_value
from realreview.characteristics.reconcile import is_same_value
from realreview.characteristics.values import Value, choice_key
from realreview.errors import EmptyFileError, ParseError, ValidationError

__all__ = ["Change", "Rejection", "SheetImport", "read_sheet"]

_HEADER_SEARCH_ROWS = 20  # a title or a note above the header is fine; a header further down is not
_RECORD_ID = "record_id"


@dataclass(frozen=True, slots=True)
class Change:
    """A cell whose value differs from the stored one (``new`` None: the cell was cleared)."""

    record_id: int
    key: str
    old: Value
    new: Value
    row: int


@dataclass(frozen=True, slots=True)
class Rejection:
    """A cell, row or column that was not imported; ``row`` is the sheet's own row number."""

    row: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class SheetImport:
    """The outcome of reading a sheet; ``unchanged`` counts study cells equal to the stored value."""

    changes: tuple[Change, ...]
    rejected: tuple[Rejection, ...]
    unchanged: int


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    field: FormField
    header: str


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _load(data: bytes, name: str) -> Workbook:
    if not data.strip():
        raise EmptyFileError(f"{name}: the file is empty")
    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    # openpyxl reports a damaged or foreign file through zipfile, KeyError, ValueError, lxml and its
    # own exceptions alike; to the person each means the same thing.
    except Exception as error:
        raise ParseError(f"{name}: not an XLSX workbook") from error


def _find_header(wb: Workbook, name: str) -> tuple[Worksheet, int, int]:
    """The first worksheet with a ``record_id`` header cell: (sheet, header row, id column index)."""
    for ws in wb.worksheets:
        if not isinstance(ws, Worksheet):
            continue
        for row_number, values in enumerate(ws.iter_rows(max_row=_HEADER_SEARCH_ROWS, values_only=True), 1):
            for index, value in enumerate(values):
                if _text(value).casefold() == _RECORD_ID:
                    return ws, row_number, index
    raise ParseError(f"{name}: no sheet with a record_id column")


def _field_of(form: ExtractionForm, key: str, header: str) -> FormField | None:
    """The field a column holds: by its hidden key, else by its label (or a key typed as header)."""
    for field in form.fields:
        if key and field.key == key:
            return field
    for field in form.fields:
        if header and (choice_key(field.label) == choice_key(header) or field.key == header):
            return field
    return None


def _map_columns(
    form: ExtractionForm,
    headers: Sequence[object],
    keys: Sequence[object],
    body: Sequence[Sequence[object]],
    *,
    id_index: int,
    header_row: int,
) -> tuple[list[_Column], list[Rejection]]:
    """The columns that hold fields, and a rejection for each column that holds something else."""
    columns: list[_Column] = []
    rejected: list[Rejection] = []
    taken: dict[str, str] = {}
    for index, raw_header in enumerate(headers):
        header, key = _text(raw_header), _text(keys[index]) if keys else ""
        if index == id_index or key == "study" or (not key and header.casefold() == "study"):
            continue
        field = _field_of(form, key, header)
        name = header or key or get_column_letter(index + 1)
        if field is None:
            if header or key:
                reason = "not a field of the form; the column was not imported"
            elif any(_text(row[index]) for row in body):
                reason = "a column without a header; it was not imported"
            else:
                continue
            rejected.append(Rejection(header_row, name, "", reason))
        elif field.key in taken:
            reason = f"a second column for {field.label} (the first is {taken[field.key]!r}); not imported"
            rejected.append(Rejection(header_row, name, "", reason))
        else:
            taken[field.key] = name
            columns.append(_Column(index, field, name))
    return columns, rejected


def _is_unchanged(old: Value, new: Value) -> bool:
    """Whether a cell still says what is stored, allowing for how a cell stores a float.

    openpyxl writes a float with 16 significant digits (``"%.16g"``), so a stored 17-digit float
    reads back as its 16-digit neighbour: that is the value the sheet showed, not an edit.
    """
    if is_same_value(old, new):
        return True
    return isinstance(old, float) and isinstance(new, int | float) and float(f"{old:.16g}") == new


def _record_id(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = _text(raw)
    return int(text) if text.isdigit() and text.isascii() else None


def _row_problem(
    raw: object, record_id: int | None, current: Mapping[int, object], seen: Mapping[int, int]
) -> str:
    if not _text(raw):
        return "no record id; the row was skipped"
    if record_id is None:
        return "not a record id; the row was skipped"
    if record_id not in current:
        return f"record {record_id} is not a study of this review; the row was skipped"
    if record_id in seen:
        return f"record {record_id} appears again (first on row {seen[record_id]}); the row was skipped"
    return ""


def read_sheet(
    data: bytes, form: ExtractionForm, *, current: Mapping[int, Mapping[str, Value]], name: str
) -> SheetImport:
    """Compare an edited sheet with the stored values, cell by cell.

    Args:
        data: the uploaded file.
        form: the review's form, which says what each column may hold.
        current: per record id, the values stored now; only these studies can be changed.
        name: the file's name, for error messages.

    Raises:
        EmptyFileError: the file has no bytes.
        ParseError: "<name>: not an XLSX workbook", or "<name>: no sheet with a record_id column".
            A bad cell never raises: it is a :class:`Rejection`.
    """
    ws, header_row, id_index = _find_header(_load(data, name), name)
    table = [list(row) for row in ws.iter_rows(min_row=header_row, values_only=True)]
    headers, rest = table[0], table[1:]
    has_keys = bool(rest) and _text(rest[0][id_index]).casefold() == _RECORD_ID
    keys, body = (rest[0], rest[1:]) if has_keys else ([], rest)
    first_row = header_row + 1 + has_keys
    columns, rejected = _map_columns(form, headers, keys, body, id_index=id_index, header_row=header_row)
    changes: list[Change] = []
    seen: dict[int, int] = {}
    unchanged = 0
    for row_number, values in enumerate(body, start=first_row):
        if not any(_text(v) for v in values):
            continue
        raw_id = values[id_index]
        record_id = _record_id(raw_id)
        problem = _row_problem(raw_id, record_id, current, seen)
        if problem or record_id is None:
            rejected.append(Rejection(row_number, _RECORD_ID, _shown(raw_id), problem))
            continue
        seen[record_id] = row_number
        stored = current[record_id]
        for column in columns:
            raw = values[column.index]
            try:
                new = parse_value(column.field, raw)
            except ValidationError as error:
                rejected.append(Rejection(row_number, column.header, _shown(raw), str(error)))
                continue
            old = stored.get(column.field.key)
            if _is_unchanged(old, new):
                unchanged += 1
            else:
                changes.append(Change(record_id, column.field.key, old, new, row_number))
    return SheetImport(tuple(changes), tuple(rejected), unchanged)
