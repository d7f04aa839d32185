"""The extraction form: which characteristics a review records for each included study.

A form is a tuple of fields, each with a stable ``key`` (the column the spreadsheet and the database
use, so that renaming a label never loses values), a ``label`` people read, and a kind that decides
how a typed value is read (:func:`parse_value`) and written back (:func:`format_value`). The form is
stored as JSON (:meth:`ExtractionForm.to_json`), so :meth:`ExtractionForm.from_json` checks
everything a hand-edited file could get wrong and names the field at fault.

The default form (:func:`default_equity_form`) is the one an equity-focused realist review extracts
(Johnson et al., BMJ Qual Saf 2025): country, care setting, year, clinical topic, study design,
PROGRESS-Plus groups, gap versus targeted intervention, and the reported effect on inequalities.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from realreview.characteristics.values import (
    Value,
    choice_key,
    parse_choice,
    parse_choices,
    parse_countries,
    parse_number,
    parse_text,
    parse_year,
)
from realreview.errors import ValidationError
from realreview.screening.vocabularies import EQUITY_APPROACHES, PROGRESS_PLUS

__all__ = [
    "RESERVED_KEYS",
    "ExtractionForm",
    "FieldKind",
    "FormField",
    "default_equity_form",
    "format_value",
    "parse_value",
]

RESERVED_KEYS = frozenset({"record_id", "study"})  # the spreadsheet's own first two columns
_KEY = re.compile(r"[a-z0-9_]{1,64}")
_JSON_PROPERTIES = ("key", "label", "kind", "choices", "help", "required")


class FieldKind(StrEnum):
    """How a field's value is typed, checked and counted."""

    TEXT = "text"
    NUMBER = "number"
    YEAR = "year"
    COUNTRY = "country"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"

    @property
    def is_multi(self) -> bool:
        """Whether a value is a tuple of several values (a study may span countries or settings)."""
        return self in (FieldKind.COUNTRY, FieldKind.MULTI_CHOICE)

    @property
    def has_choices(self) -> bool:
        """Whether the field's values come from its own list of choices."""
        return self in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE)


def _one_line(text: str) -> bool:
    return text == text.strip() and text.isprintable()


def _choices_problem(kind: FieldKind, choices: tuple[object, ...]) -> str | None:
    if kind.has_choices and not choices:
        return "a choice field needs at least one choice"
    if not kind.has_choices and choices:
        return f"only choice fields take choices (this one is {kind.value})"
    seen: dict[str, object] = {}
    for choice in choices:
        if not isinstance(choice, str) or not choice or not _one_line(choice) or len(choice) > 255:
            return f"choice {choice!r} must be non-empty one-line text of at most 255 characters"
        if ";" in choice:
            return f"choice {choice!r} contains ';', which separates several values"
        if choice.startswith(",") or choice.endswith(","):
            return f"choice {choice!r} begins or ends with a comma, which also separates values"
        if choice_key(choice) in seen:
            return f"choice {choice!r} repeats {seen[choice_key(choice)]!r}"
        seen[choice_key(choice)] = choice
    return None


def _field_problem(
    key: object, label: object, kind: FieldKind, choices: tuple[object, ...], help: object, required: object
) -> str | None:
    """What is wrong with a field's parts, or None; shared by the constructor and :meth:`from_json`."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        return f"key {key!r} must be 1-64 characters from a-z, 0-9 and _"
    if key in RESERVED_KEYS:
        return f"key {key!r} is reserved for the spreadsheet's own columns"
    if not isinstance(label, str) or not label or not _one_line(label) or len(label) > 100:
        return f"label {label!r} must be non-empty one-line text of at most 100 characters"
    if choice_key(label) in RESERVED_KEYS:
        return f"label {label!r} is reserved for the spreadsheet's own columns"
    if help is not None and not isinstance(help, str):
        return f"help must be text, not {type(help).__name__}"
    if not isinstance(required, bool):
        return f"required must be true or false, not {required!r}"
    return _choices_problem(kind, choices)


@dataclass(frozen=True, slots=True)
class FormField:
    """One characteristic on the form.

    Attributes:
        key: the stable identifier (``[a-z0-9_]+``) that stored values and sheet columns use.
        label: what people read; it may change without losing values.
        kind: how values are read and counted.
        choices: the allowed values of a choice field, in the order summaries list them.
        help: a hint shown beside the field and as the sheet column's input message.
        required: whether a complete extraction must fill it; a blank still parses (as None),
            because a blank means "not extracted yet", which is what completeness checks count.
    """

    key: str
    label: str
    kind: FieldKind
    choices: tuple[str, ...] = ()
    help: str | None = None
    required: bool = False

    def __post_init__(self) -> None:
        if self.kind not in {k.value for k in FieldKind}:
            raise ValidationError(f"field {self.key!r}: unknown kind {self.kind!r}")
        object.__setattr__(self, "kind", FieldKind(self.kind))
        object.__setattr__(self, "choices", tuple(self.choices))
        problem = _field_problem(self.key, self.label, self.kind, self.choices, self.help, self.required)
        if problem is not None:
            raise ValidationError(f"field {self.key!r}: {problem}")


def _field_from_json(number: int, item: object) -> FormField:
    """One field of a stored form; ``number`` (from 1) is how the error names it."""
    if not isinstance(item, Mapping):
        raise ValidationError(f"form field {number}: expected an object, not {type(item).__name__}")
    key = item.get("key")
    where = f"form field {number} ({key!r})" if isinstance(key, str) else f"form field {number}"
    unknown = sorted(str(name) for name in item if name not in _JSON_PROPERTIES)
    if unknown:
        raise ValidationError(f"{where}: unknown properties {', '.join(unknown)}")
    missing = [name for name in ("key", "label", "kind") if name not in item]
    if missing:
        raise ValidationError(f"{where}: missing {', '.join(missing)}")
    kinds = [k.value for k in FieldKind]
    if item["kind"] not in kinds:
        raise ValidationError(f"{where}: unknown kind {item['kind']!r} (expected one of: {', '.join(kinds)})")
    kind = FieldKind(item["kind"])
    raw_choices = item.get("choices") or []
    if not isinstance(raw_choices, list | tuple):
        raise ValidationError(f"{where}: choices must be a list")
    choices = tuple(raw_choices)
    help, required = item.get("help"), item.get("required", False)
    problem = _field_problem(key, item["label"], kind, choices, help, required)
    if problem is not None:
        raise ValidationError(f"{where}: {problem}")
    return FormField(key, item["label"], kind, choices, help, required)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ExtractionForm:
    """The fields a review extracts, in the order the form, the sheet and the summary show them."""

    fields: tuple[FormField, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", tuple(self.fields))
        keys: dict[str, int] = {}
        labels: dict[str, int] = {}
        for number, field in enumerate(self.fields, start=1):
            if not isinstance(field, FormField):
                raise ValidationError(f"form field {number}: not a FormField")
            if field.key in keys:
                raise ValidationError(
                    f"form field {number} ({field.key!r}): duplicate key; field {keys[field.key]} has it"
                )
            # labels must differ too: a sheet whose hidden key row is lost is read back by label
            label = choice_key(field.label)
            if label in labels:
                raise ValidationError(
                    f"form field {number} ({field.key!r}): label {field.label!r} repeats field {labels[label]}"
                )
            keys[field.key], labels[label] = number, number

    def field(self, key: str) -> FormField:
        """The field with this key; a ValidationError (never KeyError) names the known keys."""
        for field in self.fields:
            if field.key == key:
                return field
        known = ", ".join(f.key for f in self.fields) or "none"
        raise ValidationError(f"no field {key!r} on the form (its fields: {known})")

    def to_json(self) -> list[dict[str, object]]:
        """The form as JSON-ready data, every property written out."""
        return [
            {
                "key": f.key,
                "label": f.label,
                "kind": f.kind.value,
                "choices": list(f.choices),
                "help": f.help,
                "required": f.required,
            }
            for f in self.fields
        ]

    @classmethod
    def from_json(cls, data: object) -> ExtractionForm:
        """Read a stored or uploaded form; each problem is a ValidationError naming field and fault.

        Args:
            data: a list of objects with ``key``, ``label``, ``kind`` and optionally ``choices``,
                ``help`` and ``required``, as :meth:`to_json` writes.

        Raises:
            ValidationError: "form field 3 ('year'): unknown kind 'date' (...)", a duplicate key, a
                choice field without choices, a key outside ``[a-z0-9_]+``, an unknown property.

        >>> ExtractionForm.from_json([{"key": "n", "label": "Sample size", "kind": "number"}]).field("n").kind
        <FieldKind.NUMBER: 'number'>
        """
        if not isinstance(data, list | tuple):
            raise ValidationError(f"form: expected a list of fields, not {type(data).__name__}")
        return cls(tuple(_field_from_json(number, item) for number, item in enumerate(data, start=1)))


_DESIGNS = (
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


def default_equity_form() -> ExtractionForm:
    """The equity-focused realist review's form (Johnson et al., BMJ Qual Saf 2025)."""
    several = "Several values are separated by ;"
    return ExtractionForm(
        (
            FormField("country", "Country", FieldKind.COUNTRY, help=f"Where the study was done. {several}"),
            FormField(
                "care_setting",
                "Care setting",
                FieldKind.MULTI_CHOICE,
                ("primary", "secondary", "tertiary", "community"),
                help=several,
            ),
            FormField("year", "Year", FieldKind.YEAR, help="Year of publication"),
            FormField("clinical_topic", "Clinical topic", FieldKind.TEXT),
            FormField("study_design", "Study design", FieldKind.CHOICE, _DESIGNS),
            FormField(
                "progress_plus",
                "PROGRESS-Plus groups",
                FieldKind.MULTI_CHOICE,
                PROGRESS_PLUS,
                help=f"The groups across which the study reports or targets inequalities. {several}",
            ),
            FormField(
                "intervention_type",
                "Intervention type",
                FieldKind.CHOICE,
                EQUITY_APPROACHES,
                help="gap: narrows a gap between groups; targeted: aimed at a disadvantaged group",
            ),
            FormField(
                "effect_on_inequalities",
                "Reported effect on inequalities",
                FieldKind.CHOICE,
                ("reduced", "no change", "increased", "mixed", "not reported"),
            ),
        )
    )


def parse_value(field: FormField, raw: object) -> Value:
    """Read what a person typed, or a cell held, as the field's value; blank reads as None.

    Args:
        field: the field the value is for.
        raw: text ("UK; France", "2019", "primary, community"), a spreadsheet cell (int, float,
            datetime, str, None), a REFI-QDA case value (str, int, float, bool), or for a multi-valued
            field a list of values (as the database stores them).

    Raises:
        ValidationError: "<label>: '<raw>' is not one of: a, b, c", "Year: '19x' is not a year
            (1800-2100)" and the like, ready to show.

    >>> form = default_equity_form()
    >>> parse_value(form.field("care_setting"), "Community, primary")
    ('primary', 'community')
    >>> parse_value(form.field("country"), "UK; Korea, Republic of")
    ('United Kingdom', 'South Korea')
    >>> parse_value(form.field("study_design"), "rct"), parse_value(form.field("year"), " ")
    ('RCT', None)
    """
    label = field.label
    if isinstance(raw, list | tuple) and not field.kind.is_multi:
        raise ValidationError(f"{label}: takes one value, not a list")
    match field.kind:
        case FieldKind.TEXT:
            return parse_text(label, raw)
        case FieldKind.NUMBER:
            return parse_number(label, raw)
        case FieldKind.YEAR:
            return parse_year(label, raw)
        case FieldKind.COUNTRY:
            return parse_countries(label, raw)
        case FieldKind.CHOICE:
            return parse_choice(label, raw, field.choices)
        case FieldKind.MULTI_CHOICE:
            return parse_choices(label, raw, field.choices)


def format_value(field: FormField, value: Value) -> str:
    """Write a value as text that :func:`parse_value` reads back to the same value.

    Several values are joined by ``"; "``, a float is written exactly (``repr``), and None is ``""``.
    The field is taken so that a kind can change how it is written without changing the callers.

    >>> form = default_equity_form()
    >>> format_value(form.field("country"), ("United Kingdom", "France")), format_value(form.field("year"), None)
    ('United Kingdom; France', '')
    """
    if value is None or value == ():
        return ""
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)
