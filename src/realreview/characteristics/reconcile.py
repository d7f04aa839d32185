"""Two extractors' values for the same study, side by side: where they differ, and how often they agree.

Dual extraction catches slips before they reach the synthesis; the reviewers then settle each
difference. Several values are compared as sets (``("UK", "France")`` and ``("France", "UK")`` agree)
and a blank equals an empty tuple, because neither order nor "blank versus nothing" is a
disagreement anyone needs to resolve.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from realreview.characteristics.form import ExtractionForm
from realreview.characteristics.values import Value

__all__ = [
    "FieldAgreement",
    "FieldDifference",
    "agreement_summary",
    "compare_extractions",
    "is_same_value",
]


def _comparable(value: object) -> object:
    if value is None or value == () or value == []:
        return None
    if isinstance(value, tuple | list):
        return frozenset(value)
    return value


def is_same_value(first: object, second: object) -> bool:
    """Whether two values of a field say the same thing (sets for several values, blank = empty).

    >>> is_same_value(("UK", "France"), ["France", "UK"]), is_same_value(None, ()), is_same_value(2, 2.0)
    (True, True, True)
    """
    return _comparable(first) == _comparable(second)


@dataclass(frozen=True, slots=True)
class FieldDifference:
    """A field two extractors filled differently for one study (None: that one left it blank)."""

    key: str
    label: str
    first: Value
    second: Value


def compare_extractions(
    form: ExtractionForm, first: Mapping[str, Value], second: Mapping[str, Value]
) -> tuple[FieldDifference, ...]:
    """The form's fields whose values differ between two extractions, in form order.

    Keys that are not on the form are ignored: they belong to a field since removed.

    >>> from realreview.characteristics.form import default_equity_form
    >>> compare_extractions(default_equity_form(), {"year": 2019, "country": ("UK",)}, {"year": 2020})
    (FieldDifference(key='country', label='Country', first=('UK',), second=None), \
FieldDifference(key='year', label='Year', first=2019, second=2020))
    """
    differences = []
    for field in form.fields:
        a, b = first.get(field.key), second.get(field.key)
        if not is_same_value(a, b):
            differences.append(FieldDifference(field.key, field.label, a, b))
    return tuple(differences)


@dataclass(frozen=True, slots=True)
class FieldAgreement:
    """How two extractors agreed on one field across studies.

    Attributes:
        compared: studies where both filled the field.
        agreed: of those, how many they filled the same way.
        one_blank: studies where exactly one of them filled it (a likely omission).
    """

    key: str
    label: str
    compared: int
    agreed: int
    one_blank: int

    @property
    def proportion(self) -> float | None:
        """Agreed over compared; None when there was nothing to compare."""
        return self.agreed / self.compared if self.compared else None


def agreement_summary(
    form: ExtractionForm, pairs: Iterable[tuple[Mapping[str, Value], Mapping[str, Value]]]
) -> tuple[FieldAgreement, ...]:
    """Per field, the raw agreement of two extractors over the studies both extracted.

    Args:
        form: the fields to report, in order.
        pairs: per study, (first extractor's values, second extractor's values).

    >>> from realreview.characteristics.form import default_equity_form
    >>> pairs = [({"year": 2019}, {"year": 2019}), ({"year": 2019}, {"year": 2018}), ({"year": 2001}, {})]
    >>> next(a for a in agreement_summary(default_equity_form(), pairs) if a.key == "year")
    FieldAgreement(key='year', label='Year', compared=2, agreed=1, one_blank=1)
    """
    counts = {field.key: [0, 0, 0] for field in form.fields}
    for first, second in pairs:
        for field in form.fields:
            a, b = _comparable(first.get(field.key)), _comparable(second.get(field.key))
            tally = counts[field.key]
            if a is not None and b is not None:
                tally[0] += 1
                tally[1] += a == b
            elif (a is None) != (b is None):
                tally[2] += 1
    return tuple(FieldAgreement(f.key, f.label, *counts[f.key]) for f in form.fields)
