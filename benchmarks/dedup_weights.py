"""Derive the deduplication model (weights and thresholds) from labelled sets (issue #10).

Usage::

    python benchmarks/dedup_weights.py [--data DIR] [--out src/realreview/dedup/weights.py]

1. **Pairs.** Each dataset's records are profiled and blocked exactly as ``find_duplicates`` does;
   every candidate pair gets its comparison vector (``realreview.dedup.fields``) and a label (one true
   work or not). Cached under ``benchmarks/out/dedup_pairs/``, keyed by the dedup sources.
2. **Weights.** Per stratum (title stratum and identifier level), a logistic regression over one-hot
   field levels and the few interactions in ``fields.INTERACTIONS`` (L2 penalty ``PENALTY``, Newton's
   method), fitted on the pooled pairs of the training sets. Identical comparison vectors are counted
   once with their numbers of duplicates and non-duplicates, so fitting takes seconds in pure Python.
3. **Thresholds** follow from two stated costs, not from the data: a false merge costs ``FP_COST``
   missed duplicates, showing a pair to a person ``REVIEW_COST``. For a calibrated probability ``p``
   the cheaper decision is to merge when ``p >= FP_COST / (1 + FP_COST)`` and to show the pair when
   ``p >= REVIEW_COST``.

``dedup_lodo.py`` runs steps 1-2 on seven sets and measures on the eighth; with ``--choose-threshold``
it also chooses the merge threshold on the seven (``choose_merge``) to compare the two disciplines.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import pickle
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from dedup_data import is_dataset, load_dataset  # noqa: E402

from realreview.dedup.blocking import candidate_pairs  # noqa: E402
from realreview.dedup.clusters import build_groups  # noqa: E402
from realreview.dedup.fields import Evidence, evidence, features, stratum_of  # noqa: E402
from realreview.dedup.match import APART, vetoed  # noqa: E402
from realreview.dedup.profile import profile  # noqa: E402
from realreview.dedup.scoring import Model  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "dedup"
DEFAULT_OUT = REPO / "src" / "realreview" / "dedup" / "weights.py"
CACHE = REPO / "benchmarks" / "out" / "dedup_pairs"

FP_COST = 20.0  # a false merge drops a study from a review: as bad as twenty missed duplicates
REVIEW_COST = 0.1  # a pair shown to a person costs a tenth of a missed duplicate
# Bayes decisions for a calibrated probability p: merging costs (1 - p) * FP_COST, leaving the pair
# costs p (a missed duplicate), showing it to a person costs REVIEW_COST.
MERGE = FP_COST / (1 + FP_COST)
REVIEW = REVIEW_COST
PENALTY = 1.0  # L2 on every weight but the bias
# For ``dedup_lodo.py --choose-threshold`` only: the merge thresholds it tries.
MERGE_GRID = [1 / (1 + math.exp(-(z / 4))) for z in range(4, 33)]  # logit 1 .. 8 by 0.25


@dataclass
class PairTable:
    """One dataset's candidate pairs ``(a, b, pattern id, is duplicate)``, ``a < b``, sorted."""

    name: str
    ids: list[str]
    truth: list[list[str]]
    pairs: list[tuple[int, int, int, bool]]
    patterns: list[tuple[str, ...]]


def _source_digest() -> str:
    folder = REPO / "src" / "realreview" / "dedup"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        if path.name != "weights.py":
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def pair_table(folder: Path) -> PairTable:
    """Candidate pairs of one dataset with their comparison vectors and labels (cached)."""
    cache = CACHE / f"{folder.name}-{_source_digest()}.pkl"
    if cache.exists():
        with open(cache, "rb") as handle:
            return PairTable(**pickle.load(handle))
    dataset = load_dataset(folder)
    profiles = [profile(record) for record in dataset.records]
    position = {record_id: i for i, record_id in enumerate(dataset.ids)}
    work: dict[int, int] = {}
    for number, group in enumerate(dataset.groups):
        for member in group:
            if member in position:
                work[position[member]] = number
    patterns: dict[tuple[str, ...], int] = {}
    pairs = []
    for a, b in candidate_pairs(profiles):
        item = evidence(profiles[a], profiles[b])
        pattern = patterns.setdefault(item.levels, len(patterns))
        label = a in work and work.get(a) == work.get(b)
        pairs.append((a, b, pattern, label))
    pairs.sort()  # in pair order, as find_duplicates sorts its links
    table = PairTable(folder.name, dataset.ids, dataset.groups, pairs, list(patterns))
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(cache, "wb") as handle:
        pickle.dump(vars(table), handle)
    return table


def load_tables(data: Path) -> list[PairTable]:
    """Pair tables of every dataset under ``data``, smallest first."""
    folders = sorted(p for p in data.iterdir() if is_dataset(p))
    tables = []
    for folder in folders:
        start = time.perf_counter()
        tables.append(pair_table(folder))
        print(
            f"pairs {folder.name}: {len(tables[-1].pairs):,} ({time.perf_counter() - start:.1f} s)",
            file=sys.stderr,
        )
    return tables


# --- weights -------------------------------------------------------------------------------------


def fit(tables: Iterable[PairTable], *, penalty: float = PENALTY) -> dict[str, dict[str, float]]:
    """Logistic regression per title stratum over one-hot ``field=level`` features."""
    counts: dict[str, Counter[tuple[str, ...]]] = {}
    totals: dict[str, Counter[tuple[str, ...]]] = {}
    for table in tables:
        for _a, _b, pattern, label in table.pairs:
            levels = table.patterns[pattern]
            name = stratum_of(levels)
            totals.setdefault(name, Counter())[levels] += 1
            if label:
                counts.setdefault(name, Counter())[levels] += 1
    strata = {}
    for name in sorted(totals):
        rows = [(levels, n, counts.get(name, Counter())[levels]) for levels, n in totals[name].items()]
        strata[name] = _fit_stratum(rows, penalty)
    return strata


def _fit_stratum(rows: list[tuple[tuple[str, ...], int, int]], penalty: float) -> dict[str, float]:
    names = sorted({name for levels, _, _ in rows for name in features(levels)})
    index = {name: i + 1 for i, name in enumerate(names)}  # 0 is the bias
    size = len(names) + 1
    data = [([0] + [index[name] for name in features(levels)], n, pos) for levels, n, pos in rows]
    weights = [0.0] * size
    for _ in range(100):
        gradient = [penalty * w for w in weights]
        gradient[0] = 0.0
        hessian = [[0.0] * size for _ in range(size)]
        for j in range(1, size):
            hessian[j][j] = penalty
        hessian[0][0] = 1e-9
        for active, n, pos in data:
            z = sum(weights[j] for j in active)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
            residual = n * p - pos
            curvature = n * p * (1.0 - p)
            for j in active:
                gradient[j] += residual
                row = hessian[j]
                for k in active:
                    row[k] += curvature
        step = _solve(hessian, gradient)
        weights = [w - s for w, s in zip(weights, step, strict=True)]
        if max(abs(s) for s in step) < 1e-7:
            break
    result = {"bias": round(weights[0], 4)}
    result.update({name: round(weights[index[name]], 4) for name in names})
    return result


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve ``matrix @ x = vector`` (symmetric positive definite) by Gaussian elimination."""
    size = len(vector)
    a = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            continue
        for r in range(col + 1, size):
            factor = a[r][col] / a[col][col]
            if factor:
                row, top = a[r], a[col]
                for c in range(col, size + 1):
                    row[c] -= factor * top[c]
    x = [0.0] * size
    for r in range(size - 1, -1, -1):
        if abs(a[r][r]) < 1e-12:
            continue
        x[r] = (a[r][size] - sum(a[r][c] * x[c] for c in range(r + 1, size))) / a[r][r]
    return x


# --- thresholds ----------------------------------------------------------------------------------


def probabilities(table: PairTable, strata: dict[str, dict[str, float]]) -> list[float]:
    """The model's probability for each pattern of ``table`` (scored as ``find_duplicates`` scores)."""
    model = Model(strata=strata, merge=MERGE, review=REVIEW)
    return [model.probability(Evidence(levels, None, None)) for levels in table.patterns]


def groups_at(table: PairTable, chance: Sequence[float], merge: float, review: float) -> list[list[str]]:
    """The groups ``find_duplicates`` would form with these thresholds (same order, same constraints)."""
    return [[table.ids[i] for i in group] for group in _index_groups(table, chance, merge, review)]


def _index_groups(table: PairTable, chance: Sequence[float], merge: float, review: float) -> list[list[int]]:
    """Mirrors ``realreview.dedup.find``: automatic links strongest first (ties in pair order), and
    every uncertain link that is vetoed or below ``APART`` as a cannot-link constraint."""
    banned = _vetoes(table)
    automatic: list[tuple[float, int, int]] = []
    cannot: list[tuple[int, int]] = []
    for a, b, pattern, _label in table.pairs:
        p = chance[pattern]
        if p < review:
            continue
        if p >= merge and not banned[pattern]:
            automatic.append((-round(p, 4), a, b))
        elif banned[pattern] or p < APART:
            cannot.append((a, b))
    automatic.sort(key=lambda link: link[0])
    groups, _ = build_groups(len(table.ids), [(a, b) for _, a, b in automatic], cannot)
    return groups


_VETOES: dict[int, list[bool]] = {}
_TRUTH: dict[int, tuple[dict[int, int], list[int]]] = {}


def _vetoes(table: PairTable) -> list[bool]:
    """Per pattern, whether it rules out an automatic merge."""
    found = _VETOES.get(id(table))
    if found is None:
        found = _VETOES[id(table)] = [vetoed(levels) for levels in table.patterns]
    return found


def _truth(table: PairTable) -> tuple[dict[int, int], list[int]]:
    """Record index -> true group number, and the size of each true group."""
    found = _TRUTH.get(id(table))
    if found is None:
        position = {record_id: i for i, record_id in enumerate(table.ids)}
        work: dict[int, int] = {}
        sizes: list[int] = []
        for number, group in enumerate(table.truth):
            members = [position[m] for m in group if m in position]
            sizes.append(len(members))
            for member in members:
                work[member] = number
        found = _TRUTH[id(table)] = (work, sizes)
    return found


def record_errors(table: PairTable, groups: Iterable[Sequence[int]]) -> tuple[int, int]:
    """Record-level ``(FP, FN)`` of predicted groups (record indexes), as ``dedup_eval.evaluate`` counts.

    Each group keeps its first record; a true group with no record kept is one FP, a removed true
    singleton is one FP, and every record beyond one kept of a true group is one FN.
    """
    work, sizes = _truth(table)
    kept = list(sizes)
    fp = 0
    for group in groups:
        for member in sorted(group)[1:]:
            number = work.get(member)
            if number is None:
                fp += 1
            else:
                kept[number] -= 1
    fn = sum(k - 1 for k in kept if k > 0)
    return fp + sum(1 for k in kept if k == 0), fn


def choose_merge(tables: Sequence[PairTable], chances: Sequence[Sequence[float]], review: float) -> float:
    """The grid probability with the least ``FN + FP_COST * FP`` over ``tables`` (ties: the higher)."""
    costs = []
    for merge in MERGE_GRID:
        total = 0.0
        for table, chance in zip(tables, chances, strict=True):
            fp, fn = record_errors(table, _index_groups(table, chance, merge, min(review, merge)))
            total += fn + FP_COST * fp
        costs.append((total, -merge))
    return -min(costs)[1]


def train(tables: Sequence[PairTable]) -> dict[str, Any]:
    """Weights from ``tables``; thresholds from the stated costs (see the module docstring)."""
    return {"merge": round(MERGE, 6), "review": round(REVIEW, 6), "strata": fit(tables)}


def write_module(model: dict[str, Any], path: Path, *, trained_on: list[str], pairs: int) -> None:
    """Write the model as a Python module: the package ships no data files outside its modules."""
    names = ", ".join(trained_on)
    lines = [
        '"""The deduplication model: learned weights and thresholds (issue #10). Generated; do not edit.',
        "",
        "Written by ``python benchmarks/dedup_weights.py`` from the labelled sets in ../shared/data/dedup",
        *textwrap.wrap(f"({names}; {pairs:,} candidate pairs). See :mod:`realreview.dedup.scoring`.", 100),
        '"""',
        "",
        "from typing import Any",
        "",
        "# fmt: off",
        "MODEL: dict[str, Any] = {",
        f'    "merge": {model["merge"]!r},',
        f'    "review": {model["review"]!r},',
        '    "strata": {',
    ]
    for name, weights in model["strata"].items():
        lines.append(f'        "{name}": {{')
        entries = [f'"{key}": {value!r},' for key, value in weights.items()]
        line = ""
        for entry in entries:
            if line and len(line) + 1 + len(entry) > 96:
                lines.append("            " + line)
                line = ""
            line = f"{line} {entry}" if line else entry
        if line:
            lines.append("            " + line)
        lines.append("        },")
    lines += ["    },", "}", "# fmt: on", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    tables = load_tables(args.data)
    model = train(tables)
    write_module(
        model, args.out, trained_on=[t.name for t in tables], pairs=sum(len(t.pairs) for t in tables)
    )
    print(f"merge {model['merge']:.4f}  review {model['review']:.4f}  -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
