"""The recall curve of a simulated run, with the stopping rules' points marked.

Records screened against relevant records found, drawn through ``matplotlib.figure.Figure`` (no pyplot
state).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import matplotlib
import numpy as np
from matplotlib.figure import Figure

__all__ = ["recall_curve"]

_COLOURS = ("#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def recall_curve(
    labels: np.ndarray, *, stops: Mapping[str, int] | None = None, title: str = "", fmt: str = "svg"
) -> bytes:
    """The figure as ``fmt`` bytes (svg or png): the run, random screening, and each stop as a marker.

    Args:
        labels: labels in screening order (priors first), over all records.
        stops: rule name -> records screened when it stopped.
        title: drawn above the axes.
        fmt: ``svg`` or ``png``.

    >>> recall_curve(np.array([1, 0, 1, 0]), stops={"knee": 3})[:5]
    b'<?xml'
    """
    if fmt not in ("svg", "png"):
        raise ValueError(f"format {fmt!r}: use svg or png")
    found = np.concatenate([[0], np.cumsum(labels)])
    screened = np.arange(len(found))
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "realreview-recall", "font.size": 8}):
        figure = Figure(figsize=(6, 4))
        axes = figure.add_subplot()
        axes.plot(screened, found, color="#1f77b4", lw=1.2, label="prioritised")
        axes.plot(
            [0, len(labels)], [0, found[-1]], color="#999999", lw=0.8, ls="--", label="random (expected)"
        )
        for colour, (rule, at) in zip(_COLOURS, (stops or {}).items(), strict=False):
            axes.plot(
                [at], [found[min(at, len(labels))]], "o", color=colour, ms=5, label=f"{rule}: stop at {at}"
            )
        axes.set_xlabel("records screened")
        axes.set_ylabel("relevant records found")
        axes.set_xlim(0, len(labels))
        axes.set_ylim(0, found[-1] * 1.05 + 0.5)
        axes.legend(loc="lower right", frameon=False)
        if title:
            axes.set_title(title)
        out = io.BytesIO()
        figure.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None, dpi=150)
    return out.getvalue()
