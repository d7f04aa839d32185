"""List the misses and false merges of ``find_duplicates`` on one labelled dataset, record by record.

Usage::

    python benchmarks/dedup_misses.py DATASET_DIR [--limit N]

For each true duplicate group split over several predicted groups it prints, per split pair, whether
blocking proposed the pair and what the matcher said; for each predicted group holding records of
several true works it prints the records. This is how docs/benchmarks.md documents each false merge.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from dedup_data import load_dataset  # noqa: E402

from realreview.dedup import find_duplicates  # noqa: E402
from realreview.dedup.blocking import candidate_pairs  # noqa: E402
from realreview.dedup.match import compare, profile  # noqa: E402
from realreview.records import Record  # noqa: E402


def describe(identifier: str, record: Record) -> str:
    authors = "; ".join(a.family + (" " + a.given if a.given else "") for a in record.authors[:3])
    return (
        f"    {identifier}: {record.year} | {authors} | {record.title} | {record.journal} | "
        f"vol {record.volume} iss {record.issue} pp {record.pages} | doi {record.doi}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=1000, help="Show at most this many split groups.")
    args = parser.parse_args()
    dataset = load_dataset(args.folder)
    index = {identifier: i for i, identifier in enumerate(dataset.ids)}
    result = find_duplicates(dataset.records)
    predicted = {member: n for n, group in enumerate(result.groups) for member in group}
    profiles = [profile(r) for r in dataset.records]
    candidates = set(candidate_pairs(profiles))
    truth_of = {index[i]: n for n, group in enumerate(dataset.groups) for i in group if i in index}
    shown = 0
    missed = 0
    for group in dataset.groups:
        members = [index[i] for i in group if i in index]
        clusters = {predicted.get(m, ("single", m)) for m in members}
        if len(clusters) == 1:
            continue
        missed += len(clusters) - 1
        if shown >= args.limit:
            continue
        shown += 1
        print(f"SPLIT into {len(clusters)}: {', '.join(group)}")
        for m in members:
            print(describe(dataset.ids[m], dataset.records[m]))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if predicted.get(a, ("single", a)) == predicted.get(b, ("single", b)):
                    continue
                pair = (min(a, b), max(a, b))
                verdict = compare(profiles[a], profiles[b])
                said = (
                    "no link"
                    if verdict is None
                    else f"{verdict.status.value} ({verdict.reason}; "
                    f"agreed {','.join(verdict.agreed)}; conflicted {','.join(verdict.conflicted)})"
                )
                blocked = "blocked" if pair in candidates else "NOT BLOCKED"
                print(f"      {dataset.ids[a]}~{dataset.ids[b]}: {blocked}; {said}")
    print(f"missed (record-level FN): {missed}")
    for group in result.groups:
        works = {truth_of.get(m, ("single", m)) for m in group}
        if len(works) > 1:
            print("FALSE MERGE: " + ", ".join(dataset.ids[m] for m in group))
            for m in group:
                print(describe(dataset.ids[m], dataset.records[m]))


if __name__ == "__main__":
    main()
