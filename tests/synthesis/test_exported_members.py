"""The package's public API is what ``__all__`` says, and every name in it resolves."""

from __future__ import annotations

import importlib

import realreview.synthesis as synthesis


def test_all_names_resolve_and_are_sorted_uniquely() -> None:
    names = synthesis.__all__
    assert len(set(names)) == len(names)
    for name in names:
        assert getattr(synthesis, name) is not None


def test_every_public_name_of_the_submodules_is_exported() -> None:
    modules = [
        "clusters",
        "cmoc",
        "deductive",
        "diff",
        "evidence",
        "history",
        "matrix",
        "relations",
        "theory",
    ]
    missing = []
    for module in modules:
        for name in importlib.import_module(f"realreview.synthesis.{module}").__all__:
            if name not in synthesis.__all__ and name != "JUDGEMENTS":
                missing.append(f"{module}.{name}")
    assert missing == []
