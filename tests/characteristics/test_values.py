from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realreview.characteristics import (
    FieldKind,
    FormField,
    Value,
    default_equity_form,
    format_value,
    parse_value,
)
from realreview.errors import ValidationError

FORM = default_equity_form()
TEXT = FormField("topic", "Topic", FieldKind.TEXT)
NUMBER = FormField("n", "Sample size", FieldKind.NUMBER)
YEAR = FORM.field("year")
COUNTRY = FORM.field("country")
DESIGN = FORM.field("study_design")
SETTING = FORM.field("care_setting")
GROUPS = FORM.field("progress_plus")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  diabetes care ", "diabetes care"),
        ("line one\r\nline two\rthree", "line one\nline two\nthree"),
        ("bell\x07 and\x00 nul", "bell and nul"),
        ("tab\tkept", "tab\tkept"),
        (12, "12"),
        (2.5, "2.5"),
        (2019.0, "2019"),
        (True, "true"),
        (dt.datetime(2020, 3, 1), "2020-03-01"),
        (dt.datetime(2020, 3, 1, 14, 30), "2020-03-01 14:30:00"),
        (dt.date(2021, 1, 2), "2021-01-02"),
        ("", None),
        ("   \n ", None),
        (None, None),
    ],
)
def test_text(raw: object, expected: Value) -> None:
    assert parse_value(TEXT, raw) == expected


def test_text_longer_than_a_cell_is_refused() -> None:
    assert parse_value(TEXT, "x" * 32767) == "x" * 32767
    with pytest.raises(ValidationError, match=r"^Topic: text longer than 32,767 characters"):
        parse_value(TEXT, "x" * 32768)


def test_text_of_an_unreadable_type() -> None:
    with pytest.raises(ValidationError, match=r"^Topic: a value of type dict cannot be read$"):
        parse_value(TEXT, {"a": 1})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("120", 120),
        (" -3 ", -3),
        ("+7", 7),
        ("2.50", 2.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("1.5E-2", 0.015),
        (42, 42),
        (0.25, 0.25),
        (2**53, 2**53),
        (2**53 + 2, float(2**53 + 2)),
        (str(-(2**60)), -float(2**60)),
        ("", None),
        (None, None),
    ],
)
def test_number(raw: object, expected: Value) -> None:
    value = parse_value(NUMBER, raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12x", "Sample size: '12x' is not a number"),
        ("2,5", "Sample size: '2,5' is not a number"),
        ("1e999", "Sample size: '1e999' is not a finite number"),
        (float("nan"), "Sample size: 'nan' is not a finite number"),
        (True, "Sample size: 'True' is not a number"),
        (10**400, f"Sample size: '{str(10**400)[:79]}…' is too large a number (the limit is 1e300)"),
        ("-2e300", "Sample size: '-2e300' is too large a number (the limit is 1e300)"),
    ],
)
def test_number_errors(raw: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_value(NUMBER, raw)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019", 2019),
        (" 2019 ", 2019),
        ("2019.0", 2019),
        (2019, 2019),
        (2019.0, 2019),
        (dt.datetime(2020, 5, 1), 2020),
        (dt.date(1800, 1, 1), 1800),
        ("2100", 2100),
        ("", None),
        (None, None),
    ],
)
def test_year(raw: object, expected: Value) -> None:
    assert parse_value(YEAR, raw) == expected


@pytest.mark.parametrize("raw", ["19x", "1799", "2101", "20190", "'19", 2019.5, 1799, True, "19"])
def test_year_errors(raw: object) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_value(YEAR, raw)
    assert str(caught.value) == f"Year: '{raw}' is not a year (1800-2100)"


def test_choice_is_matched_without_case_and_returned_canonical() -> None:
    assert parse_value(DESIGN, "rct") == "RCT"
    assert parse_value(DESIGN, "  Mixed   METHODS ") == "mixed methods"
    assert parse_value(DESIGN, "") is None


def test_choice_error_lists_the_choices() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_value(DESIGN, "RTC")
    assert str(caught.value) == (
        "Study design: 'RTC' is not one of: RCT, non-randomised controlled, controlled before-after, "
        "interrupted time series, cohort, case-control, cross-sectional, qualitative, mixed methods, "
        "process evaluation, other"
    )


def test_choice_takes_one_value() -> None:
    with pytest.raises(ValidationError, match=r"^Study design: takes one value, not a list$"):
        parse_value(DESIGN, ["RCT"])
    with pytest.raises(ValidationError, match=r"^Study design: 'RCT; cohort' is not one of"):
        parse_value(DESIGN, "RCT; cohort")


def test_choice_from_a_boolean_case_value() -> None:
    field = FormField("flag", "Flag", FieldKind.CHOICE, ("true", "false"))
    assert parse_value(field, True) == "true"
    assert parse_value(field, False) == "false"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("primary, community", ("primary", "community")),
        ("community; primary", ("primary", "community")),
        ("Community\nPRIMARY; primary", ("primary", "community")),
        (["tertiary", "primary"], ("primary", "tertiary")),
        (("secondary",), ("secondary",)),
        ("primary;; ,", ("primary",)),
        ("", None),
        ([], None),
        (None, None),
    ],
)
def test_multi_choice(raw: object, expected: Value) -> None:
    assert parse_value(SETTING, raw) == expected


def test_multi_choice_keeps_choices_that_contain_commas() -> None:
    assert parse_value(GROUPS, "Gender, sex, Education; plus: age") == (
        "Gender, sex",
        "Education",
        "Plus: age",
    )
    assert parse_value(GROUPS, "Race,ethnicity,culture,language") == ("Race, ethnicity, culture, language",)


def test_multi_choice_error_names_the_part() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_value(SETTING, "primary; hospital")
    assert (
        str(caught.value) == "Care setting: 'hospital' is not one of: primary, secondary, tertiary, community"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("UK; France", ("United Kingdom", "France")),
        ("UK, France", ("United Kingdom", "France")),
        ("Korea, Republic of", ("South Korea",)),
        ("Korea, Republic of, Japan", ("South Korea", "Japan")),
        ("England; Scotland; wales", ("United Kingdom",)),
        (["USA", "Canada"], ("United States", "Canada")),
        ("", None),
        (None, None),
    ],
)
def test_country(raw: object, expected: Value) -> None:
    assert parse_value(COUNTRY, raw) == expected


def test_country_error() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_value(COUNTRY, "France; Atlantis")
    assert str(caught.value) == "Country: 'Atlantis' is not a country (an ISO 3166-1 name or a common alias)"


def test_long_raw_values_are_shortened_in_messages() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_value(DESIGN, "z" * 200)
    assert str(caught.value).startswith("Study design: '" + "z" * 79 + "…' is not one of")


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        (COUNTRY, ("United Kingdom", "France"), "United Kingdom; France"),
        (SETTING, ("primary",), "primary"),
        (YEAR, 2019, "2019"),
        (NUMBER, 2.0, "2.0"),
        (NUMBER, 1e-05, "1e-05"),
        (DESIGN, "RCT", "RCT"),
        (TEXT, None, ""),
        (SETTING, (), ""),
    ],
)
def test_format_value(field: FormField, value: Value, text: str) -> None:
    assert format_value(field, value) == text


# --- round trips: parse_value reads back whatever format_value writes ---------------------------------

_one_line = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20)
_choice = _one_line.map(str.strip).filter(lambda c: c and ";" not in c and c.isprintable())


def _form_field(kind: FieldKind, choices: list[str]) -> FormField | None:
    try:
        return FormField("f", "F", kind, tuple(choices))
    except ValidationError:  # repeated choices (by case or spacing): not a valid form
        return None


@given(st.lists(_choice, min_size=1, max_size=8), st.data())
def test_choice_round_trip(choices: list[str], data: st.DataObject) -> None:
    field = _form_field(FieldKind.CHOICE, choices)
    if field is None:
        return
    value = data.draw(st.sampled_from(field.choices))
    assert parse_value(field, format_value(field, value)) == value


@given(st.lists(_choice, min_size=1, max_size=8), st.data())
def test_multi_choice_round_trip(choices: list[str], data: st.DataObject) -> None:
    field = _form_field(FieldKind.MULTI_CHOICE, choices)
    if field is None:
        return
    picked = data.draw(st.sets(st.sampled_from(field.choices), min_size=1))
    value = tuple(c for c in field.choices if c in picked)  # canonical: the form's order
    assert parse_value(field, format_value(field, value)) == value


@given(st.integers(min_value=1800, max_value=2100))
def test_year_round_trip(year: int) -> None:
    assert parse_value(YEAR, format_value(YEAR, year)) == year
    assert parse_value(YEAR, float(year)) == year


@given(st.integers().filter(lambda n: not 1800 <= n <= 2100))
def test_years_out_of_range_are_refused(year: int) -> None:
    with pytest.raises(ValidationError, match="is not a year"):
        parse_value(YEAR, str(year))


@given(st.integers(min_value=-(2**53), max_value=2**53) | st.floats(-1e300, 1e300))
def test_number_round_trip(number: int | float) -> None:
    value = parse_value(NUMBER, format_value(NUMBER, number))
    assert value == number
    assert type(value) is type(number)


@given(st.text(max_size=40))
def test_text_round_trip(raw: str) -> None:
    value = parse_value(TEXT, raw)
    assert parse_value(TEXT, format_value(TEXT, value)) == value


@given(st.lists(st.sampled_from(["UK", "France", "Korea, Republic of", "usa", "Côte d'Ivoire"]), max_size=4))
def test_country_round_trip(raws: list[str]) -> None:
    value = parse_value(COUNTRY, "; ".join(raws))
    assert parse_value(COUNTRY, format_value(COUNTRY, value)) == value
