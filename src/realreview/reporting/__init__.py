"""Reporting: what a review's paper needs, derived from its data (issue #13).

:mod:`~realreview.reporting.prisma` holds the PRISMA 2020 flow's counts, their arithmetic and the
PRISMA2020 package's CSV; :mod:`~realreview.reporting.prisma_figure` draws the flow diagram.
:mod:`~realreview.reporting.rameses` lists the RAMESES items for realist syntheses,
:mod:`~realreview.reporting.rameses_assess` says what the review's data provide for each, and
:mod:`~realreview.reporting.rameses_document` writes the checklist as Markdown and Word.
"""

from realreview.reporting.prisma import (
    BOX_LABELS,
    OTHER_METHODS,
    SOURCE_KINDS,
    Disagreement,
    PrismaFlow,
    check,
    flow_from_csv,
    to_prisma2020_csv,
)
from realreview.reporting.prisma_figure import prisma_figure
from realreview.reporting.rameses import (
    RAMESES_ITEMS,
    RAMESES_SOURCES,
    ChecklistEntry,
    ChecklistLine,
    Coverage,
    RamesesFacts,
    RamesesItem,
)
from realreview.reporting.rameses_assess import assess_rameses
from realreview.reporting.rameses_document import (
    RAMESES_CITATION,
    rameses_docx,
    rameses_markdown,
    rameses_table,
)

__all__ = [
    "BOX_LABELS",
    "OTHER_METHODS",
    "SOURCE_KINDS",
    "Disagreement",
    "PrismaFlow",
    "check",
    "flow_from_csv",
    "prisma_figure",
    "to_prisma2020_csv",
    "RAMESES_CITATION",
    "RAMESES_ITEMS",
    "RAMESES_SOURCES",
    "ChecklistEntry",
    "ChecklistLine",
    "Coverage",
    "RamesesFacts",
    "RamesesItem",
    "assess_rameses",
    "rameses_docx",
    "rameses_markdown",
    "rameses_table",
]
