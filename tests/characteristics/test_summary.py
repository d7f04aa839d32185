from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from realreview.characteristics import (
    ExtractionForm,
    FieldKind,
    FieldSummary,
    FormField,
    StudyRow,
    bar_chart_svg,
    default_equity_form,
    summarise,
    summary_csv,
)
from realreview.errors import ValidationError

FORM = ExtractionForm(
    (
        *default_equity_form().fields,
        FormField("n", "Sample size", FieldKind.NUMBER),
    )
)
ROWS = [
    StudyRow(
        1,
        "Smith 2019",
        {
            "country": ("United Kingdom", "France"),
            "care_setting": ("primary", "community"),
            "year": 2019,
            "clinical_topic": "diabetes",
            "study_design": "RCT",
            "effect_on_inequalities": "reduced",
            "n": 120,
        },
    ),
    StudyRow(
        2,
        "Jones 2021",
        {
            "country": ("United Kingdom",),
            "care_setting": ("primary",),
            "year": 2021,
            "clinical_topic": "asthma",
            "study_design": "cohort",
            "effect_on_inequalities": "reduced",
            "n": 2.5,
        },
    ),
    StudyRow(
        3,
        "Lee 2019",
        {
            "country": ("South Korea",),
            "year": 2019,
            "clinical_topic": "diabetes",
            "study_design": "case study",  # no longer a choice on the form: still counted
            "effect_on_inequalities": "mixed",
            "n": 40,
        },
    ),
    StudyRow(4, "Ngata 2005", {"country": ("France",), "year": 2005, "care_setting": ()}),
    StudyRow(5, "Anon n.d.", {}),
]


def test_summary_counts_and_orders() -> None:
    by_key = {s.key: s for s in summarise(FORM, ROWS)}
    assert list(by_key) == [f.key for f in FORM.fields]
    assert by_key["country"] == FieldSummary(
        "country", "Country", (("France", 2), ("United Kingdom", 2), ("South Korea", 1)), studies=4, missing=1
    )
    assert by_key["care_setting"] == FieldSummary(
        "care_setting",
        "Care setting",
        (("primary", 2), ("secondary", 0), ("tertiary", 0), ("community", 1)),
        studies=2,
        missing=3,
    )
    assert by_key["year"].counts == (("2005", 1), ("2019", 2), ("2021", 1))
    assert (by_key["year"].studies, by_key["year"].missing) == (4, 1)
    assert by_key["clinical_topic"].counts == (("diabetes", 2), ("asthma", 1))
    assert by_key["study_design"].counts[:2] == (("RCT", 1), ("non-randomised controlled", 0))
    assert by_key["study_design"].counts[4] == ("cohort", 1)
    assert by_key["study_design"].counts[-1] == ("case study", 1)
    assert len(by_key["study_design"].counts) == 12
    assert by_key["effect_on_inequalities"].counts == (
        ("reduced", 2),
        ("no change", 0),
        ("increased", 0),
        ("mixed", 1),
        ("not reported", 0),
    )
    assert by_key["progress_plus"].studies == 0
    assert by_key["progress_plus"].missing == 5
    assert sum(count for _, count in by_key["progress_plus"].counts) == 0
    assert by_key["n"].counts == (("2.5", 1), ("40", 1), ("120", 1))


def test_summary_of_chosen_keys_and_an_unknown_key() -> None:
    assert [s.key for s in summarise(FORM, ROWS, keys=["year", "country"])] == ["year", "country"]
    assert summarise(FORM, [], keys=["year"]) == (FieldSummary("year", "Year", (), 0, 0),)
    with pytest.raises(ValidationError, match="no field 'sample' on the form"):
        summarise(FORM, ROWS, keys=["sample"])


def test_summary_csv_golden() -> None:
    summaries = summarise(FORM, ROWS, keys=["country", "care_setting", "year"])
    assert summary_csv(summaries) == (
        "field,value,studies\n"
        "Country,France,2\n"
        "Country,United Kingdom,2\n"
        "Country,South Korea,1\n"
        "Care setting,primary,2\n"
        "Care setting,secondary,0\n"
        "Care setting,tertiary,0\n"
        "Care setting,community,1\n"
        "Year,2005,1\n"
        "Year,2019,2\n"
        "Year,2021,1\n"
    )


def test_summary_csv_quotes_and_defuses_formulas() -> None:
    summary = FieldSummary("t", "Topic", (("=HYPERLINK(1)", 1), ("a, b", 2), ("-3", 1), ("@x", 1)), 5, 0)
    assert summary_csv([summary]) == (
        "field,value,studies\nTopic,'=HYPERLINK(1),1\nTopic,\"a, b\",2\nTopic,-3,1\nTopic,'@x,1\n"
    )


def test_bar_chart_has_one_bar_per_value_and_escapes_labels() -> None:
    summary = FieldSummary(
        "design", "Design <script>", (("<RCT & co>", 3), ("cohort", 1), ("other", 0)), studies=4, missing=0
    )
    svg = bar_chart_svg(summary)
    root = ET.fromstring(svg)  # well-formed XML
    bars = list(root.iter("{http://www.w3.org/2000/svg}rect"))
    assert len(bars) == 3
    assert [int(b.get("width", "-1")) for b in bars] == [232, 77, 0]  # at most 480 - 192 - 16 - 40 = 232
    assert svg.count("<rect") == 3
    assert "<script" not in svg and "<RCT" not in svg
    assert "&lt;RCT &amp; co&gt;" in svg and "Design &lt;script&gt;" in svg
    assert root.get("width") == "480" and root.get("height") == str(30 + 3 * 22 + 8)
    assert not re.search(r"href|javascript|on\w+=", svg)


def test_bar_chart_shortens_long_labels_keeps_them_in_the_tooltip_and_draws_empty_fields() -> None:
    long = "Plus: other personal characteristics associated with discrimination"
    svg = bar_chart_svg(FieldSummary("g", "Groups", ((long, 2),), 2, 0), width=300)
    assert f"<title>{long}: 2</title>" in svg
    assert ">Plus: other pers…</text>" in svg
    empty = bar_chart_svg(FieldSummary("g", "Groups", (), 0, 3))
    assert "<rect" not in empty and "No values recorded" in empty
    with pytest.raises(ValidationError, match="chart width 100 is too small"):
        bar_chart_svg(FieldSummary("g", "Groups", (), 0, 3), width=100)


def test_summary_csv_defuses_formula_like_values_unless_raw() -> None:
    summary = FieldSummary("setting", "Setting", (('=HYPERLINK("x")', 1), ("-3", 2)), 3, 0)
    assert summary_csv([summary]).splitlines()[1:] == ['Setting,"\'=HYPERLINK(""x"")",1', "Setting,-3,2"]
    assert summary_csv([summary], raw=True).splitlines()[1] == 'Setting,"=HYPERLINK(""x"")",1'
