"""The PRISMA 2020 flow diagram drawn with matplotlib, in the template's layout (Page et al. 2021).

The layout is the template's: the stage bars (Identification, Screening, Included) on the left; the
main column of boxes for databases and registers with the removal and exclusion boxes to their
right; a column for other methods when records came from websites, organisations or citation
searching; the previous-studies boxes above when the review is an update. A count entered by hand
carries a dagger, explained under the figure. matplotlib is used through ``Figure`` (no pyplot
state); SVG keeps text as text and carries no date, so one flow always gives the same file.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from realreview.reporting.prisma import PrismaFlow

__all__ = ["prisma_figure"]

_W, _H = 3.3, 1.15  # a box, in layout units (inches at scale 1)
_MAIN, _SIDE, _OTHER, _OTHER_SIDE = 0.9, 4.6, 8.4, 12.1
_BAR = "#a8c6e8"
_FORMATS = {"svg", "png", "pdf"}


def _n(flow: PrismaFlow, key: str, value: int | None) -> str:
    mark = "†" if key in flow.entered else ""
    return f"(n = {value if value is not None else 0}){mark}"


def _lines(flow: PrismaFlow, title: str, items: Sequence[tuple[str, str, int | None]]) -> str:
    text = [title] if title else []
    for label, key, value in items:
        text.append(f"{label} {_n(flow, key, value)}")
    return "\n".join(text)


def prisma_figure(flow: PrismaFlow, *, fmt: str = "svg", title: str = "") -> bytes:
    """The diagram as ``svg``, ``png`` or ``pdf`` bytes.

    Raises:
        ValueError: another format.
    """
    if fmt not in _FORMATS:
        raise ValueError(f"PRISMA figure format {fmt!r}: use svg, png or pdf")
    boxes: list[tuple[float, float, str, bool, float]] = []  # x, y (top), text, grey, height
    arrows: list[tuple[tuple[float, float], tuple[float, float]]] = []
    databases = [(name, f"database_specific_results:{name}", n) for name, n in flow.database_specific_results]
    identified = _lines(
        flow,
        "Records identified from:",
        [("Databases", "database_results", flow.identified - (flow.register_results or 0))]
        # A middle dot, not indentation: SVG text collapses leading spaces.
        + [(f"· {name}", key, n) for name, key, n in databases]
        + (
            [("Registers", "register_results", flow.register_results)]
            if flow.register_results is not None
            else []
        ),
    )
    removed = _lines(
        flow,
        "Records removed before screening:",
        [
            ("Duplicate records", "duplicates", flow.duplicates),
            ("Marked ineligible by automation tools", "excluded_automatic", flow.excluded_automatic),
            ("Removed for other reasons", "excluded_other", flow.excluded_other),
        ],
    )
    reasons = "\n".join(f"· {name} (n = {n})" for name, n in flow.dbr_excluded)
    excluded = _lines(flow, "", [("Reports excluded:", "dbr_excluded", sum(n for _, n in flow.dbr_excluded))])
    main = [
        (identified, removed),
        (
            _lines(flow, "", [("Records screened", "records_screened", flow.records_screened)]),
            _lines(flow, "", [("Records excluded", "records_excluded", flow.records_excluded)]),
        ),
        (
            _lines(
                flow, "", [("Reports sought for retrieval", "dbr_sought_reports", flow.dbr_sought_reports)]
            ),
            _lines(
                flow,
                "",
                [("Reports not retrieved", "dbr_notretrieved_reports", flow.dbr_notretrieved_reports)],
            ),
        ),
        (
            _lines(flow, "", [("Reports assessed for eligibility", "dbr_assessed", flow.dbr_assessed)]),
            excluded + ("\n" + reasons if reasons else ""),
        ),
    ]
    other_rows = _other_texts(flow) if flow.other_methods else [(None, None)] * 4
    heights = []
    for index in range(5):
        texts = [
            *(main[index] if index < 4 else (_included_text(flow),)),
            *(other_rows[index] if index < 4 else ()),
        ]
        lines = max((text.count("\n") + 1 for text in texts if text), default=1)
        heights.append(max(_H, 0.25 + 0.16 * lines))
    top = (0.3 + _previous_height(flow) + 0.45) if flow.updated else 0.6
    rows, box_h = [], heights
    for height in heights:
        rows.append(top)
        top += height + 0.5
    for (left, right), y, h in zip(main, rows, box_h, strict=False):
        boxes += [(_MAIN, y, left, False, h), (_SIDE, y, right, False, h)]
        arrows.append(((_MAIN + _W, y + h / 2), (_SIDE, y + h / 2)))
    for y0, h0, y1 in zip(rows[:3], box_h[:3], rows[1:4], strict=True):
        arrows.append(((_MAIN + _W / 2, y0 + h0), (_MAIN + _W / 2, y1)))
    boxes.append((_MAIN, rows[4], _included_text(flow), False, box_h[4]))
    arrows.append(((_MAIN + _W / 2, rows[3] + box_h[3]), (_MAIN + _W / 2, rows[4])))
    if flow.updated:
        boxes.append((_MAIN, 0.3, _previous_text(flow), True, _previous_height(flow)))
    width = _SIDE + _W + 0.3
    if flow.other_methods:
        for (other_left, other_right), y, h in zip(other_rows, rows, box_h, strict=False):
            if other_left:
                boxes.append((_OTHER, y, other_left, True, h))
            if other_right:
                boxes.append((_OTHER_SIDE, y, other_right, True, h))
                arrows.append(((_OTHER + _W, y + h / 2), (_OTHER_SIDE, y + h / 2)))
        arrows.append(((_OTHER + _W / 2, rows[0] + box_h[0]), (_OTHER + _W / 2, rows[2])))
        arrows.append(((_OTHER + _W / 2, rows[2] + box_h[2]), (_OTHER + _W / 2, rows[3])))
        arrows.append(((_OTHER + _W / 2, rows[3] + box_h[3]), (_MAIN + _W, rows[4] + box_h[4] / 2)))
        width = _OTHER_SIDE + _W + 0.3
    height = rows[4] + box_h[4] + 0.9
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "realreview-prisma", "font.size": 7}):
        figure = Figure(figsize=(width * 0.75, height * 0.75))
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, width)
        axes.set_ylim(height, 0)
        axes.axis("off")
        if title:
            axes.text(
                0.1,
                0.06,
                textwrap.shorten(title, int(width * 12)),  # about what fits in bold 8 pt
                fontsize=8,
                va="top",
                weight="bold",
            )
        bars = [
            ("Identification", rows[0], rows[0] + box_h[0]),
            ("Screening", rows[1], rows[3] + box_h[3]),
            ("Included", rows[4], rows[4] + box_h[4]),
        ]
        for label, y0, y1 in bars:
            axes.add_patch(
                FancyBboxPatch(
                    (0.1, y0), 0.45, y1 - y0, boxstyle="round,pad=0.02", facecolor=_BAR, edgecolor="none"
                )
            )
            axes.text(
                0.325, (y0 + y1) / 2, label, rotation=90, ha="center", va="center", fontsize=8, weight="bold"
            )
        for x, y, text, grey, h in boxes:
            axes.add_patch(
                FancyBboxPatch(
                    (x, y),
                    _W,
                    h,
                    boxstyle="round,pad=0.02",
                    facecolor="#f2f2f2" if grey else "white",
                    edgecolor="#333333",
                    lw=0.8,
                )
            )
            axes.text(
                x + 0.08, y + 0.08, text, va="top", ha="left", fontsize=6.2, linespacing=1.25, wrap=False
            )
        for start, end in arrows:
            axes.add_patch(
                FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=8, color="#333333", lw=0.8)
            )
        if flow.entered:
            axes.text(
                0.1, height - 0.3, "† entered by hand (not counted from records in RealReview)", fontsize=6
            )
        out = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else ({"CreationDate": None} if fmt == "pdf" else None)
        figure.savefig(out, format=fmt, metadata=metadata, dpi=200)
    return out.getvalue()


def _included_text(flow: PrismaFlow) -> str:
    """The text of the included box (the totals too for an updated review)."""
    return _lines(
        flow,
        "",
        [
            ("New studies included in review", "new_studies", flow.new_studies),
            ("Reports of new included studies", "new_reports", flow.new_reports),
        ]
        + (
            [
                ("Total studies included in review", "total_studies", flow.total_studies),
                ("Reports of total included studies", "total_reports", flow.total_reports),
            ]
            if flow.updated
            else []
        ),
    )


def _previous_text(flow: PrismaFlow) -> str:
    return _lines(
        flow,
        "Previous studies",
        [
            ("Studies included in previous version of review", "previous_studies", flow.previous_studies),
            ("Reports of studies included in previous version", "previous_reports", flow.previous_reports),
        ],
    )


def _previous_height(flow: PrismaFlow) -> float:
    return max(_H * 0.8, 0.25 + 0.16 * (_previous_text(flow).count("\n") + 1)) if flow.updated else 0.0


def _other_texts(flow: PrismaFlow) -> list[tuple[str | None, str | None]]:
    other = _lines(
        flow,
        "Records identified from:",
        [
            ("Websites", "website_results", flow.website_results),
            ("Organisations", "organisation_results", flow.organisation_results),
            ("Citation searching", "citations_results", flow.citations_results),
        ],
    )
    reasons = "\n".join(f"· {name} (n = {n})" for name, n in flow.other_excluded)
    excluded = _lines(
        flow, "", [("Reports excluded:", "other_excluded", sum(n for _, n in flow.other_excluded))]
    )
    return [
        (other, None),
        (None, None),
        (
            _lines(
                flow,
                "",
                [("Reports sought for retrieval", "other_sought_reports", flow.other_sought_reports)],
            ),
            _lines(
                flow,
                "",
                [("Reports not retrieved", "other_notretrieved_reports", flow.other_notretrieved_reports)],
            ),
        ),
        (
            _lines(flow, "", [("Reports assessed for eligibility", "other_assessed", flow.other_assessed)]),
            excluded + ("\n" + reasons if reasons else ""),
        ),
    ]
