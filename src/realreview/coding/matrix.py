"""The code × document matrix: how many excerpts of each document carry each code.

It is the first table of a realist synthesis (where does each context, mechanism or outcome show up,
and how often), so it is exported as CSV and as an Excel sheet with the same layout: a ``code`` column,
one column per document, a ``total`` column, and a ``total`` row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from realreview import tables

__all__ = ["CodeDocumentMatrix", "build_matrix", "to_csv", "to_xlsx"]


@dataclass(frozen=True)
class CodeDocumentMatrix:
    """Rows (codes) and columns (documents) as ``(id, label)``, and the non-zero counts by ``(code, document)``."""

    codes: tuple[tuple[int, str], ...]
    documents: tuple[tuple[int, str], ...]
    counts: Mapping[tuple[int, int], int]

    def rows(self) -> list[list[str | int]]:
        """The table as a header, one row per code and a total row, each ending with its total.

        >>> build_matrix([(1, "Trust")], [(7, "Doc A"), (8, "Doc B")], [(1, 7), (1, 7)]).rows()
        [['code', 'Doc A', 'Doc B', 'total'], ['Trust', 2, 0, 2], ['total', 2, 0, 2]]
        """
        header: list[str | int] = ["code", *(label for _, label in self.documents), "total"]
        table = [header]
        for code_id, label in self.codes:
            cells = [self.counts.get((code_id, document_id), 0) for document_id, _ in self.documents]
            table.append([label, *cells, sum(cells)])
        sums = [sum(self.counts.get((c, d), 0) for c, _ in self.codes) for d, _ in self.documents]
        table.append(["total", *sums, sum(sums)])
        return table


def build_matrix(
    codes: Iterable[tuple[int, str]],
    documents: Iterable[tuple[int, str]],
    codings: Iterable[tuple[int, int]],
) -> CodeDocumentMatrix:
    """Count ``(code id, document id)`` pairs, one per coded excerpt, into a matrix.

    The rows and columns are the codes and documents given, in that order; a pair naming any other
    code or document is not counted, so the caller decides what the table covers (merged codes out,
    say).
    """
    code_rows, document_columns = tuple(codes), tuple(documents)
    wanted_codes = {code_id for code_id, _ in code_rows}
    wanted_documents = {document_id for document_id, _ in document_columns}
    counts = Counter(pair for pair in codings if pair[0] in wanted_codes and pair[1] in wanted_documents)
    return CodeDocumentMatrix(code_rows, document_columns, dict(counts))


def to_csv(matrix: CodeDocumentMatrix, *, defuse_formulas: bool = True) -> str:
    r"""The matrix as CSV (RFC 4180: comma-separated, CRLF line ends, quotes where needed).

    A code or document named like a formula (``=HYPERLINK(...)``) gets a leading ``'`` so that a
    spreadsheet shows it as text (:func:`realreview.tables.csv_text`), unless ``defuse_formulas``
    is false.

    >>> to_csv(build_matrix([(1, "Trust")], [(7, "Doc, A")], [(1, 7)]))
    'code,"Doc, A",total\r\nTrust,1,1\r\ntotal,1,1\r\n'
    >>> to_csv(build_matrix([(1, "=1+1")], [(7, "@SUM(A1)")], [(1, 7)]))
    "code,'@SUM(A1),total\r\n'=1+1,1,1\r\ntotal,1,1\r\n"
    """
    header, *rows = matrix.rows()
    return tables.to_csv(tables.Table(header, rows), defuse_formulas=defuse_formulas)


def to_xlsx(matrix: CodeDocumentMatrix) -> bytes:
    """The matrix as an ``.xlsx`` workbook: bold header and total row, panes frozen at B2.

    Cells follow :mod:`realreview.tables`: a code named ``=SUM(A1)`` stays text, and a character a
    sheet cannot hold becomes U+FFFD.
    """
    header, *rows = matrix.rows()

    def finish(sheet: Worksheet) -> None:
        bold = Font(bold=True)
        for row in (sheet[1], sheet[sheet.max_row]):
            for cell in row:
                cell.font = bold
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = min(60, max(10, *(len(str(row[0])) for row in (header, *rows))))

    return tables.to_xlsx(tables.Table(header, rows), title="Code matrix", finish=finish)
