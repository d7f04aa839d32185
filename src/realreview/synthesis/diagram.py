"""The programme theory as a diagram: SVG drawn with matplotlib, and Mermaid text for Markdown.

Layout: one column per cluster (four to a row, then a new row of clusters), the cluster's CMOCs
stacked inside in display order, each box marked with its label and direction symbol and coloured by
direction, recorded relations drawn as labelled arrows between boxes. A grid is what reviewers draw
by hand for 20-60 CMOCs (the worked example's figure groups CMOCs by cluster the same way); a
force-directed layout would move boxes between versions and make two versions hard to compare.

matplotlib is used through its object API (``Figure``), never pyplot, so drawing holds no global
state and is safe in a web worker; text stays text in the SVG (``svg.fonttype: none``) and the
output carries no date, so one theory always gives the same file.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from realreview.synthesis.clusters import group_by_cluster
from realreview.synthesis.cmoc import CMOC, Direction
from realreview.synthesis.theory import ProgrammeTheory

__all__ = ["COLOURS", "mermaid", "svg"]

#: Direction colours (ColorBrewer PRGn/RdBu ends, distinguishable in the common colour-vision
#: deficiencies); the symbol carries the same meaning without colour.
COLOURS = {
    Direction.REDUCES: "#1b7837",
    Direction.WORSENS: "#b2182b",
    Direction.MIXED: "#5e3c99",
    Direction.UNCLEAR: "#636363",
}
_PER_ROW = 4
_BOX_W, _BOX_H, _GAP, _COL_W, _HEAD = 3.2, 1.15, 0.3, 3.8, 0.9


def _summary(cmoc: CMOC, width: int = 44, lines: int = 3) -> str:
    text = cmoc.sentence()
    wrapped = textwrap.wrap(text, width=width)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "\n".join(wrapped)


@dataclass(frozen=True)
class _Box:
    x: float
    y: float


def _layout(
    theory: ProgrammeTheory,
) -> tuple[dict[str, _Box], list[tuple[str, float, float, float]], float, float]:
    """Box corners by CMOC label, cluster frames ``(title, x, top, height)``, and the canvas size."""
    groups = [group for group in group_by_cluster(theory.cmocs, theory.clusters)]
    boxes: dict[str, _Box] = {}
    frames: list[tuple[str, float, float, float]] = []
    top = 0.0
    for start in range(0, len(groups), _PER_ROW):
        row = groups[start : start + _PER_ROW]
        tallest = max((len(group.cmocs) for group in row), default=0)
        height = _HEAD + max(tallest, 1) * (_BOX_H + _GAP) + _GAP
        for column, group in enumerate(row):
            x = column * (_COL_W + _GAP)
            frames.append((group.cluster.title, x, top, height))
            for index, cmoc in enumerate(group.cmocs):
                boxes[cmoc.label] = _Box(x + (_COL_W - _BOX_W) / 2, top + _HEAD + index * (_BOX_H + _GAP))
        top += height + _GAP
    width = min(len(groups), _PER_ROW) * (_COL_W + _GAP) if groups else _COL_W
    return boxes, frames, max(width, _COL_W), max(top, _HEAD + _BOX_H)


def svg(theory: ProgrammeTheory) -> str:
    """The theory as a self-contained SVG document (no script, no external links)."""
    boxes, frames, width, height = _layout(theory)
    scale = 0.62  # inches per layout unit
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "realreview", "font.size": 7}):
        figure = Figure(figsize=(width * scale + 0.4, height * scale + 0.9))
        axes = figure.add_axes((0.01, 0.01, 0.98, 0.98 - 0.5 / (height * scale + 0.9)))
        axes.set_xlim(-0.2, width)
        axes.set_ylim(height + 0.1, -0.2)
        axes.axis("off")
        figure.suptitle(f"Programme theory: {theory.name}", fontsize=10, y=0.995, va="top")
        for title, x, top, frame_height in frames:
            axes.add_patch(
                Rectangle(
                    (x, top), _COL_W, frame_height - _GAP, facecolor="#f5f5f5", edgecolor="#999999", lw=0.6
                )
            )
            axes.text(
                x + 0.12,
                top + 0.45,
                "\n".join(textwrap.wrap(title, 48)[:2]),
                fontsize=8,
                weight="bold",
                va="center",
            )
        for cmoc in theory.cmocs:
            box = boxes[cmoc.label]
            colour = COLOURS[cmoc.direction]
            axes.add_patch(
                FancyBboxPatch(
                    (box.x, box.y),
                    _BOX_W,
                    _BOX_H,
                    boxstyle="round,pad=0.02,rounding_size=0.08",
                    facecolor="white",
                    edgecolor=colour,
                    lw=1.4,
                )
            )
            axes.text(
                box.x + 0.08,
                box.y + 0.2,
                f"{cmoc.label} {cmoc.direction.symbol}",
                color=colour,
                fontsize=8,
                weight="bold",
                va="center",
            )
            axes.text(box.x + 0.08, box.y + 0.38, _summary(cmoc), fontsize=6, va="top", linespacing=1.15)
        for relation in theory.relations:
            start, end = boxes.get(relation.source), boxes.get(relation.target)
            if start is None or end is None:
                continue
            same_column = abs(start.x - end.x) < 1e-6
            a = (start.x + (_BOX_W if same_column else _BOX_W / 2), start.y + _BOX_H / 2)
            b = (end.x + (_BOX_W if same_column else _BOX_W / 2), end.y + _BOX_H / 2)
            arrow = FancyArrowPatch(
                a,
                b,
                arrowstyle="-|>" if not relation.kind.is_symmetric else "<|-|>",
                mutation_scale=8,
                connectionstyle="arc3,rad=-0.35" if same_column else "arc3,rad=0.1",
                color="#333333",
                lw=0.8,
            )
            axes.add_patch(arrow)
            axes.text(
                (a[0] + b[0]) / 2 + (0.35 if same_column else 0),
                (a[1] + b[1]) / 2,
                relation.kind.label,
                fontsize=5.5,
                color="#333333",
                ha="center",
                va="center",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            )
        marks = [f"{d.symbol} {d.label()}" for d in Direction]
        per_line = 4 if width >= 2 * _COL_W else 2  # a one-column diagram is too narrow for one line
        legend = "\n".join("   ".join(marks[i : i + per_line]) for i in range(0, len(marks), per_line))
        figure.text(0.01, 0.005, legend, fontsize=6, va="bottom")
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", "<br/>")


def mermaid(theory: ProgrammeTheory) -> str:
    """The theory as a Mermaid flowchart: a subgraph per cluster, a node per CMOC, relations as edges.

    >>> from datetime import UTC, datetime
    >>> from realreview.synthesis import Cluster, Relation
    >>> t = ProgrammeTheory("v1", "", "ana", datetime(2025, 1, 1, tzinfo=UTC), (Cluster("data", "Data"),),
    ...     (CMOC("1", "data", outcome="gaps close", direction="reduces"), CMOC("2", "data", context="x")),
    ...     (Relation("2", "depends_on", "1"),))
    >>> print(mermaid(t))
    flowchart TB
      subgraph cluster_data["Data"]
        cmoc_1["1 ↓<br/>Gaps close."]:::reduces
        cmoc_2["2 ?<br/>When x."]:::unclear
      end
      cmoc_2 -->|depends on| cmoc_1
      classDef reduces stroke:#1b7837,stroke-width:2px
      classDef worsens stroke:#b2182b,stroke-width:2px
      classDef mixed stroke:#5e3c99,stroke-width:2px
      classDef unclear stroke:#636363,stroke-width:2px
    """
    lines = ["flowchart TB"]
    node = {cmoc.label: "cmoc_" + cmoc.label.replace(".", "_").replace("-", "_") for cmoc in theory.cmocs}
    for group in group_by_cluster(theory.cmocs, theory.clusters):
        lines.append(
            f'  subgraph cluster_{group.cluster.key.replace("-", "_")}["{_mermaid_text(group.cluster.title)}"]'
        )
        for cmoc in group.cmocs:
            text = _mermaid_text(f"{cmoc.label} {cmoc.direction.symbol}\n{_summary(cmoc, width=60, lines=4)}")
            lines.append(f'    {node[cmoc.label]}["{text}"]:::{cmoc.direction.value}')
        lines.append("  end")
    for relation in theory.relations:
        arrow = "<-->" if relation.kind.is_symmetric else "-->"
        lines.append(f"  {node[relation.source]} {arrow}|{relation.kind.label}| {node[relation.target]}")
    for direction in Direction:
        lines.append(f"  classDef {direction.value} stroke:{COLOURS[direction]},stroke-width:2px")
    return "\n".join(lines)
