"""A study as the sheet and the summary see it: its record, a label people recognise, its values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from realreview.characteristics.values import Value

__all__ = ["StudyRow"]


@dataclass(frozen=True, slots=True)
class StudyRow:
    """One included study and its characteristics.

    Attributes:
        record_id: the record the study is, which is how an edited sheet finds it again.
        label: what people read ("Smith 2020: Community health workers..."); never parsed back.
        values: field key -> value; a missing key is a blank.
    """

    record_id: int
    label: str
    values: Mapping[str, Value]
