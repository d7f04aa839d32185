"""How a review screens: the criteria beside each record, reasons, tag vocabularies, blinding, the sample."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from realreview.names import clean_name
from realreview.screening.allocation import Allocation
from realreview.screening.decisions import MaybeRule
from realreview.screening.vocabularies import EQUITY_APPROACHES, PROGRESS_PLUS

__all__ = ["DEFAULT_TAGS", "ScreeningSetup", "changed_setup"]

DEFAULT_TAGS = {"PROGRESS-Plus": PROGRESS_PLUS, "Equity approach": EQUITY_APPROACHES}


@dataclass(frozen=True, slots=True)
class ScreeningSetup:
    """A review's screening setup; the defaults (PROGRESS-Plus and equity vocabularies, blinded) until set."""

    inclusion: tuple[str, ...] = ()
    exclusion: tuple[str, ...] = ()
    exclusion_reasons: tuple[str, ...] = ()
    tags: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_TAGS))
    include_words: tuple[str, ...] = ()
    exclude_words: tuple[str, ...] = ()
    blinded: bool = True
    dual_fraction: float = 0.0
    dual_seed: int = 0
    maybe_rule: MaybeRule = MaybeRule.AS_INCLUDE
    allocation: Allocation = Allocation.SHARED
    lead_reviewer: str | None = None


def changed_setup(setup: ScreeningSetup, changes: dict[str, Any]) -> ScreeningSetup:
    """``setup`` with ``changes`` applied, or refused.

    Refused: an unknown setting, a fraction outside 0-1, a tag name or exclusion reason holding a
    control character (:func:`realreview.names.clean_name`).

    >>> changed_setup(ScreeningSetup(), {"dual_fraction": 0.1}).dual_fraction
    0.1
    """
    unknown = set(changes) - {f.name for f in fields(ScreeningSetup)}
    if unknown:
        raise ValueError(f"unknown screening settings: {', '.join(sorted(unknown))}")
    new = replace(setup, **changes)
    tags = {
        clean_name(group, what="tag group name"): tuple(clean_name(tag, what="tag name") for tag in values)
        for group, values in new.tags.items()
    }
    reasons = tuple(clean_name(reason, what="exclusion reason") for reason in new.exclusion_reasons)
    new = replace(new, tags=tags, exclusion_reasons=reasons)
    if not 0.0 <= new.dual_fraction <= 1.0:
        raise ValueError(f"the dual-screening fraction must be between 0 and 1, not {new.dual_fraction}")
    lead = (new.lead_reviewer or "").strip().lower() or None
    new = replace(
        new, maybe_rule=MaybeRule(new.maybe_rule), allocation=Allocation(new.allocation), lead_reviewer=lead
    )
    if new.allocation is Allocation.LEAD and lead is None:
        raise ValueError("the lead allocation needs a lead reviewer (the one who screens every record)")
    return new
