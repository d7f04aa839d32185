"""Prioritised screening: rank unscreened records by likely relevance, simulate it, and decide when to stop.

``features`` turns records into TF-IDF vectors, ``rankers`` score them, ``query`` picks the next records,
``cycle`` retrains as labels arrive, ``stopping`` holds the stopping rules (each with what it assumes),
``metrics`` the simulation metrics (asreview-insights definitions) and ``simulation`` replays a review
whose labels are known. Domain code: numpy, scipy and scikit-learn, no storage.
"""

from realreview.prioritise.dataset import LabelledDataset, ScreeningText, load_labelled_csv
from realreview.prioritise.simulation import SimulationConfig, SimulationResult, simulate, simulate_dataset

__all__ = [
    "LabelledDataset",
    "ScreeningText",
    "SimulationConfig",
    "SimulationResult",
    "load_labelled_csv",
    "simulate",
    "simulate_dataset",
]
