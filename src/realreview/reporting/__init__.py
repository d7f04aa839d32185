"""Reporting: what a review's paper needs, derived from its data (issue #13).

:mod:`~realreview.reporting.prisma` holds the PRISMA 2020 flow's counts, their arithmetic and the
PRISMA2020 package's CSV; :mod:`~realreview.reporting.prisma_figure` draws the flow diagram.
"""

from realreview.reporting.prisma import (
    BOX_LABELS,
    Disagreement,
    PrismaFlow,
    check,
    flow_from_csv,
    to_prisma2020_csv,
)
from realreview.reporting.prisma_figure import prisma_figure

__all__ = [
    "BOX_LABELS",
    "Disagreement",
    "PrismaFlow",
    "check",
    "flow_from_csv",
    "prisma_figure",
    "to_prisma2020_csv",
]
