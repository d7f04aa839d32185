"""The 25 labelled screening datasets of ../shared/data/screening and ASReview's figures from BASELINE.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from realreview.prioritise.dataset import LabelledDataset, load_labelled_csv

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "screening"
#: BASELINE.md's (prior seed, model seed) pairs.
SEED_PAIRS = [(535, 165), (536, 166), (538, 168)]
#: Kitchenham_2010.csv lists all inclusions first: shuffled with this seed before use.
SHUFFLE_SEED = 20100101


@dataclass(frozen=True)
class Source:
    name: str
    path: Path
    label: str
    shuffle: bool


def sources(data: Path) -> list[Source]:
    """Every dataset of BASELINE.md under ``data``, named as there."""
    found = [
        Source(f"clef2017_{p.stem}", p, "label_abstract_screening", False)
        for p in sorted((data / "clef_tar_2017").glob("*.csv"))
    ]
    found += [
        Source(f"cohen_{p.stem}", p, "label_included", False)
        for p in sorted((data / "cohen_2006").glob("*.csv"))
    ]
    singles = [
        ("bannach_brown_2019", "bannach_brown_2019/Bannach-Brown_2019.csv", False),
        ("kitchenham_2010", "kitchenham_2010/Kitchenham_2010.csv", True),
        ("nagtegaal_2019", "nagtegaal_2019/Nagtegaal_2019.csv", False),
    ]
    found += [
        Source(name, data / rel, "label_included", shuffle)
        for name, rel, shuffle in singles
        if (data / rel).is_file()
    ]
    return sorted(found, key=lambda s: s.name)


def load(source: Source) -> LabelledDataset:
    dataset = load_labelled_csv(source.path, label=source.label)
    if source.shuffle:
        dataset = dataset.shuffled(np.random.default_rng(SHUFFLE_SEED))
    return LabelledDataset(source.name, dataset.texts, dataset.labels)


def asreview_priors(labels: np.ndarray, prior_seed: int) -> np.ndarray:
    """The 1 + 1 prior records ``asreview simulate --prior-seed`` draws (its simulation/cli.py, 3.0.8).

    Each class is drawn by a fresh ``RandomState(prior_seed)`` from the row indices of that class, so
    both tools start from the same records and the per-dataset comparison is paired.
    """
    included = np.random.RandomState(prior_seed).choice(np.where(labels == 1)[0], 1, replace=False)
    excluded = np.random.RandomState(prior_seed).choice(np.where(labels == 0)[0], 1, replace=False)
    return np.concatenate([included, excluded])


def baseline(data: Path) -> dict[str, dict[str, float]]:
    """ASReview's three-seed means from BASELINE.md (WSS and recall in %, as there)."""
    text = (data / "BASELINE.md").read_text(encoding="utf-8")
    section = text.split("## Three-seed summary")[1].split("## ")[0]
    keys = ["wss@95", "recall@10%", "screened_to_95%", "screened_to_100%", "loss"]
    figures: dict[str, dict[str, float]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 7 or not cells[1].isdigit():
            continue
        means = [float(re.split(r"\s", cell)[0]) for cell in cells[2:]]
        figures[cells[0]] = dict(zip(keys, means, strict=True))
    return figures
