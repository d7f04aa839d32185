"""Reading an edited characteristics sheet back: what changed, what was refused, and why.

The sheet is compared cell by cell with the values stored now, so that re-importing an untouched
sheet changes nothing and an edit to one cell is one :class:`Change`. Anything that cannot be used
(an unknown record id, a repeated study row, a column that is not a field, a value the field does
not accept) is a :class:`Rejection` naming the sheet row, so the person can fix exactly that cell.

An uploaded workbook is untrusted (issue 11: one cell at XFD1048576 in an 11 KB file took the server
to 4.5 GB). Before openpyxl reads a cell, the zip's declared sizes and each sheet's declared
dimension are checked against :class:`~realreview.fulltext.ParseLimits`; the sheet is then streamed
(read-only mode), counting the cells it spans, so a dimension that lies is caught too.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from realreview.characteristics.form import ExtractionForm, FormField, parse_value
from realreview.characteristics.reconcile import is_same_value
from realreview.characteristics.values import Value, choice_key
from realreview.errors import EmptyFileError, FileTooLargeError, ParseError, ValidationError
from realreview.fulltext.sandbox import ParseLimits

__all__ = ["Change", "Rejection", "SheetImport", "read_sheet"]

_HEADER_SEARCH_ROWS = 20  # a title or a note above the header is fine; a header further down is not
_RECORD_ID = "record_id"
_MiB = 2**20
#: Parts smaller than this may be compressed as well as they like (a blank sheet compresses 200:1).
_RATIO_FLOOR = _MiB


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


def _check_archive(data: bytes, name: str, limits: ParseLimits) -> None:
    """Refuse a zip whose parts would unpack past the limits, from the sizes its directory declares.

    zipfile stops at the declared size and fails the CRC check when a part holds more, so a size
    that lies cannot get past this.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ParseError(f"{name}: not an XLSX workbook") from error
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR and ratio > limits.max_zip_ratio:
            raise FileTooLargeError(
                f"{name}: its part {part.filename} unpacks {ratio:.0f} times larger than it is stored "
                f"({_mib(part.compress_size)} to {_mib(part.file_size)}), over the limit of "
                f"{limits.max_zip_ratio} (REALREVIEW_MAX_ZIP_RATIO)"
            )
    total = sum(part.file_size for part in parts)
    if total > limits.max_unzipped_mb * _MiB:
        raise FileTooLargeError(
            f"{name}: unpacks to {_mib(total)}, over the {limits.max_unzipped_mb} MiB limit "
            "(REALREVIEW_MAX_UNZIPPED_MB)"
        )


def _mib(count: int) -> str:
    return f"{count / _MiB:.1f} MiB"


def _load(data: bytes, name: str, *, limits: ParseLimits, data_only: bool = True) -> Workbook:
    if not data.strip():
        raise EmptyFileError(f"{name}: the file is empty")
    _check_archive(data, name, limits)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    # openpyxl reports a damaged or foreign file through zipfile, KeyError, ValueError, lxml and its
    # own exceptions alike; to the person each means the same thing.
    except Exception as error:
        raise ParseError(f"{name}: not an XLSX workbook") from error
    for ws in _sheets(wb):
        rows, columns = ws.max_row or 0, ws.max_column or 0
        if rows * columns > limits.max_sheet_cells:
            wb.close()
            raise _too_many_cells(name, ws, limits, f"{ws.calculate_dimension()} ({rows * columns:,} cells)")
        # The dimension only sized the sheet for the check above; the rows are counted as they come,
        # so that a sheet whose dimension understates it is neither truncated nor unbounded.
        ws.reset_dimensions()
    return wb


def _too_many_cells(name: str, ws: ReadOnlyWorksheet, limits: ParseLimits, extent: str) -> FileTooLargeError:
    return FileTooLargeError(
        f"{name}: sheet {ws.title!r} spans {extent}, over the limit of {limits.max_sheet_cells:,} cells "
        "(REALREVIEW_MAX_SHEET_CELLS)"
    )


def _sheets(wb: Workbook) -> list[ReadOnlyWorksheet]:
    return [ws for ws in wb.worksheets if isinstance(ws, ReadOnlyWorksheet)]


def _read_table(ws: ReadOnlyWorksheet, header_row: int, name: str, limits: ParseLimits) -> list[list[object]]:
    """The rows from ``header_row`` down, each padded to the sheet's width; refused past the cell limit."""
    table: list[list[object]] = []
    width = 0
    for row_number, values in enumerate(ws.iter_rows(min_row=header_row, values_only=True), header_row):
        width = max(width, len(values))
        if row_number * width > limits.max_sheet_cells:
            extent = f"at least {row_number:,} rows by {width:,} columns"
            raise _too_many_cells(name, ws, limits, extent)
        table.append(list(values))
    for row in table:
        row.extend([None] * (width - len(row)))
    return table


def _formula_cells(
    data: bytes,
    title: str,
    body: Sequence[Sequence[object]],
    *,
    first: int,
    columns: Sequence[int],
    limits: ParseLimits,
    name: str,
) -> dict[tuple[int, int], str]:
    """(sheet row, column index) -> formula, for the blank cells of ``body`` that hold a formula.

    A formula that no spreadsheet has computed (openpyxl and some scripts write such files) has no
    saved value; read for its value it looks like a cleared cell. It is refused for that cell instead,
    and the stored value kept (issue 11).
    """
    if not body or not any(values[index] is None for values in body for index in columns):
        return {}
    if not _has_formulas(data):  # most sheets have none: spare them a second reading
        return {}
    wb = _load(data, name, limits=limits, data_only=False)
    try:
        found: dict[tuple[int, int], str] = {}
        rows = wb[title].iter_rows(min_row=first, max_row=first + len(body) - 1, max_col=len(body[0]))
        for row_number, cells in enumerate(rows, first):
            for index in columns:
                cell = cells[index]
                if getattr(cell, "data_type", None) == "f" and body[row_number - first][index] is None:
                    found[row_number, index] = str(cell.value)
        return found
    finally:
        wb.close()


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet's XML holds a formula element, read in chunks (the sizes are checked)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.infolist():
            if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
                continue
            with archive.open(part) as source:
                tail = b""
                while chunk := source.read(_MiB):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _formula_rejection(title: str, row: int, column: _Column, formula: str) -> Rejection:
    cell = f"{get_column_letter(column.index + 1)}{row}"
    reason = (
        f"sheet {title!r}, cell {cell}: a formula without a saved value; the stored value was kept "
        "(open and save the file in a spreadsheet, or type the value)"
    )
    return Rejection(row, column.header, _shown(formula), reason)


def _find_header(wb: Workbook, name: str) -> tuple[ReadOnlyWorksheet, int, int]:
    """The first worksheet with a ``record_id`` header cell: (sheet, header row, id column index)."""
    for ws in _sheets(wb):
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
    data: bytes,
    form: ExtractionForm,
    *,
    current: Mapping[int, Mapping[str, Value]],
    name: str,
    limits: ParseLimits | None = None,
) -> SheetImport:
    """Compare an edited sheet with the stored values, cell by cell.

    Args:
        data: the uploaded file.
        form: the review's form, which says what each column may hold.
        current: per record id, the values stored now; only these studies can be changed.
        name: the file's name, for error messages.
        limits: how large the workbook may unpack and how many cells a sheet may span; by default the
            ``REALREVIEW_MAX_SHEET_CELLS``, ``_MAX_UNZIPPED_MB`` and ``_MAX_ZIP_RATIO`` settings.

    Raises:
        EmptyFileError: the file has no bytes.
        FileTooLargeError: the workbook is over one of ``limits``, checked before its cells are read.
        ParseError: "<name>: not an XLSX workbook", or "<name>: no sheet with a record_id column".
            A bad cell never raises: it is a :class:`Rejection`.
    """
    budget = ParseLimits.from_env() if limits is None else limits
    wb = _load(data, name, limits=budget)
    try:
        ws, header_row, id_index = _find_header(wb, name)
        table = _read_table(ws, header_row, name, budget)
    finally:
        wb.close()
    headers, rest = table[0], table[1:]
    has_keys = bool(rest) and _text(rest[0][id_index]).casefold() == _RECORD_ID
    keys, body = (rest[0], rest[1:]) if has_keys else ([], rest)
    first_row = header_row + 1 + has_keys
    columns, rejected = _map_columns(form, headers, keys, body, id_index=id_index, header_row=header_row)
    formulas = _formula_cells(
        data, ws.title, body, first=first_row, columns=[c.index for c in columns], limits=budget, name=name
    )
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
            formula = formulas.get((row_number, column.index))
            if formula is not None:
                rejected.append(_formula_rejection(ws.title, row_number, column, formula))
                continue
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
