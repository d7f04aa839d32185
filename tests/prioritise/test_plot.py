from __future__ import annotations

import numpy as np
import pytest

from realreview.prioritise.plot import recall_curve

LABELS = np.r_[[1, 0, 1, 1], np.zeros(20)].astype(int)


def test_svg_marks_each_stop() -> None:
    svg = recall_curve(LABELS, stops={"knee": 10, "buscar-random": 20}, title="T").decode()
    assert svg.startswith("<?xml") and "knee: stop at 10" in svg and "buscar-random: stop at 20" in svg
    assert recall_curve(LABELS, stops={"knee": 10}, title="T") == recall_curve(
        LABELS, stops={"knee": 10}, title="T"
    )


def test_png_and_bad_format() -> None:
    assert recall_curve(LABELS, fmt="png")[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="svg or png"):
        recall_curve(LABELS, fmt="gif")
