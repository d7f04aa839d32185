"""Deduplication figures exactly as ../shared/data/dedup/BASELINE.md defines them.

* Record level (definition 2, the headline): after merging, each true group should keep exactly one
  record. A true singleton kept is TN, removed is FP. A true group of size ``s`` with ``k`` members still
  in the output: ``k == 0`` gives FP += 1 and TP += s - 1; ``k >= 1`` gives TN += 1, FN += k - 1,
  TP += s - k. TP + FP + FN + TN equals the number of records.
* Pairwise (definition 1): predicted clusters and true groups expanded into unordered pairs.
* Over-merged clusters: predicted clusters containing records of two or more true works.

A predicted cluster keeps one record (its first member, in input order); the others are removed.
A cluster that contains members of several true works is therefore counted against each of those
works: members of a true work whose kept record lies in another work's cluster are "removed".

>>> ids = ["a", "b", "c", "d", "e"]
>>> truth = [["a", "b"], ["c", "d"]]
>>> figures = evaluate(ids, truth, [["a", "b"], ["c", "e"]])
>>> (figures.tp, figures.fp, figures.fn, figures.tn)
(1, 1, 1, 2)
>>> figures.pair_fp, figures.over_merged
(1, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass


@dataclass
class Figures:
    records: int
    tp: int
    fp: int
    fn: int
    tn: int
    sensitivity: float
    specificity: float
    precision: float
    f1: float
    pair_precision: float
    pair_recall: float
    pair_f1: float
    pair_fp: int
    over_merged: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def _pairs(groups: Iterable[Sequence[str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for group in groups:
        members = sorted(set(group))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                found.add((a, b))
    return found


def evaluate(
    ids: Sequence[str], truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]
) -> Figures:
    """Compare predicted duplicate groups (record IDs) with the true groups."""
    order = {record_id: position for position, record_id in enumerate(ids)}
    work = {record_id: record_id for record_id in ids}
    for group in truth:
        for member in group:
            work[member] = group[0]
    removed: set[str] = set()
    over_merged = 0
    for cluster in predicted:
        members = sorted(set(cluster), key=lambda m: order.get(m, len(order)))
        removed.update(members[1:])
        if len({work.get(m, m) for m in members}) > 1:
            over_merged += 1
    tp = fp = fn = tn = 0
    grouped: set[str] = set()
    for group in truth:
        grouped.update(group)
        kept = sum(1 for member in group if member not in removed)
        if kept == 0:
            fp += 1
            tp += len(group) - 1
        else:
            tn += 1
            fn += kept - 1
            tp += len(group) - kept
    for record_id in ids:
        if record_id not in grouped:
            if record_id in removed:
                fp += 1
            else:
                tn += 1
    true_pairs = _pairs(truth)
    predicted_pairs = _pairs(predicted)
    pair_tp = len(true_pairs & predicted_pairs)
    pair_precision = _ratio(pair_tp, len(predicted_pairs))
    pair_recall = _ratio(pair_tp, len(true_pairs))
    precision = _ratio(tp, tp + fp)
    sensitivity = _ratio(tp, tp + fn)
    return Figures(
        records=len(ids),
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        sensitivity=sensitivity,
        specificity=_ratio(tn, tn + fp),
        precision=precision,
        f1=_ratio(2 * precision * sensitivity, precision + sensitivity) if precision + sensitivity else 0.0,
        pair_precision=pair_precision,
        pair_recall=pair_recall,
        pair_f1=_ratio(2 * pair_precision * pair_recall, pair_precision + pair_recall)
        if pair_precision + pair_recall
        else 0.0,
        pair_fp=len(predicted_pairs - true_pairs),
        over_merged=over_merged,
    )


if __name__ == "__main__":
    import doctest

    failures, _ = doctest.testmod()
    # A hand-checked case: a true group fully merged, one left apart, one singleton wrongly merged away.
    got = evaluate(list("abcdefg"), [["a", "b", "c"], ["d", "e"]], [["a", "b", "c"], ["f", "g"]])
    assert (got.tp, got.fp, got.fn, got.tn) == (2, 1, 1, 3), got
    assert got.tp + got.fp + got.fn + got.tn == 7
    print("ok" if not failures else f"{failures} doctest failures")
