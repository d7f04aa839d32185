"""Leave-one-dataset-out figures for the deduplication model (issue #10).

Usage::

    python benchmarks/dedup_lodo.py [--data DIR] [--json OUT] [--from-pairs] [--choose-threshold]

For each labelled set, the procedure of ``dedup_weights.py`` runs on the other sets only (the weights
are fitted to their pairs; the thresholds follow from the stated costs), and the held-out set is then
deduplicated by ``find_duplicates(records, model=<that fold's model>)`` and measured as BASELINE.md
defines it. The in-sample row uses the shipped model (``realreview.dedup.weights``, all sets).

``recurring`` counts false merges of recurring items: pairs of two true works grouped together that
one volume prints in two issues, on no shared page (issue #10 asks for none).

``--from-pairs`` measures from the cached pair tables instead of rerunning ``find_duplicates`` (the same
groups, faster; for development).
``--choose-threshold`` instead chooses each fold's merge threshold on its seven training sets, each
scored by a model fitted on the other six (nested leave-one-dataset-out), to compare that discipline
with the cost-derived threshold.
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
from realreview.dedup.fields import evidence  # noqa: E402
from realreview.dedup.profile import profile  # noqa: E402
from realreview.dedup.scoring import Model, default_model  # noqa: E402
from realreview.records import Record  # noqa: E402

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


def recurring_merges(records: list[Record], works: list[int], groups: list[list[int]]) -> int:
    """Pairs of two true works (``works[i]``: record i's) grouped together that one volume prints in
    two issues, on no shared page."""
    found = 0
    for group in groups:
        profiles = [(works[i], profile(records[i])) for i in group]
        for i, (work, left) in enumerate(profiles):
            for other, right in profiles[i + 1 :]:
                if work == other or left.volume is None or left.volume != right.volume:
                    continue
                item = evidence(left, right)
                if item.level("place") == "conflict" and item.level("pages") not in (
                    "same",
                    "end",
                    "overlap",
                ):
                    found += 1
    return found


def held_out(
    table: dedup_weights.PairTable, model: dict[str, Any], *, data: Path, from_pairs: bool
) -> dict[str, Any]:
    if from_pairs:
        chance = dedup_weights.probabilities(table, model["strata"])
        groups = dedup_weights.groups_at(table, chance, model["merge"], model["review"])
        return evaluate(table.ids, table.truth, groups).as_dict()
    dataset = load_dataset(data / table.name)
    result = find_duplicates(dataset.records, model=Model.from_dict(model))
    figures = evaluate(dataset.ids, dataset.groups, [[dataset.ids[i] for i in g] for g in result.groups])
    number = {member: n for n, group in enumerate(dataset.groups) for member in group}
    works = [number.get(record_id, -1 - i) for i, record_id in enumerate(dataset.ids)]
    return {**figures.as_dict(), "recurring": recurring_merges(dataset.records, works, result.groups)}


def fold_models(tables: list[dedup_weights.PairTable], *, choose: bool) -> dict[str, dict[str, Any]]:
    """Each held-out set's model, trained on the other sets only."""
    fits: dict[frozenset[str], dict[str, dict[str, float]]] = {}

    def fit(names: frozenset[str]) -> dict[str, dict[str, float]]:
        if names not in fits:
            fits[names] = dedup_weights.fit([t for t in tables if t.name in names])
        return fits[names]

    models = {}
    for table in tables:
        train = [t for t in tables if t is not table]
        names = frozenset(t.name for t in train)
        model = dedup_weights.train(train) if not choose else {}
        if choose:
            chances = [dedup_weights.probabilities(t, fit(names - {t.name})) for t in train]
            merge = dedup_weights.choose_merge(train, chances, review=dedup_weights.REVIEW)
            model = {"merge": merge, "review": dedup_weights.REVIEW, "strata": fit(names)}
        models[table.name] = model
    return models


def run(data: Path, *, from_pairs: bool, choose: bool) -> dict[str, Any]:
    tables = dedup_weights.load_tables(data)
    shipped = default_model()
    shipped_dict = {"merge": shipped.merge, "review": shipped.review, "strata": shipped.strata}
    models = fold_models(tables, choose=choose)
    rows: dict[str, Any] = {}
    for table in tables:
        start = time.perf_counter()
        model = models[table.name]
        rows[table.name] = {
            "lodo": held_out(table, model, data=data, from_pairs=from_pairs),
            "in_sample": held_out(table, shipped_dict, data=data, from_pairs=from_pairs),
            "fold_merge": model["merge"],
        }
        print(f"fold {table.name}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return rows


def _bib(name: str) -> dict[str, float]:
    tp, fp, fn, tn = BIB_DEDUPE[name]
    return {"tp": tp, "fp": fp, "fn": fn, "sensitivity": tp / (tp + fn), "specificity": tn / (tn + fp)}


def print_tables(rows: dict[str, Any]) -> None:
    print("| held-out set | records | model | TP | FP | FN | sensitivity | specificity | recurring |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, row in rows.items():
        lines = [
            ("LODO (trained on the 7 others)", row["lodo"]),
            ("in-sample (trained on all 8)", row["in_sample"]),
        ]
        if name in BIB_DEDUPE:
            lines.append(("bib-dedupe 0.11.0 (recorded)", _bib(name)))
        for number, (label, f) in enumerate(lines):
            head = f"| {name} | {row['lodo']['records']:,} |" if number == 0 else "| | |"
            print(
                f"{head} {label} | {f['tp']:,} | {f['fp']} | {f['fn']:,} | {f['sensitivity']:.4f} | "
                f"{f['specificity']:.4f} | {f.get('recurring', '')} |"
            )
    totals = {
        key: {m: sum(r[key][m] for r in rows.values()) for m in ("tp", "fp", "fn")}
        for key in ("lodo", "in_sample")
    }
    bib = {m: sum(_bib(n)[m] for n in rows if n in BIB_DEDUPE) for m in ("tp", "fp", "fn")}
    for label, t in (("LODO", totals["lodo"]), ("in-sample", totals["in_sample"]), ("bib-dedupe", bib)):
        print(
            f"all sets, {label}: TP {t['tp']:,} FP {t['fp']} FN {t['fn']:,} "
            f"sensitivity {t['tp'] / (t['tp'] + t['fn']):.4f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=dedup_weights.DEFAULT_DATA)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--from-pairs", action="store_true")
    parser.add_argument("--choose-threshold", action="store_true")
    args = parser.parse_args(argv)
    rows = run(args.data, from_pairs=args.from_pairs, choose=args.choose_threshold)
    print_tables(rows)
    if args.json:
        existing = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
        existing["lodo_chosen_threshold" if args.choose_threshold else "lodo"] = rows
        args.json.write_text(json.dumps(existing, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
