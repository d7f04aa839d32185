"""Leave-one-dataset-out choice of the prioritisation settings, from benchmark runs of each candidate.

Usage::

    python benchmarks/screening_lodo.py NAME=RUNS.json [NAME=RUNS.json ...] [--data DIR]

Each RUNS.json is ``screening_benchmark.py --json`` output of one candidate configuration. For every
dataset, the candidate with the best mean WSS@95 over the *other* datasets is chosen, and its figures on
the held-out dataset are what we report: the mean over held-out datasets estimates how the selection
procedure does on a review it was not tuned on (not the best candidate's figures after seeing all 25).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from screening_data import DEFAULT_DATA, baseline  # noqa: E402

KEYS = ["wss@95", "recall@10%", "screened_to_95%", "screened_to_100%", "loss"]


def _means(path: Path) -> dict[str, dict[str, float]]:
    table = json.loads(path.read_text(encoding="utf-8"))["per_dataset"]
    return {name: row["realreview"] for name, row in table.items()}


def lodo(candidates: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, object]]:
    names = sorted(set.intersection(*(set(c) for c in candidates.values())))
    held_out = {}
    for name in names:
        others = [n for n in names if n != name]
        score = {c: float(np.mean([rows[n]["wss@95"] for n in others])) for c, rows in candidates.items()}
        chosen = max(score, key=lambda c: score[c])
        held_out[name] = {"chosen": chosen, **{k: candidates[chosen][name][k] for k in KEYS}}
    return held_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("candidates", nargs="+", help="NAME=RUNS.json")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    candidates = {c.split("=")[0]: _means(Path(c.split("=", 1)[1])) for c in args.candidates}
    asreview = baseline(args.data)
    held_out = lodo(candidates)
    print("| dataset | chosen on the other 24 | held-out WSS@95 | ASReview (BASELINE.md) | loss | ASReview |")
    print("|---|---|---|---|---|---|")
    for name, row in held_out.items():
        base = asreview.get(name, {})
        print(
            f"| {name} | {row['chosen']} | {100 * row['wss@95']:.1f} | {base.get('wss@95', float('nan')):.1f} "
            f"| {row['loss']:.3f} | {base.get('loss', float('nan')):.3f} |"
        )
    for candidate, rows in candidates.items():
        print(
            f"candidate {candidate}: mean WSS@95 {100 * np.mean([r['wss@95'] for r in rows.values()]):.2f}, "
            f"loss {np.mean([r['loss'] for r in rows.values()]):.4f} (all datasets, not held out)"
        )
    mean = {k: float(np.mean([row[k] for row in held_out.values()])) for k in KEYS}
    base_mean = {k: float(np.mean([asreview[n][k] for n in held_out if n in asreview])) for k in KEYS}
    worse = [
        n for n, row in held_out.items() if n in asreview and 100 * row["wss@95"] < asreview[n]["wss@95"] - 2
    ]
    print(
        f"LODO held-out means: WSS@95 {100 * mean['wss@95']:.2f} (ASReview {base_mean['wss@95']:.2f}), "
        f"recall@10% {100 * mean['recall@10%']:.2f} ({base_mean['recall@10%']:.2f}), "
        f"loss {mean['loss']:.4f} ({base_mean['loss']:.4f})"
    )
    print(f"held-out datasets more than 2 points below ASReview: {worse or 'none'}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"held_out": held_out, "mean": mean, "asreview_mean": base_mean, "worse_by_2_points": worse},
                indent=1,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
