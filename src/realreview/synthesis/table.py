"""The CMOC table a realist review publishes, and its evidence appendix, as plain tables.

One row per CMOC, cluster by cluster in the review's order: cluster, label, the configuration as
"When C, then O, because M", its direction (symbol and words, so it reads in black and white) and
the documents behind it. The appendix lists, per CMOC, each excerpt with its document and page, as
the worked example's online appendix does (Johnson et al. 2025, appendix 2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from realreview.synthesis.clusters import group_by_cluster
from realreview.synthesis.theory import ProgrammeTheory
from realreview.tables import Table

__all__ = ["CMOC_TABLE_HEADER", "EvidenceRow", "cmoc_table", "evidence_appendix"]

CMOC_TABLE_HEADER = ("cluster", "label", "configuration", "direction", "documents")

#: One excerpt behind a CMOC: component, role, document, page, text, interpretation.
EvidenceRow = tuple[str, str, str, int | None, str, str]


def cmoc_table(
    theory: ProgrammeTheory, *, documents: Mapping[str, Sequence[str]], outcome: str = "inequalities"
) -> Table:
    """The CMOC table; ``documents`` names, per CMOC label, the documents behind it.

    >>> from datetime import UTC, datetime
    >>> from realreview.synthesis import CMOC, Cluster
    >>> t = ProgrammeTheory("v1", "", "ana", datetime(2025, 1, 1, tzinfo=UTC), (Cluster("data", "Data"),),
    ...     (CMOC("1", "data", context="data are split by group", outcome="gaps are seen",
    ...           mechanism="staff notice who is missed", direction="reduces"),))
    >>> row = cmoc_table(t, documents={"1": ["Smith 2020"]}).rows[0]
    >>> row[2]
    'When data are split by group, then gaps are seen, because staff notice who is missed.'
    >>> row[0], row[1], row[3], row[4]
    ('Data', '1', '↓ reduces inequalities', 'Smith 2020')
    """
    rows = [
        (
            group.cluster.title,
            cmoc.label,
            cmoc.sentence(),
            f"{cmoc.direction.symbol} {cmoc.direction.label(outcome)}",
            "; ".join(documents.get(cmoc.label, ())),
        )
        for group in group_by_cluster(theory.cmocs, theory.clusters)
        for cmoc in group.cmocs
    ]
    return Table(CMOC_TABLE_HEADER, rows)


def evidence_appendix(
    theory: ProgrammeTheory, *, evidence: Mapping[str, Sequence[EvidenceRow]]
) -> list[tuple[str, Table]]:
    """Per CMOC (in table order), a heading and the table of the excerpts behind it."""
    header = ("component", "role", "document", "page", "excerpt", "interpretation")
    return [
        (f"CMOC {cmoc.label}: {cmoc.sentence()}", Table(header, list(evidence.get(cmoc.label, ()))))
        for group in group_by_cluster(theory.cmocs, theory.clusters)
        for cmoc in group.cmocs
    ]
