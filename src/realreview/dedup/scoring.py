"""Weighing a pair's evidence: a small logistic model per title stratum, with learned weights.

The probability that a pair is one work is ``1 / (1 + exp(-(bias + sum of the weights of its
levels)))``, with one bias and one weight per ``field=level`` in each stratum (title stratum and
identifier level, :func:`realreview.dedup.fields.stratum_of`). Each weight is a log-odds agreement
weight in the sense of Fellegi and Sunter, but estimated jointly (so that correlated fields, such as
the author overlap and the first author, are not counted twice). A pair is merged at ``merge`` or
above and offered for review at ``review`` or above.

The shipped weights and both thresholds are data, not code: ``realreview.dedup.weights.MODEL`` is
written by ``benchmarks/dedup_weights.py`` from the labelled sets, the weights fitted to the labelled
pairs and the thresholds derived from two stated costs (a false merge, a pair shown to a person); the
leave-one-dataset-out figures in docs/benchmarks.md measure that procedure on sets it did not see
(issue #10). A stratum that no labelled pair reached is scored by its title stratum's weights without
an identifier, and a title stratum no pair reached gives no link.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from realreview.dedup.fields import FIELDS, INTERACTIONS, Evidence, stratum

__all__ = ["Model", "default_model"]

_Table = tuple[float, tuple[dict[str, float], ...], tuple[dict[str, float], ...]]


@dataclass(frozen=True)
class Model:
    """Weights per stratum (``{"bias": b, "field=level": w, ...}``) and the two probability thresholds.

    >>> model = Model(strata={"same/missing": {"bias": -2.0, "year=same": 3.0}}, merge=0.9, review=0.1)
    >>> from realreview.dedup.fields import Evidence
    >>> round(model.probability(Evidence(("exact",) + ("same",) * 11, 1.0, 1.0)), 3)
    0.731
    >>> model.probability(Evidence(("missing",) + ("same",) * 11, None, None)) < 1e-20  # no such stratum
    True
    """

    strata: Mapping[str, Mapping[str, float]]
    merge: float
    review: float
    # Per stratum: the bias, per field in FIELDS order level -> weight, and per interaction in
    # INTERACTIONS order "level/level" -> weight (built once).
    _tables: dict[str, _Table] = field(init=False, repr=False, compare=False)
    review_logit: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tables = {
            name: (
                weights.get("bias", 0.0),
                tuple(_levels(weights, name) for name in FIELDS),
                tuple(_levels(weights, f"{a}*{b}") for a, b in INTERACTIONS),
            )
            for name, weights in self.strata.items()
        }
        object.__setattr__(self, "_tables", tables)
        object.__setattr__(self, "review_logit", math.log(self.review / (1.0 - self.review)))

    def _table(self, item: Evidence) -> _Table:
        name = stratum(item)
        found = self._tables.get(name) or self._tables.get(name.partition("/")[0] + "/missing")
        return found or _NO_LINK

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Model:
        """Build a model from the mapping that ``benchmarks/dedup_weights.py`` writes."""
        return cls(strata=data["strata"], merge=float(data["merge"]), review=float(data["review"]))

    def logit(self, item: Evidence) -> float:
        """The log-odds that the pair is one work."""
        bias, tables, pairs = self._table(item)
        levels = item.levels
        value = bias + sum(table.get(level, 0.0) for table, level in zip(tables, levels, strict=True))
        for table, (a, b) in zip(pairs, _PAIRS, strict=True):
            value += table.get(f"{levels[a]}/{levels[b]}", 0.0)
        return value

    def bound(self, item: Evidence) -> float:
        """The highest log-odds ``item`` can reach whatever its unknown (``""``) levels turn out to be."""
        _, tables, _ = self._table(item)
        extra = sum(
            max(max(table.values(), default=0.0), 0.0)
            for table, level in zip(tables, item.levels, strict=True)
            if level == ""
        )
        return self.logit(item) + extra

    def probability(self, item: Evidence) -> float:
        """The probability that the pair is one work."""
        value = self.logit(item)
        return 1.0 / (1.0 + math.exp(-value)) if value > -700 else 0.0


_PAIRS = tuple((FIELDS.index(a), FIELDS.index(b)) for a, b in INTERACTIONS)
_NO_LINK: _Table = (-50.0, tuple({} for _ in FIELDS), tuple({} for _ in INTERACTIONS))


def _levels(weights: Mapping[str, float], name: str) -> dict[str, float]:
    prefix = name + "="
    return {key[len(prefix) :]: value for key, value in weights.items() if key.startswith(prefix)}


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The shipped model (``realreview.dedup.weights``)."""
    from realreview.dedup.weights import MODEL

    return Model.from_dict(MODEL)
