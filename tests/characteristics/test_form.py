from __future__ import annotations

import json
from typing import Any

import pytest

import realreview.characteristics as characteristics
from realreview.characteristics import ExtractionForm, FieldKind, FormField, default_equity_form
from realreview.errors import ValidationError
from realreview.screening import EQUITY_APPROACHES, PROGRESS_PLUS

SERVICE_NAMES = {
    "ExtractionForm", "FormField", "FieldKind", "Value", "parse_value", "format_value", "default_equity_form",
    "normalise_country", "FieldDifference", "compare_extractions", "StudyRow", "Change", "Rejection",
    "SheetImport", "write_sheet", "read_sheet", "FieldSummary", "summarise", "summary_csv", "bar_chart_svg",
}  # fmt: skip


def test_package_exports_what_the_services_import() -> None:
    assert SERVICE_NAMES <= set(characteristics.__all__)
    for name in characteristics.__all__:
        assert getattr(characteristics, name) is not None


def test_default_form_keys_kinds_and_choices() -> None:
    form = default_equity_form()
    assert [(f.key, f.kind) for f in form.fields] == [
        ("country", FieldKind.COUNTRY),
        ("care_setting", FieldKind.MULTI_CHOICE),
        ("year", FieldKind.YEAR),
        ("clinical_topic", FieldKind.TEXT),
        ("study_design", FieldKind.CHOICE),
        ("progress_plus", FieldKind.MULTI_CHOICE),
        ("intervention_type", FieldKind.CHOICE),
        ("effect_on_inequalities", FieldKind.CHOICE),
    ]
    assert form.field("care_setting").choices == ("primary", "secondary", "tertiary", "community")
    assert form.field("study_design").choices == (
        "RCT",
        "non-randomised controlled",
        "controlled before-after",
        "interrupted time series",
        "cohort",
        "case-control",
        "cross-sectional",
        "qualitative",
        "mixed methods",
        "process evaluation",
        "other",
    )
    assert form.field("progress_plus").choices == PROGRESS_PLUS
    assert form.field("intervention_type").choices == EQUITY_APPROACHES
    assert form.field("effect_on_inequalities").choices == (
        "reduced",
        "no change",
        "increased",
        "mixed",
        "not reported",
    )
    assert [f.kind.is_multi for f in form.fields] == [True, True, False, False, False, True, False, False]


def test_json_round_trip_through_text() -> None:
    form = ExtractionForm(
        (
            *default_equity_form().fields,
            FormField("n", "Sample size", FieldKind.NUMBER, help="Participants analysed", required=True),
        )
    )
    data = json.loads(json.dumps(form.to_json()))
    assert ExtractionForm.from_json(data) == form
    assert data[-1] == {
        "key": "n",
        "label": "Sample size",
        "kind": "number",
        "choices": [],
        "help": "Participants analysed",
        "required": True,
    }


def test_from_json_fills_the_optional_properties() -> None:
    form = ExtractionForm.from_json([{"key": "topic", "label": "Topic", "kind": "text"}])
    assert form.fields == (FormField("topic", "Topic", FieldKind.TEXT, (), None, False),)


def _field(**changes: object) -> dict[str, object]:
    return {"key": "design", "label": "Design", "kind": "choice", "choices": ["RCT", "cohort"]} | changes


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fields": []}, "form: expected a list of fields, not dict"),
        ([_field(), "year"], "form field 2: expected an object, not str"),
        (
            [_field(), _field(label="Other design")],
            "form field 2 ('design'): duplicate key; field 1 has it",
        ),
        (
            [_field(), _field(key="design2", label="DESIGN")],
            "form field 2 ('design2'): label 'DESIGN' repeats field 1",
        ),
        (
            [_field(kind="date")],
            "form field 1 ('design'): unknown kind 'date' "
            "(expected one of: text, number, year, country, choice, multi_choice)",
        ),
        ([_field(choices=[])], "form field 1 ('design'): a choice field needs at least one choice"),
        (
            [_field(kind="multi_choice", choices=None)],
            "form field 1 ('design'): a choice field needs at least one choice",
        ),
        (
            [_field(kind="year")],
            "form field 1 ('design'): only choice fields take choices (this one is year)",
        ),
        (
            [_field(key="Study Design")],
            "form field 1 ('Study Design'): key 'Study Design' must be 1-64 characters from a-z, 0-9 and _",
        ),
        ([_field(key="")], "form field 1 (''): key '' must be 1-64 characters from a-z, 0-9 and _"),
        ([_field(key=3)], "form field 1: key 3 must be 1-64 characters from a-z, 0-9 and _"),
        (
            [_field(key="record_id")],
            "form field 1 ('record_id'): key 'record_id' is reserved for the spreadsheet's own columns",
        ),
        (
            [_field(label="Study")],
            "form field 1 ('design'): label 'Study' is reserved for the spreadsheet's own columns",
        ),
        (
            [_field(label=" ")],
            "form field 1 ('design'): label ' ' must be non-empty one-line text of at most 100 characters",
        ),
        (
            [_field(label="two\nlines")],
            "form field 1 ('design'): label 'two\\nlines' must be non-empty one-line text of at most 100 characters",
        ),
        ([_field(choices=["RCT", "rct"])], "form field 1 ('design'): choice 'rct' repeats 'RCT'"),
        (
            [_field(choices=["a;b"])],
            "form field 1 ('design'): choice 'a;b' contains ';', which separates several values",
        ),
        (
            [_field(choices=["ok", ""])],
            "form field 1 ('design'): choice '' must be non-empty one-line text of at most 255 characters",
        ),
        (
            [_field(choices=["0,"])],
            "form field 1 ('design'): choice '0,' begins or ends with a comma, which also separates values",
        ),
        ([_field(choices="RCT")], "form field 1 ('design'): choices must be a list"),
        ([_field(help=3)], "form field 1 ('design'): help must be text, not int"),
        ([_field(required="yes")], "form field 1 ('design'): required must be true or false, not 'yes'"),
        ([_field(choises=["x"])], "form field 1 ('design'): unknown properties choises"),
        ([{"key": "x", "kind": "text"}], "form field 1 ('x'): missing label"),
    ],
)
def test_from_json_errors_name_the_field_and_the_problem(data: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ExtractionForm.from_json(data)
    assert str(caught.value) == message


def test_a_field_built_in_code_is_checked_too() -> None:
    with pytest.raises(ValidationError, match=r"^field 'x': a choice field needs at least one choice$"):
        FormField("x", "X", FieldKind.CHOICE)
    as_stored: Any = ("date", "choice", ["a"])  # what a JSON column holds, not what the types promise
    with pytest.raises(ValidationError, match=r"^field 'x': unknown kind 'date'$"):
        FormField("x", "X", as_stored[0])
    assert FormField("x", "X", as_stored[1], as_stored[2]) == FormField("x", "X", FieldKind.CHOICE, ("a",))


def test_unknown_field_is_a_validation_error_naming_the_known_keys() -> None:
    form = ExtractionForm((FormField("a", "A", FieldKind.TEXT), FormField("b", "B", FieldKind.YEAR)))
    with pytest.raises(ValidationError) as caught:
        form.field("c")
    assert str(caught.value) == "no field 'c' on the form (its fields: a, b)"
    with pytest.raises(ValidationError, match=r"\(its fields: none\)"):
        ExtractionForm(()).field("c")
