"""The CMOC × document matrix: how many excerpts of each document support or contradict each CMOC.

It shows at a glance which CMOCs rest on one study and which on many, and where the documents
disagree, so it is exported next to the CMOC table. Each document takes two numeric columns
(supports, contradicts) so that a spreadsheet can sum them; refining links are counted elsewhere
(:func:`~realreview.synthesis.evidence.evidence_counts`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from realreview import tables
from realreview.synthesis.evidence import EvidenceLink, Role

__all__ = ["CMOCDocumentMatrix", "build_cmoc_matrix"]


@dataclass(frozen=True)
class CMOCDocumentMatrix:
    """Rows (CMOC labels), columns (documents as ``(id, label)``) and the non-zero counts.

    ``supports`` and ``contradicts`` map ``(cmoc label, document id)`` to a number of distinct excerpts.
    """

    cmocs: tuple[str, ...]
    documents: tuple[tuple[int, str], ...]
    supports: Mapping[tuple[str, int], int]
    contradicts: Mapping[tuple[str, int], int]

    def cell(self, cmoc: str, document_id: int) -> tuple[int, int]:
        """The ``(supports, contradicts)`` counts of one cell."""
        key = (cmoc, document_id)
        return self.supports.get(key, 0), self.contradicts.get(key, 0)

    def table(self) -> tables.Table:
        """The matrix as a header and rows, each CMOC ending with its totals, ready for CSV or XLSX.

        >>> links = [EvidenceLink("1", "context", excerpt_id=1, document_id=7),
        ...          EvidenceLink("1", "outcome", excerpt_id=2, document_id=7, role="contradicts")]
        >>> t = build_cmoc_matrix(["1"], [(7, "Doc A")], links).table()
        >>> t.header
        ['cmoc', 'Doc A: supports', 'Doc A: contradicts', 'supports', 'contradicts']
        >>> t.rows
        [['1', 1, 1, 1, 1]]
        """
        header: list[tables.Cell] = ["cmoc"]
        for _, label in self.documents:
            header += [f"{label}: supports", f"{label}: contradicts"]
        header += ["supports", "contradicts"]
        rows: list[list[tables.Cell]] = []
        for cmoc in self.cmocs:
            cells = [self.cell(cmoc, document_id) for document_id, _ in self.documents]
            row: list[tables.Cell] = [cmoc]
            for supports, contradicts in cells:
                row += [supports, contradicts]
            row += [sum(s for s, _ in cells), sum(c for _, c in cells)]
            rows.append(row)
        return tables.Table(header, rows)


def build_cmoc_matrix(
    cmocs: Iterable[str], documents: Iterable[tuple[int, str]], links: Iterable[EvidenceLink]
) -> CMOCDocumentMatrix:
    """Count, per CMOC and document, the distinct excerpts that support and that contradict it.

    An excerpt linked to two components of one CMOC counts once in its cell. Rows and columns are
    those given, in that order; links to any other CMOC or document are left out, so the caller
    chooses what the table covers.
    """
    rows, columns = tuple(cmocs), tuple(documents)
    wanted_rows, wanted_columns = set(rows), {document_id for document_id, _ in columns}
    seen: dict[Role, set[tuple[str, int, int]]] = {Role.SUPPORTS: set(), Role.CONTRADICTS: set()}
    for link in links:
        if link.role in seen and link.cmoc in wanted_rows and link.document_id in wanted_columns:
            seen[link.role].add((link.cmoc, link.document_id, link.excerpt_id))
    supports = Counter((cmoc, document) for cmoc, document, _ in seen[Role.SUPPORTS])
    contradicts = Counter((cmoc, document) for cmoc, document, _ in seen[Role.CONTRADICTS])
    return CMOCDocumentMatrix(rows, columns, dict(supports), dict(contradicts))
