"""Benchmark prioritised screening (``realreview.prioritise``) on the 25 labelled datasets of BASELINE.md.

Usage::

    python benchmarks/screening_benchmark.py [--data DIR] [--with-asreview] [--json OUT] [--seeds 3]
        [--only NAME] [--config JSON] [--no-retrain-speed]

BASELINE.md's protocol: per dataset, three runs with 1 relevant + 1 irrelevant prior record, (prior seed,
model seed) = (535,165), (536,166), (538,168); screening goes on until the last relevant record is found.
The prior records are those ASReview draws for the prior seed (``RandomState(prior_seed)``, see
``screening_data.asreview_priors``), so both tools start from the same records; ``--numpy-priors`` draws
them with our generator instead. The model seed seeds our generator (ASReview's own model seed has no
counterpart here). Without
``--with-asreview`` ASReview's figures are BASELINE.md's three-seed means; with it, asreview 3.0.8 (in
``.venv-asreview``) runs on the same inputs in this invocation and both are measured here. Every metric
of both tools comes from ``realreview.prioritise.metrics`` (the asreview-insights definitions).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).parent))

import numpy as np  # noqa: E402
from screening_data import DEFAULT_DATA, SEED_PAIRS, asreview_priors, baseline, load, sources  # noqa: E402

from realreview.prioritise import metrics  # noqa: E402
from realreview.prioritise.simulation import SimulationConfig, config_from_dict, simulate_dataset  # noqa: E402

KEYS = ["wss@95", "recall@10%", "screened_to_95%", "screened_to_100%", "loss"]
PERCENT = {"wss@95", "recall@10%"}


def _metrics(labels: np.ndarray) -> dict[str, float]:
    return {
        "wss@95": metrics.wss(labels, 0.95),
        "recall@10%": metrics.recall_at(labels, 0.10),
        "screened_to_95%": metrics.screened_to(labels, 0.95),
        "screened_to_100%": metrics.screened_to(labels, 1.0),
        "loss": metrics.loss(labels),
    }


def run_all(
    data: Path,
    *,
    seeds: int,
    only: str | None,
    config: SimulationConfig,
    with_asreview: bool,
    numpy_priors: bool = False,
) -> list[dict]:
    runs = []
    for source in sources(data):
        if only and only not in source.name:
            continue
        for prior_seed, model_seed in SEED_PAIRS[:seeds]:
            start = time.perf_counter()
            dataset = load(source)
            priors = None if numpy_priors else asreview_priors(dataset.labels, prior_seed)
            result = simulate_dataset(
                dataset, prior_seed=prior_seed, model_seed=model_seed, priors=priors, config=config
            )
            run = {
                **result.to_json(),
                "seconds": round(time.perf_counter() - start, 3),
                "dataset": source.name,
            }
            run.pop("config")
            # positions of the relevant records in our order: enough to re-evaluate stopping rules offline
            run["relevant_at"] = np.flatnonzero(result.labels_in_order).tolist()
            if with_asreview:
                from asreview_runner import run_asreview

                labels, seconds = run_asreview(dataset, prior_seed, model_seed)
                run["asreview"] = {**_metrics(labels), "seconds": round(seconds, 3)}
            runs.append(run)
            print(
                f"  {source.name} {prior_seed}/{model_seed}: wss@95 {run['wss@95']:.3f} "
                f"loss {run['loss']:.3f} {run['seconds']:.1f} s"
                + (
                    f" | asreview {run['asreview']['wss@95']:.3f} {run['asreview']['seconds']:.1f} s"
                    if with_asreview
                    else ""
                ),
                flush=True,
            )
    return runs


def per_dataset(
    runs: list[dict], asreview_baseline: dict[str, dict[str, float]]
) -> dict[str, dict[str, Any]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for run in runs:
        grouped[run["dataset"]].append(run)
    table = {}
    for name, items in grouped.items():
        ours = {key: float(np.mean([r[key] for r in items])) for key in [*KEYS, "seconds"]}
        if "asreview" in items[0]:
            theirs = {key: float(np.mean([r["asreview"][key] for r in items])) for key in [*KEYS, "seconds"]}
            source = "measured"
        else:
            base = asreview_baseline.get(name, {})
            theirs = {k: v / 100 if k in PERCENT else v for k, v in base.items()}
            source = "BASELINE.md"
        table[name] = {"runs": len(items), "realreview": ours, "asreview": theirs, "asreview_source": source}
    return table


def stopping_summary(runs: list[dict]) -> dict[str, dict[str, float]]:
    rules: dict[str, list[dict]] = defaultdict(list)
    for run in runs:
        for rule, outcome in run["stopping"].items():
            rules[rule].append({**outcome, "records": run["records"]})
    return {
        rule: {
            "runs": len(items),
            "reached_target": float(np.mean([o["reached_target"] for o in items])),
            "mean_recall": float(np.mean([o["recall"] for o in items])),
            "mean_beyond_best_share": float(
                np.mean([max(o["beyond_best"], 0) / o["records"] for o in items])
            ),
            "mean_signed_beyond_best_share": float(np.mean([o["beyond_best"] / o["records"] for o in items])),
            "mean_screened_share": float(np.mean([o["screened"] / o["records"] for o in items])),
        }
        for rule, items in rules.items()
    }


def _fmt(key: str, value: float | None) -> str:
    if value is None:
        return "–"
    if key in PERCENT:
        return f"{100 * value:.1f}"
    return f"{value:.3f}" if key == "loss" else f"{value:.1f}" if key == "seconds" else f"{value:.0f}"


def print_report(table: dict[str, dict[str, Any]], stops: dict[str, dict[str, float]]) -> dict[str, Any]:
    print(
        "\n| dataset | runs | WSS@95 ours / ASReview | recall@10% | screened to 95% | screened to 100% "
        "| loss | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, row in table.items():
        ours, theirs = row["realreview"], row["asreview"]
        cells = [f"{_fmt(k, ours[k])} / {_fmt(k, theirs.get(k))}" for k in [*KEYS, "seconds"]]
        print(f"| {name} | {row['runs']} | " + " | ".join(cells) + " |")
    summary = _summary(table)
    print(
        "\nmeans over datasets (ours / ASReview): "
        + ", ".join(
            f"{k} {_fmt(k, summary['realreview'][k])} / {_fmt(k, summary['asreview'].get(k))}" for k in KEYS
        )
    )
    print(f"datasets with WSS@95 more than 2 points below ASReview: {summary['worse_by_2_points'] or 'none'}")
    if summary["time_ratio"]:
        print(
            f"total seconds of one run per dataset and seed: ours {summary['realreview']['seconds_total']:.1f}"
            f" / ASReview {summary['asreview']['seconds_total']:.1f}: ratio {summary['time_ratio']:.2f}"
        )
    print(
        "\n| stopping rule | runs | reached target | mean recall | mean share screened beyond the best point "
        "| signed | mean share screened |"
    )
    print("|---|---|---|---|---|---|---|")
    for rule, s in stops.items():
        print(
            f"| {rule} | {s['runs']} | {100 * s['reached_target']:.1f}% | {100 * s['mean_recall']:.1f}% "
            f"| {100 * s['mean_beyond_best_share']:.1f}% | {100 * s['mean_signed_beyond_best_share']:+.1f}% "
            f"| {100 * s['mean_screened_share']:.1f}% |"
        )
    return summary


def _summary(table: dict[str, dict[str, Any]]) -> dict[str, Any]:
    names = [n for n, row in table.items() if row["asreview"]]
    ours = {k: float(np.mean([table[n]["realreview"][k] for n in table])) for k in KEYS}
    theirs = {k: float(np.mean([table[n]["asreview"][k] for n in names])) for k in KEYS} if names else {}
    ours["seconds_total"] = sum(row["realreview"]["seconds"] for row in table.values())
    measured = all("seconds" in table[n]["asreview"] for n in table) and names
    if measured:
        theirs["seconds_total"] = sum(table[n]["asreview"]["seconds"] for n in names)
    worse = [n for n in names if table[n]["realreview"]["wss@95"] < table[n]["asreview"]["wss@95"] - 0.02]
    ratio = ours["seconds_total"] / theirs["seconds_total"] if measured else None
    return {"realreview": ours, "asreview": theirs, "worse_by_2_points": worse, "time_ratio": ratio}


def retrain_speed(data: Path, config: SimulationConfig, *, size: int = 100_000) -> dict[str, float]:
    """Feature extraction and one retraining (fit + score all) on ``size`` records pooled from every dataset."""
    from realreview.prioritise.cycle import rank_unscreened
    from realreview.prioritise.features import extract_features
    from realreview.prioritise.rankers import make_ranker

    texts, labels = [], []
    for source in sources(data):
        dataset = load(source)
        texts.extend(dataset.texts)
        labels.extend(dataset.labels.tolist())
    pool = len(texts)
    texts = (texts * (size // pool + 1))[:size]
    truth = np.asarray((labels * (size // pool + 1))[:size])
    start = time.perf_counter()
    features = extract_features(texts, config.features)
    figures = {"records": size, "pooled_real_records": pool, "features_s": time.perf_counter() - start}
    rng = np.random.default_rng(0)
    for labelled_count in (1_000, 5_000, 20_000):
        labelled = rng.choice(size, size=labelled_count, replace=False)
        start = time.perf_counter()
        rank_unscreened(make_ranker(config.ranker), features, labelled, truth[labelled], rng)
        figures[f"retrain_s_at_{labelled_count}_labelled"] = time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--with-asreview", action="store_true", help="also run asreview 3.0.8 on the same inputs"
    )
    parser.add_argument("--json", type=Path, help="write every run and the summary here")
    parser.add_argument("--seeds", type=int, default=3, choices=[1, 2, 3], help="how many of the seed pairs")
    parser.add_argument("--only", help="only datasets whose name contains this")
    parser.add_argument("--config", default="{}", help="SimulationConfig overrides as JSON")
    parser.add_argument(
        "--no-retrain-speed", action="store_true", help="skip the 100,000-record retraining timing"
    )
    parser.add_argument(
        "--numpy-priors", action="store_true", help="draw priors with our generator, not ASReview's draw"
    )
    args = parser.parse_args()
    config = config_from_dict(json.loads(args.config))
    print(f"config: {config}")
    runs = run_all(
        args.data,
        seeds=args.seeds,
        only=args.only,
        config=config,
        with_asreview=args.with_asreview,
        numpy_priors=args.numpy_priors,
    )
    table = per_dataset(runs, baseline(args.data))
    stops = stopping_summary(runs)
    summary = print_report(table, stops)
    speed = None
    if not args.no_retrain_speed:
        speed = retrain_speed(args.data, config)
        print(
            f"\n100,000 records: features {speed['features_s']:.1f} s once; one retraining (fit + score all) "
            + ", ".join(
                f"{v:.2f} s with {k.split('_')[3]} labelled"
                for k, v in speed.items()
                if k.startswith("retrain")
            )
        )
    if args.json:
        payload = {
            "config": json.loads(json.dumps(config, default=lambda o: o.__dict__)),
            "runs": runs,
            "per_dataset": table,
            "summary": summary,
            "stopping": stops,
            "retrain_speed": speed,
        }
        args.json.write_text(json.dumps(payload, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
