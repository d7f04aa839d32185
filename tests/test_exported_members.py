"""The public API is exactly ``__all__``, and each name is RealReview's own (like httpx's test)."""

import types

import realreview


def test_public_api_is_exactly_all() -> None:
    public = sorted(
        name
        for name, value in vars(realreview).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    )
    assert sorted(realreview.__all__) == public


def test_every_exported_member_is_defined_in_realreview() -> None:
    for name in realreview.__all__:
        module = getattr(realreview, name).__module__
        assert module == "realreview" or module.startswith("realreview."), f"{name} comes from {module}"
