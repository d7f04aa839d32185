from __future__ import annotations

from realreview.characteristics import (
    FieldAgreement,
    FieldDifference,
    Value,
    agreement_summary,
    compare_extractions,
    default_equity_form,
    is_same_value,
)

FORM = default_equity_form()


def test_differences_in_form_order_with_sets_for_multi_values() -> None:
    first: dict[str, Value] = {
        "country": ("United Kingdom", "France"),
        "care_setting": ("primary",),
        "year": 2019,
        "study_design": "RCT",
        "progress_plus": (),
        "intervention_type": "gap",
        "retired_field": "ignored",
    }
    second: dict[str, Value] = {
        "country": ("France", "United Kingdom"),
        "care_setting": ("primary", "community"),
        "year": 2020,
        "study_design": "RCT",
        "effect_on_inequalities": "reduced",
        "intervention_type": "gap",
    }
    assert compare_extractions(FORM, first, second) == (
        FieldDifference("care_setting", "Care setting", ("primary",), ("primary", "community")),
        FieldDifference("year", "Year", 2019, 2020),
        FieldDifference("effect_on_inequalities", "Reported effect on inequalities", None, "reduced"),
    )


def test_identical_and_empty_extractions_have_no_differences() -> None:
    values: dict[str, Value] = {"country": ("Kenya",), "clinical_topic": "malaria", "year": 2001}
    assert compare_extractions(FORM, values, dict(values)) == ()
    assert compare_extractions(FORM, {}, {"progress_plus": (), "year": None}) == ()


def test_text_differences_are_exact() -> None:
    assert compare_extractions(FORM, {"clinical_topic": "Malaria"}, {"clinical_topic": "malaria"}) == (
        FieldDifference("clinical_topic", "Clinical topic", "Malaria", "malaria"),
    )


def test_is_same_value() -> None:
    assert is_same_value(("a", "b"), ("b", "a"))
    assert is_same_value(None, [])
    assert not is_same_value(("a",), "a")
    assert not is_same_value(2019, "2019")


def test_agreement_summary_counts_per_field() -> None:
    pairs: list[tuple[dict[str, Value], dict[str, Value]]] = [
        ({"year": 2019, "country": ("Kenya",)}, {"year": 2019, "country": ("Kenya",)}),
        ({"year": 2019, "country": ("Kenya", "Uganda")}, {"year": 2018, "country": ("Uganda", "Kenya")}),
        ({"year": 2001}, {"country": ("Peru",)}),
        ({}, {}),
    ]
    summary = {a.key: a for a in agreement_summary(FORM, pairs)}
    assert list(summary) == [f.key for f in FORM.fields]
    assert summary["year"] == FieldAgreement("year", "Year", compared=2, agreed=1, one_blank=1)
    assert summary["country"] == FieldAgreement("country", "Country", compared=2, agreed=2, one_blank=1)
    assert summary["year"].proportion == 0.5
    assert summary["country"].proportion == 1.0
    assert summary["study_design"].proportion is None
