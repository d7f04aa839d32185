"""Replay a screening with known labels: how early the relevant records are found, and where each rule stops.

Two generators drive a run: one draws the prior records, the other everything else (the model, the
random sample of the stopping rule). One ``--seed`` derives both; ``prior_seed``/``model_seed`` set them.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from realreview.errors import ValidationError
from realreview.prioritise.cycle import RetrainSchedule, prioritised_order
from realreview.prioritise.dataset import LabelledDataset, load_labelled_csv
from realreview.prioritise.features import FeatureConfig, extract_features
from realreview.prioritise.metrics import loss, recall_at, screened_to, wss
from realreview.prioritise.query import MaxQuery, MixedQuery, MixedQueryConfig
from realreview.prioritise.rankers import EnsembleConfig, LogisticConfig, RankerConfig, SVMConfig, make_ranker
from realreview.prioritise.stopping import (
    RULES,
    ceil_run,
    consecutive_irrelevant_stop,
    knee_stop,
    random_sample_p,
    ranked_suffix_p,
    switch_point,
)

__all__ = [
    "SimulationConfig",
    "SimulationResult",
    "StopOutcome",
    "StoppingConfig",
    "config_from_dict",
    "evaluate_stopping",
    "simulate",
    "simulate_dataset",
]


@dataclass(frozen=True)
class StoppingConfig:
    """The recall target and confidence of the statistical rules, and the other rules' parameters.

    The buscar rules switch to random sampling after ``switch_share`` of the records (at least
    ``switch_minimum``) came irrelevant in a row; the heuristic stops after ``run_share`` (at least
    ``run_minimum``).
    """

    target: float = 0.95
    confidence: float = 0.95
    switch_share: float = 0.025
    switch_minimum: int = 50
    knee_min_screened: int = 150
    knee_ratio: float = 6.0
    run_share: float = 0.05
    run_minimum: int = 100


@dataclass(frozen=True)
class SimulationConfig:
    """Everything that decides a run besides the data and the seeds."""

    features: FeatureConfig = FeatureConfig()
    ranker: RankerConfig = SVMConfig()
    schedule: RetrainSchedule = RetrainSchedule()
    exploration: float = 0.0
    stopping: StoppingConfig = StoppingConfig()


@dataclass(frozen=True)
class StopOutcome:
    """Where a stopping rule stopped, the recall there, and the records screened beyond the ideal point."""

    rule: str
    screened: int
    recall: float
    reached_target: bool
    beyond_best: int
    assumes: str


@dataclass(frozen=True)
class SimulationResult:
    """A simulated run: the order's labels (priors first) and the metrics of BASELINE.md."""

    dataset: str
    records: int
    relevant: int
    prior_seed: int | None
    model_seed: int | None
    labels_in_order: np.ndarray = field(repr=False)
    stopping: tuple[StopOutcome, ...]
    seconds: float
    config: SimulationConfig

    def metrics(self) -> dict[str, float | int]:
        """The metrics, keyed as in the JSON output."""
        labels = self.labels_in_order
        return {
            "wss@95": wss(labels, 0.95),
            "recall@10%": recall_at(labels, 0.10),
            "screened_to_95%": screened_to(labels, 0.95),
            "screened_to_100%": screened_to(labels, 1.0),
            "loss": loss(labels),
        }

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: the metrics, per rule its stopping point, the seeds and the config."""
        return {
            "dataset": self.dataset,
            "records": self.records,
            "relevant": self.relevant,
            "prior_seed": self.prior_seed,
            "model_seed": self.model_seed,
            **self.metrics(),
            "stopping": {outcome.rule: asdict(outcome) for outcome in self.stopping},
            "seconds": round(self.seconds, 3),
            "config": asdict(self.config),
        }


def _draw_priors(labels: np.ndarray, included: int, excluded: int, rng: np.random.Generator) -> np.ndarray:
    relevant, irrelevant = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    if included > len(relevant) or excluded > len(irrelevant):
        raise ValidationError(
            f"asked for {included} relevant and {excluded} irrelevant priors; the data hold "
            f"{len(relevant)} and {len(irrelevant)}"
        )
    return np.concatenate(
        [
            rng.choice(relevant, size=included, replace=False),
            rng.choice(irrelevant, size=excluded, replace=False),
        ]
    )


def _generators(
    seed: int | None, prior_seed: int | None, model_seed: int | None
) -> tuple[np.random.Generator, np.random.Generator]:
    prior = np.random.default_rng(prior_seed if prior_seed is not None else [seed or 0, 0])
    model = np.random.default_rng(model_seed if model_seed is not None else [seed or 0, 1])
    return prior, model


def simulate_dataset(
    dataset: LabelledDataset,
    *,
    prior_included: int = 1,
    prior_excluded: int = 1,
    seed: int | None = 0,
    prior_seed: int | None = None,
    model_seed: int | None = None,
    priors: np.ndarray | None = None,
    config: SimulationConfig | None = None,
) -> SimulationResult:
    """Simulate prioritised screening of ``dataset`` and evaluate the stopping rules on it.

    ``priors`` (record indices) replaces the drawn prior records, e.g. to use another tool's draw.
    """
    config = config or SimulationConfig()
    start = time.perf_counter()
    prior_rng, rng = _generators(seed, prior_seed, model_seed)
    if priors is None:
        priors = _draw_priors(dataset.labels, prior_included, prior_excluded, prior_rng)
    features = extract_features(dataset.texts, config.features)
    relevant = int(dataset.labels.sum())
    query = MixedQuery(MixedQueryConfig(config.exploration)) if config.exploration > 0 else MaxQuery()
    order = prioritised_order(
        features,
        lambda indices: dataset.labels[indices],
        priors,
        ranker=make_ranker(config.ranker),
        rng=rng,
        query=query,
        schedule=config.schedule,
        until=lambda _screened, found: found >= relevant,
    )
    # after the last relevant record every order's labels are zeros: the curve is complete
    labels = np.zeros(len(dataset), dtype=np.int8)
    labels[: len(order)] = dataset.labels[order]
    stops = evaluate_stopping(labels, config.stopping, rng)
    return SimulationResult(
        dataset.name, len(dataset), relevant, prior_seed, model_seed, labels, stops,
        time.perf_counter() - start, config,
    )  # fmt: skip


def simulate(
    path: str | Path,
    *,
    label: str,
    prior_included: int = 1,
    prior_excluded: int = 1,
    seed: int | None = 0,
    prior_seed: int | None = None,
    model_seed: int | None = None,
    config: SimulationConfig | None = None,
) -> SimulationResult:
    """Read a labelled CSV and simulate prioritised screening on it (see :func:`simulate_dataset`)."""
    return simulate_dataset(
        load_labelled_csv(path, label=label),
        prior_included=prior_included,
        prior_excluded=prior_excluded,
        seed=seed,
        prior_seed=prior_seed,
        model_seed=model_seed,
        config=config,
    )


def _outcome(
    rule: str, screened: int | None, found: int, labels: np.ndarray, config: StoppingConfig
) -> StopOutcome:
    total = int(labels.sum())
    screened = len(labels) if screened is None else screened
    recall = found / total
    best = screened_to(labels, config.target)
    return StopOutcome(
        rule,
        screened,
        round(recall, 6),
        recall >= config.target - 1e-12,
        screened - best,
        RULES[rule].assumes,
    )


def _random_phase(labels: np.ndarray, switch: int, rng: np.random.Generator) -> np.ndarray:
    """The labels of a random order of the records unscreened at ``switch`` (only counts matter)."""
    left = int(labels[switch:].sum())
    tail = np.zeros(len(labels) - switch, dtype=np.int64)
    tail[:left] = 1
    return rng.permutation(tail)


def _first_ranked_suffix_stop(combined: np.ndarray, *, target: float, alpha: float) -> int:
    """Where the buscar-ranked rule stops on the screened sequence (prioritised, then random).

    Tested every 1% of the records (a later stop than testing after each one: conservative).
    """
    n = len(combined)
    for screened in range(max(1, n // 100), n + 1, max(1, n // 100)):
        if ranked_suffix_p(combined[:screened], n, target=target, starts=50) < alpha:
            return screened
    return n


def evaluate_stopping(
    labels: np.ndarray, config: StoppingConfig, rng: np.random.Generator
) -> tuple[StopOutcome, ...]:
    """Where each rule stops on the prioritised order ``labels`` (all records, priors first).

    At the switch point the buscar rules go on by random sampling of the remainder, as in Callaghan &
    Müller-Hansen (2020): buscar-random tests the random sample after each record drawn; buscar-ranked
    tests the whole sequence (prioritised part included) from the start. The other rules read the
    prioritised order.
    """
    n = len(labels)
    alpha = 1 - config.confidence
    switch = switch_point(labels, run=ceil_run(n, config.switch_share, config.switch_minimum))
    found_before = int(labels[:switch].sum())
    sample = _random_phase(labels, switch, rng)
    in_sample = np.cumsum(sample)
    sizes = np.arange(1, len(sample) + 1)
    p = random_sample_p(found_before, n - switch, in_sample, sizes, target=config.target)
    hits = np.flatnonzero(p < alpha)
    plain = switch + (int(hits[0]) + 1 if len(hits) else len(sample))
    combined = np.concatenate([labels[:switch], sample])
    ranked = _first_ranked_suffix_stop(combined, target=config.target, alpha=alpha)
    knee = knee_stop(labels, min_screened=config.knee_min_screened, ratio=config.knee_ratio)
    run = consecutive_irrelevant_stop(labels, run=ceil_run(n, config.run_share, config.run_minimum))
    return (
        _outcome("buscar-random", plain, int(combined[:plain].sum()), labels, config),
        _outcome("buscar-ranked", ranked, int(combined[:ranked].sum()), labels, config),
        _outcome("knee", knee, int(labels[: knee or n].sum()), labels, config),
        _outcome("irrelevant-run", run, int(labels[: run or n].sum()), labels, config),
    )


def config_from_dict(values: dict[str, Any]) -> SimulationConfig:
    """A :class:`SimulationConfig` from plain values (JSON); ``ranker`` takes ``kind`` svm|logistic|ensemble.

    >>> config_from_dict({"ranker": {"kind": "logistic", "c": 2.0}, "schedule": {"growth": 0.1}}).ranker
    LogisticConfig(c=2.0, balance=1.0)
    """
    values = dict(values)
    ranker = dict(values.pop("ranker", {"kind": "svm"}))
    kind = ranker.pop("kind", "svm")
    if kind == "ensemble":
        ranker_config: RankerConfig = EnsembleConfig(
            SVMConfig(**ranker.get("svm", {})), LogisticConfig(**ranker.get("logistic", {}))
        )
    else:
        ranker_config = SVMConfig(**ranker) if kind == "svm" else LogisticConfig(**ranker)
    features = dict(values.pop("features", {}))
    for key in ("word_ngrams", "char_ngrams"):
        if features.get(key) is not None:
            features[key] = tuple(features[key])
    return SimulationConfig(
        features=FeatureConfig(**features),
        ranker=ranker_config,
        schedule=RetrainSchedule(**values.pop("schedule", {})),
        stopping=StoppingConfig(**values.pop("stopping", {})),
        **values,
    )
