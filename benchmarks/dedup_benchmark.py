"""Benchmark ``realreview.dedup.find_duplicates`` on labelled datasets, optionally beside bib-dedupe.

Usage::

    python benchmarks/dedup_benchmark.py --data DIR [--json OUT] [--with-bib-dedupe] [--scale N ...]

Each dataset runs in a child process, so that wall time and peak RSS (``os.wait4``) measure the dedup
step of that dataset alone, including loading its records. Figures follow ../shared/data/dedup/BASELINE.md
(see ``dedup_eval.py``). ``--scale N`` builds an N-record set from the pooled real records of all
datasets (whole true groups and singletons, fixed seed); beyond the pool it adds copies of real records
made distinct (another year and volume, a marker in the title), and says so.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from dedup_data import is_dataset, load_dataset  # noqa: E402
from dedup_eval import evaluate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "dedup"
SEED = 20240601


def _dedup_child(folder: str, queue: Any) -> None:
    from realreview.dedup import find_duplicates

    start = time.perf_counter()
    dataset = load_dataset(Path(folder))
    loaded = time.perf_counter()
    result = find_duplicates(dataset.records)
    done = time.perf_counter()
    groups = [[dataset.ids[i] for i in group] for group in result.groups]
    queue.put(
        {
            "ids": dataset.ids,
            "truth": dataset.groups,
            "groups": groups,
            "load_s": loaded - start,
            "find_s": done - loaded,
            "review_links": len(result.review_links),
        }
    )


def run_in_child(target: Any, *args: Any) -> tuple[dict[str, Any], float, float]:
    """Run ``target(*args, queue)`` in a fresh process; return its result, wall seconds and peak RSS in MB."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start = time.perf_counter()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get()
    assert process.pid is not None
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"child failed with status {status}")
    # ru_maxrss is in kilobytes on Linux.
    return result, seconds, usage.ru_maxrss / 1024


def bench_dataset(folder: Path, *, with_bib_dedupe: bool) -> dict[str, Any]:
    result, seconds, rss = run_in_child(_dedup_child, str(folder))
    figures = evaluate(result["ids"], result["truth"], result["groups"]).as_dict()
    figures.update(
        seconds=round(seconds, 2),
        peak_rss_mb=round(rss, 1),
        load_s=round(result["load_s"], 2),
        find_s=round(result["find_s"], 2),
        review_links=result["review_links"],
    )
    if with_bib_dedupe:
        from bib_dedupe_runner import run_bib_dedupe

        theirs = run_bib_dedupe(folder)
        bib = evaluate(result["ids"], result["truth"], theirs["groups"]).as_dict()
        bib.update(seconds=round(theirs["seconds"], 2), peak_rss_mb=round(theirs["peak_rss_mb"], 1))
        figures["bib_dedupe"] = bib
    return figures


COLUMNS = ["records", "tp", "fp", "fn", "tn", "sensitivity", "specificity", "precision", "f1"]
COLUMNS += ["pair_precision", "pair_recall", "pair_f1", "pair_fp", "over_merged", "seconds", "peak_rss_mb"]


def _cell(column: str, value: Any) -> str:
    if column in ("seconds", "peak_rss_mb"):
        return f"{value:,.1f}"
    if isinstance(value, float):
        return f"{value:.4f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_table(results: dict[str, dict[str, Any]]) -> None:
    header = ["dataset", "tool", *COLUMNS]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, figures in results.items():
        print("| " + " | ".join([name, "realreview", *(_cell(c, figures[c]) for c in COLUMNS)]) + " |")
        bib = figures.get("bib_dedupe")
        if bib:
            print("| " + " | ".join([name, "bib-dedupe", *(_cell(c, bib[c]) for c in COLUMNS)]) + " |")
    if any("bib_dedupe" in f for f in results.values()):
        print("\n| dataset | time ratio (bib-dedupe / realreview) | memory ratio (bib-dedupe / realreview) |")
        print("|---|---|---|")
        for name, figures in results.items():
            bib = figures.get("bib_dedupe")
            if bib:
                time_ratio = bib["seconds"] / max(figures["seconds"], 1e-9)
                memory_ratio = bib["peak_rss_mb"] / max(figures["peak_rss_mb"], 1e-9)
                print(f"| {name} | {time_ratio:.1f}x | {memory_ratio:.1f}x |")


def build_scaled(folders: list[Path], size: int) -> tuple[list[Any], int]:
    """Pool the real records of ``folders`` and draw ``size`` records; return them and the synthetic count.

    Whole true groups and singletons are drawn in a seeded random order until ``size`` records; past the
    pool (160,822 records) distinct works are built by recombining real fields (see below).
    """
    units: list[list[Any]] = []
    for folder in folders:
        dataset = load_dataset(folder)
        position = {record_id: i for i, record_id in enumerate(dataset.ids)}
        grouped: set[str] = set()
        for group in dataset.groups:
            members = [dataset.records[position[m]] for m in group if m in position]
            grouped.update(group)
            units.append(members)
        units.extend([r] for i, r in zip(dataset.ids, dataset.records, strict=True) if i not in grouped)
    rng = random.Random(SEED)
    rng.shuffle(units)
    chosen: list[Any] = []
    for unit in units:
        if len(chosen) >= size:
            break
        chosen.extend(unit)
    synthetic = 0
    pool = list(chosen)
    while len(chosen) < size:
        # A distinct work built from real fields: the words of the first half of one real title and the
        # second half of another, shuffled (each real title serves several copies, so unshuffled halves
        # would share their opening words as duplicates do), the authors of a third, the journal,
        # volume, issue and pages of a fourth, the year of a fifth. Field lengths and spellings stay
        # real; no two copies are near-identical, so blocks grow as they would with more real records.
        title_a, title_b, names, place, dated = (pool[rng.randrange(len(pool))] for _ in range(5))
        words_a, words_b = (title_a.title or "").split(), (title_b.title or "").split()
        words = words_a[: len(words_a) // 2] + words_b[len(words_b) // 2 :]
        rng.shuffle(words)
        title = " ".join(words)
        chosen.append(
            replace(
                place,
                title=title or None,
                authors=names.authors,
                year=dated.year,
                doi=None,
                pmid=None,
            )
        )
        synthetic += 1
    chosen = chosen[:size]
    rng.shuffle(chosen)
    # Deduplication reads the normalised fields only; the raw export fields would only weigh on memory.
    return [replace(record, raw=()) for record in chosen], synthetic


def _scale_child(folders: list[str], size: int, queue: Any) -> None:
    from realreview.dedup import find_duplicates

    records, synthetic = build_scaled([Path(f) for f in folders], size)
    start = time.perf_counter()
    result = find_duplicates(records)
    seconds = time.perf_counter() - start
    queue.put({"find_s": seconds, "synthetic": synthetic, "groups": len(result.groups)})


def bench_scale(folders: list[Path], sizes: list[int]) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    previous: tuple[int, float] | None = None
    print(
        "\n| records | synthetic copies | dedup s | child wall s (incl. load) | peak RSS MB | records/s | growth |"
    )
    print("|---|---|---|---|---|---|---|")
    for size in sizes:
        result, wall, rss = run_in_child(_scale_child, [str(f) for f in folders], size)
        growth = ""
        if previous is not None:
            growth = f"{result['find_s'] / previous[1]:.2f}x time for {size / previous[0]:.2f}x records"
        previous = (size, result["find_s"])
        rate = size / result["find_s"]
        print(
            f"| {size:,} | {result['synthetic']:,} | {result['find_s']:.1f} | {wall:.1f} | {rss:,.0f} | "
            f"{rate:,.0f} | {growth} |"
        )
        rows[str(size)] = {
            "records": size,
            "synthetic_copies": result["synthetic"],
            "seconds": round(result["find_s"], 2),
            "wall_seconds": round(wall, 2),
            "peak_rss_mb": round(rss, 1),
            "records_per_s": round(rate),
            "groups": result["groups"],
        }
    if any(row["synthetic_copies"] for row in rows.values()):
        print(
            "Note: sizes beyond the pooled real records include synthetic, non-duplicate copies (see above)."
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("REALREVIEW_DEDUP_DATA", DEFAULT_DATA))
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--with-bib-dedupe", action="store_true")
    parser.add_argument("--scale", type=int, action="append", default=[])
    parser.add_argument("--only", nargs="*", help="dataset names to run (default: all)")
    args = parser.parse_args(argv)
    folders = sorted(p for p in args.data.iterdir() if is_dataset(p))
    if not folders:
        parser.error(f"no dataset folders under {args.data}")
    selected = [f for f in folders if not args.only or f.name in args.only]
    results: dict[str, Any] = {}
    for folder in sorted(selected, key=lambda f: f.stat().st_size if f.is_file() else _size(f)):
        results[folder.name] = bench_dataset(folder, with_bib_dedupe=args.with_bib_dedupe)
        print(f"done {folder.name}: {results[folder.name]['seconds']} s", file=sys.stderr, flush=True)
    previous = json.loads(args.json.read_text(encoding="utf-8")) if args.json and args.json.exists() else {}
    if not args.with_bib_dedupe:
        # Keep bib-dedupe's recorded figures (marked as such) beside the new ones.
        for name, figures in results.items():
            recorded = previous.get(name, {}).get("bib_dedupe")
            if recorded:
                figures["bib_dedupe"] = {**recorded, "recorded": True}
    print_table(results)
    output: dict[str, Any] = dict(results)
    if args.scale:
        output["scale"] = bench_scale(folders, sorted(args.scale))
    # dedup_lodo.py writes its own keys into the same file; keep them.
    output.update({key: previous[key] for key in ("lodo", "lodo_chosen_threshold") if key in previous})
    if args.json:
        args.json.write_text(json.dumps(output, indent=2) + "\n", encoding="utf-8")
    return 0


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir())


if __name__ == "__main__":
    raise SystemExit(main())
