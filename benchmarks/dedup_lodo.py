"""Leave-one-dataset-out figures for the deduplication model (issue #10).

Usage::

    python benchmarks/dedup_lodo.py [--data DIR] [--json OUT] [--from-pairs]

For each of the labelled sets, the whole procedure of ``dedup_weights.py`` (weights, merge and
review thresholds) runs on the other sets only, and the held-out set is then deduplicated by
``find_duplicates(records, model=<that fold's model>)`` and measured as BASELINE.md defines it. The
in-sample row uses the shipped model (``realreview.dedup.weights``), trained on all sets.
``--from-pairs`` measures from the cached pair tables instead of rerunning ``find_duplicates`` (same
groups, faster; for development).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import dedup_weights  # noqa: E402
from dedup_data import load_dataset  # noqa: E402
from dedup_eval import evaluate  # noqa: E402

from realreview.dedup import find_duplicates  # noqa: E402
from realreview.dedup.scoring import Model, default_model  # noqa: E402

# bib-dedupe 0.11.0 as recorded in ../shared/data/dedup/BASELINE.md section 5 (TP, FP, FN, TN).
BIB_DEDUPE = {
    "special_cases": (1, 0, 2, 9),
    "haematology": (120, 1, 15, 1279),
    "stroke": (312, 0, 2, 978),
    "diabetes": (1261, 0, 0, 584),
    "neuroimaging": (1292, 0, 7, 2139),
    "cardiac": (3520, 1, 12, 5415),
    "srsr": (16916, 1, 68, 36016),
    "depression": (10072, 1, 88, 69719),
}


def held_out_figures(
    table: dedup_weights.PairTable, model: dict[str, Any], *, data: Path, from_pairs: bool
) -> dict[str, Any]:
    if from_pairs:
        chance = dedup_weights.probabilities(table, model["strata"])
        groups = dedup_weights.groups_at(table, chance, model["merge"], model["review"])
        return evaluate(table.ids, table.truth, groups).as_dict()
    dataset = load_dataset(data / table.name)
    result = find_duplicates(dataset.records, model=Model.from_dict(model))
    groups = [[dataset.ids[i] for i in group] for group in result.groups]
    return evaluate(dataset.ids, dataset.groups, groups).as_dict()


def run(data: Path, *, from_pairs: bool) -> dict[str, Any]:
    tables = dedup_weights.load_tables(data)
    shipped = default_model()
    shipped_dict = {"merge": shipped.merge, "review": shipped.review, "strata": shipped.strata}
    rows: dict[str, Any] = {}
    for table in tables:
        start = time.perf_counter()
        fold = dedup_weights.train([other for other in tables if other.name != table.name])
        rows[table.name] = {
            "lodo": held_out_figures(table, fold, data=data, from_pairs=from_pairs),
            "in_sample": held_out_figures(table, shipped_dict, data=data, from_pairs=from_pairs),
            "fold_merge": fold["merge"],
            "fold_review": fold["review"],
        }
        print(f"fold {table.name}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return rows


def _bib(name: str) -> dict[str, float]:
    tp, fp, fn, tn = BIB_DEDUPE[name]
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "sensitivity": tp / (tp + fn), "specificity": tn / (tn + fp)}


def print_tables(rows: dict[str, Any]) -> None:
    print("| held-out set | records | model | TP | FP | FN | sensitivity | specificity | merge at |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, row in rows.items():
        lodo, own = row["lodo"], row["in_sample"]
        bib = _bib(name) if name in BIB_DEDUPE else None
        print(
            f"| {name} | {lodo['records']:,} | LODO (7 other sets) | {lodo['tp']:,} | {lodo['fp']} | {lodo['fn']:,} | "
            f"{lodo['sensitivity']:.4f} | {lodo['specificity']:.4f} | {row['fold_merge']:.3f} |"
        )
        print(
            f"| | | in-sample (all 8) | {own['tp']:,} | {own['fp']} | {own['fn']:,} | "
            f"{own['sensitivity']:.4f} | {own['specificity']:.4f} | |"
        )
        if bib:
            print(
                f"| | | bib-dedupe 0.11.0 (recorded) | {bib['tp']:,} | {bib['fp']} | {bib['fn']:,} | "
                f"{bib['sensitivity']:.4f} | {bib['specificity']:.4f} | |"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=dedup_weights.DEFAULT_DATA)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--from-pairs", action="store_true")
    args = parser.parse_args(argv)
    rows = run(args.data, from_pairs=args.from_pairs)
    print_tables(rows)
    if args.json:
        existing = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
        existing["lodo"] = rows
        args.json.write_text(json.dumps(existing, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
