r"""Tables out: a header and rows of cells, written as CSV or as an XLSX sheet, by one set of rules.

Every table RealReview exports (the characteristics sheet and its summary, the code × document
matrix, the reports to come) goes through this module, so each rule lives here once:

- **Text stays text.** In a sheet a string is stored as a string cell, so a code named
  ``=HYPERLINK(...)`` is never a formula. In CSV, ``defuse_formulas`` (on by default) puts ``'``
  before text that a spreadsheet would run (it starts with ``= + - @``, a tab or a carriage return),
  unless it is a plain number such as ``-3`` or ``+1.5e3``, which a spreadsheet reads as a number and
  cannot run (OWASP, "CSV Injection"). A lone ``-`` is text and gets the quote too. Every CSV
  RealReview writes goes through :func:`csv_text`; ``--raw`` on the command line turns it off.
- **The quote comes off again, exactly.** :func:`csv_untext` is the inverse the project's own CSV
  importers apply: it removes one ``'`` only where :func:`csv_text` put one. So that this is exact,
  text that already starts with quotes followed by one of those characters (``'=x``) gets one more
  quote on the way out (``''=x``), and text such as ``'tis`` is left alone both ways.
- **Characters a sheet cannot hold are replaced, never dropped.** A worksheet is XML 1.0, which has
  no room for the C0 control characters other than tab, line feed and carriage return (openpyxl's
  ``ILLEGAL_CHARACTERS_RE``: it raises ``IllegalCharacterError`` on them). Each becomes U+FFFD (the
  replacement character ``�``), so the reader sees that the source had a character there and words
  on either side of a vertical tab do not run together. CSV can carry them and keeps them as they
  are. Values typed into RealReview never hold them (the characteristics parser drops them on the
  way in); they reach a table in titles and names imported from elsewhere.
- **CSV** is RFC 4180: comma-separated, quoted where needed, CRLF line ends unless the caller
  chooses another.

A sheet that needs more than cells (bold rows, frozen panes, drop-down lists) writes its cells here
and styles them in the ``finish`` hook of :func:`to_xlsx`, which gets the worksheet after the cells
are written.

>>> table = Table(("code", "total"), [("Trust", 2), ("=1+1", 0)])
>>> to_csv(table)
"code,total\r\nTrust,2\r\n'=1+1,0\r\n"
>>> xlsx_text("a\x0bb") == "a\ufffdb"
True
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.worksheet.worksheet import Worksheet

from realreview.errors import ValidationError

__all__ = [
    "REPLACEMENT",
    "Cell",
    "Table",
    "csv_text",
    "csv_untext",
    "put",
    "to_csv",
    "to_docx",
    "to_markdown",
    "to_xlsx",
    "write_rows",
    "xlsx_text",
]

#: A table's cell: text, a number, or empty.
Cell = str | int | float | None
#: What stands in a sheet for a character a sheet cannot hold.
REPLACEMENT = "\ufffd"

_NUMERIC = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True, slots=True)
class Table:
    """A header and the rows under it; every row is a sequence of cells."""

    header: Sequence[Cell]
    rows: Sequence[Sequence[Cell]]


def csv_text(value: str) -> str:
    """Text a spreadsheet opening the CSV shows as text and never runs as a formula.

    >>> csv_text("=SUM(A1)"), csv_text("-3"), csv_text("a - b"), csv_text("'=x")
    ("'=SUM(A1)", '-3', 'a - b', "''=x")
    """
    core = value.lstrip("'")
    if core.startswith(_FORMULA_START) and (len(core) < len(value) or not _NUMERIC.fullmatch(value)):
        return "'" + value
    return value


def csv_untext(value: str) -> str:
    """Undo :func:`csv_text`: ``csv_untext(csv_text(v)) == v`` for every string ``v``.

    >>> csv_untext("'=SUM(A1)"), csv_untext("-3"), csv_untext("''=x"), csv_untext("'tis")
    ('=SUM(A1)', '-3', "'=x", "'tis")
    """
    if value.startswith("'") and value.lstrip("'").startswith(_FORMULA_START):
        return value[1:]
    return value


def to_csv(table: Table, *, lineterminator: str = "\r\n", defuse_formulas: bool = True) -> str:
    r"""The table as CSV text: the header, then each row; an empty cell is an empty field.

    Args:
        table: what to write.
        lineterminator: the line end (RFC 4180 says CRLF).
        defuse_formulas: put ``'`` before text a spreadsheet would run as a formula (:func:`csv_text`).

    >>> to_csv(Table(("a", "b"), [("x, y", None)]), lineterminator="\n")
    'a,b\n"x, y",\n'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    for row in (table.header, *table.rows):
        if defuse_formulas:
            row = [csv_text(cell) if isinstance(cell, str) else cell for cell in row]
        writer.writerow(row)
    return out.getvalue()


def xlsx_text(text: str) -> str:
    r"""``text`` with each character a sheet cannot hold replaced by U+FFFD (tab and line ends stay).

    >>> xlsx_text("tab\tand\nline"), xlsx_text("bell\x07") == "bell\ufffd"
    ('tab\tand\nline', True)
    """
    return str(ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, text))


def put(sheet: Worksheet, row: int, column: int, value: Cell) -> SheetCell:
    """Write one cell by the rules: text is stored as text (never a formula), cleaned by :func:`xlsx_text`."""
    if isinstance(value, str):
        cell = sheet.cell(row=row, column=column, value=xlsx_text(value))
        cell.data_type = "s"
        return cell
    return sheet.cell(row=row, column=column, value=value)


def write_rows(sheet: Worksheet, rows: Sequence[Sequence[Cell]], *, first_row: int = 1) -> None:
    """Write ``rows`` from ``first_row`` down, each from column A, cell by cell through :func:`put`."""
    for row_number, row in enumerate(rows, start=first_row):
        for column_number, value in enumerate(row, start=1):
            put(sheet, row_number, column_number, value)


def to_xlsx(
    table: Table, *, title: str = "Table", finish: Callable[[Worksheet], None] | None = None
) -> bytes:
    r"""The table as an ``.xlsx`` workbook of one sheet: the header in row 1, the rows below it.

    Args:
        table: what to write.
        title: the sheet's name (Excel allows 1-31 characters, none of ``[]:*?/\``).
        finish: called with the worksheet once its cells are written, to style it (bold rows, frozen
            panes, column widths, data validation); ``sheet.parent`` is the workbook, for a hidden
            sheet of lists.

    Raises:
        ValidationError: a title Excel would refuse.
    """
    if not 0 < len(title) <= 31 or _BAD_TITLE.search(title):
        raise ValidationError(f"sheet title {title!r} must be 1-31 characters without []:*?/\\")
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's active sheet is always a worksheet
    sheet.title = title
    write_rows(sheet, [table.header, *table.rows])
    if finish is not None:
        finish(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _markdown_cell(cell: Cell) -> str:
    text = "" if cell is None else str(cell)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def to_markdown(table: Table) -> str:
    r"""The table as a GitHub-flavoured Markdown table; ``|`` is escaped and line ends become ``<br>``.

    >>> print(to_markdown(Table(("a", "b"), [("x|y", "1\n2")])), end="")
    | a | b |
    | --- | --- |
    | x\|y | 1<br>2 |
    """
    lines = ["| " + " | ".join(_markdown_cell(cell) for cell in table.header) + " |"]
    lines.append("| " + " | ".join("---" for _ in table.header) + " |")
    lines.extend("| " + " | ".join(_markdown_cell(cell) for cell in row) + " |" for row in table.rows)
    return "\n".join(lines) + "\n"


def to_docx(tables: Sequence[tuple[str, Table]], *, title: str) -> bytes:
    """Tables as a Word document (python-docx): a heading, then each table under its own heading.

    Text goes through :func:`xlsx_text` first: Word's XML cannot hold the same control characters.
    """
    from docx import Document  # python-docx; imported here so the CSV paths do not load it

    document = Document()
    document.add_heading(xlsx_text(title), level=1)
    for heading, table in tables:
        if heading:
            document.add_heading(xlsx_text(heading), level=2)
        grid = document.add_table(rows=1, cols=len(table.header))
        grid.style = "Table Grid"
        for cell, value in zip(grid.rows[0].cells, table.header, strict=True):
            cell.text = xlsx_text("" if value is None else str(value))
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = xlsx_text("" if value is None else str(value))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
