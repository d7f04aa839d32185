"""Run ``asreview simulate`` (3.0.8, its own venv) on the benchmark's inputs and read back its order."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

from realreview.prioritise.dataset import LabelledDataset

REPO = Path(__file__).resolve().parent.parent
ASREVIEW = REPO / ".venv-asreview" / "bin" / "asreview"


def _write_input(dataset: LabelledDataset, path: Path) -> None:
    # the same records, order and target as our run; asreview reads the target from label_included
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract", "label_included"])
        for i, (text, label) in enumerate(zip(dataset.texts, dataset.labels, strict=True)):
            writer.writerow([i, text.title, text.abstract, int(label)])


def run_asreview(dataset: LabelledDataset, prior_seed: int, model_seed: int) -> tuple[np.ndarray, float]:
    """The labels in ASReview's screening order (priors first, padded to N) and the command's wall time."""
    if not ASREVIEW.exists():
        raise SystemExit(
            f"{ASREVIEW} not found: python -m venv .venv-asreview && .venv-asreview/bin/pip install asreview==3.0.8"
        )
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / f"{dataset.name}.csv", Path(tmp) / "out.asreview"
        _write_input(dataset, data)
        command = [
            str(ASREVIEW),
            "simulate",
            str(data),
            "--n-prior-included",
            "1",
            "--n-prior-excluded",
            "1",
            "--prior-seed",
            str(prior_seed),
            "--seed",
            str(model_seed),
            "-o",
            str(out),
        ]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        seconds = time.perf_counter() - start
        with zipfile.ZipFile(out) as archive:
            archive.extract("results.db", tmp)
        connection = sqlite3.connect(Path(tmp) / "results.db")
        rows = connection.execute("SELECT label FROM results ORDER BY rowid").fetchall()
        connection.close()
    labels = np.zeros(len(dataset), dtype=np.int8)
    labels[: len(rows)] = [row[0] for row in rows]
    return labels, seconds
