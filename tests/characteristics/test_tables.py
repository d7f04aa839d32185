"""Characteristics tables for the paper: chosen columns, split by a field (gap / targeted)."""

from __future__ import annotations

import pytest

from realreview.characteristics import StudyRow, characteristics_tables, default_equity_form
from realreview.errors import ValidationError

FORM = default_equity_form()
ROWS = [
    StudyRow(1, "Smith 2020", {"intervention_type": "gap", "country": ("United Kingdom",), "year": 2020}),
    StudyRow(
        2, "Jones 2021", {"intervention_type": "targeted", "country": ("Ireland", "Sweden"), "year": 2021}
    ),
    StudyRow(3, "Lee 2019", {"intervention_type": "gap", "year": 2019}),
    StudyRow(4, "Khan 2022", {"year": 2022}),
]


def test_split_by_a_choice_field_in_its_choice_order_blank_last() -> None:
    parts = characteristics_tables(FORM, ROWS, columns=["year", "country"], split_by="intervention_type")
    headings = [heading for heading, _ in parts]
    label = FORM.field("intervention_type").label
    assert headings == [f"{label}: gap", f"{label}: targeted", f"{label}: not recorded"]
    gap = parts[0][1]
    assert gap.header == ("study", FORM.field("year").label, FORM.field("country").label)
    assert list(gap.rows) == [("Smith 2020", "2020", "United Kingdom"), ("Lee 2019", "2019", "")]
    assert list(parts[1][1].rows) == [("Jones 2021", "2021", "Ireland; Sweden")]
    assert [row[0] for row in parts[2][1].rows] == ["Khan 2022"]


def test_a_study_with_several_values_is_under_each() -> None:
    rows = [StudyRow(1, "Both 2020", {"care_setting": ("primary", "community")})]
    parts = characteristics_tables(FORM, rows, columns=["year"], split_by="care_setting")
    assert [heading.split(": ")[1] for heading, _ in parts] == ["primary", "community"]


def test_an_unknown_column_names_the_fields() -> None:
    with pytest.raises(ValidationError, match="no field 'colour' on the form"):
        characteristics_tables(FORM, ROWS, columns=["colour"])
