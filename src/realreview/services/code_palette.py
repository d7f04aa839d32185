"""Each code its own colour by default (issue #14): a qualitative palette, in the codebook's order.

A code keeps the colour a reviewer gave it; one without is drawn from Tableau 10, a palette made for
telling categories apart (colour-blind readers included, better than one yellow for everything), by
its place in the review's codebook in creation order, so a code's colour does not move when others
are added or moved. After ten codes the palette repeats; the names on each highlight still say which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from realreview.coding.codebook import Code

__all__ = ["PALETTE", "next_color", "with_colors"]

#: Tableau 10 (Tableau Software, 2016), in its own order.
PALETTE = (
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)


def with_colors(codes: Sequence[Code]) -> list[Code]:
    """``codes`` in their order, each without a colour given its palette colour.

    >>> from realreview.coding.codebook import CodeOrigin
    >>> a = Code(1, None, "g1", "Trust", None, None, CodeOrigin.INDUCTIVE, True)
    >>> b = Code(2, None, "g2", "Cost", None, "#112233", CodeOrigin.INDUCTIVE, True)
    >>> [c.color for c in with_colors([b, a])]
    ['#112233', '#4E79A7']
    """
    place = {code.id: n for n, code in enumerate(sorted(codes, key=lambda code: code.id))}
    return [
        code if code.color else replace(code, color=PALETTE[place[code.id] % len(PALETTE)]) for code in codes
    ]


def next_color(codes: Sequence[Code]) -> str:
    """The palette colour the next code added to ``codes`` would get."""
    return PALETTE[len(codes) % len(PALETTE)]
