"""``realreview simulate`` through CliRunner: the JSON keys, sane metrics, and errors naming the file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from realreview.cli import app
from realreview.prioritise.metrics import loss, wss

KEYS = {"wss@95", "recall@10%", "screened_to_95%", "screened_to_100%", "loss", "stopping"}


def _separable_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "abstract", "label_included"])
        for i in range(40):
            relevant = i % 5 == 0
            text = "zebra giraffe savannah" if relevant else "tax accounting audit"
            writer.writerow([f"{text} {i}", "" if i % 3 else f"{text} study", int(relevant)])
    return path


def test_a_separable_review_gives_the_ideal_order(tmp_path: Path) -> None:
    data, out, plot = _separable_csv(tmp_path / "d.csv"), tmp_path / "out.json", tmp_path / "curve.svg"
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            str(data),
            "--label",
            "label_included",
            "--seed",
            "3",
            "--json",
            str(out),
            "--plot",
            str(plot),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "d: 40 records, 8 relevant" in result.output
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert KEYS <= set(figures)
    # priors: one relevant, one irrelevant; then the model finds the other 7 relevant records first
    ideal = np.r_[[1, 0], np.ones(7), np.zeros(31)].astype(int)
    assert figures["wss@95"] == pytest.approx(wss(ideal))
    assert figures["loss"] == pytest.approx(loss(ideal))
    assert figures["screened_to_100%"] == 9
    assert -1 <= figures["wss@95"] <= 1 and 0 <= figures["recall@10%"] <= 1
    assert set(figures["stopping"]) == {"buscar-random", "buscar-ranked", "knee", "irrelevant-run"}
    assert plot.read_bytes().startswith(b"<?xml")


def test_missing_label_column_is_one_line_naming_the_file(tmp_path: Path) -> None:
    data = _separable_csv(tmp_path / "d.csv")
    result = CliRunner().invoke(app, ["simulate", str(data), "--label", "included"])
    assert result.exit_code == 1
    assert f"{data}: no column 'included'" in result.output
    assert "Traceback" not in result.output


def test_no_relevant_record_and_bad_plot_suffix(tmp_path: Path) -> None:
    data = tmp_path / "none.csv"
    data.write_text("title,label\nA,0\nB,0\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["simulate", str(data), "--label", "label"])
    assert result.exit_code == 1 and "none.csv: no record has label = 1" in result.output
    result = CliRunner().invoke(app, ["simulate", str(data), "--label", "label", "--plot", "x.gif"])
    assert result.exit_code == 1 and "x.gif: the plot must end in .svg or .png" in result.output
