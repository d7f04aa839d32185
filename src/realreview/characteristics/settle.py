"""When an extracted value is the study's value: settled by an owner, agreed, or the only extractor's.

Independent extraction gives each field of each study one value per extractor. A value is
**settled** when an owner has settled it (stored under the extractor :data:`CONSENSUS`, which is no
person), when two or more extractors entered it and all agree, or when the review has one extractor
only. A value one of several extractors entered, or values that differ, are **unsettled**: a summary
does not count them, and says how many studies still have some.

Someone who may not see their colleagues' values (a blinded reviewer) cannot know whether their own
value agrees with anyone's, so for them every own value the owner has not settled is **pending**;
only the owner's settled values are the study's. Nothing they are shown then depends on a colleague's
values (see :func:`realreview.access.may_see`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from realreview.characteristics.reconcile import is_same_value
from realreview.characteristics.values import Value

__all__ = ["CONSENSUS", "Settled", "Settlement", "Standing", "is_blank", "settle", "settlement"]

#: The extractor name under which an owner's settled values are stored.
CONSENSUS = "consensus"


class Standing(StrEnum):
    """How far one field's values for one study are settled."""

    CONSENSUS = "settled"
    AGREED = "agreed"
    SOLE = "only extractor"
    ONE_ONLY = "one extractor only"
    DIFFERENT = "extractors differ"
    PENDING = "not settled yet"

    @property
    def is_settled(self) -> bool:
        """Whether the value counts as the study's (in a table, a summary, an export)."""
        return self in (Standing.CONSENSUS, Standing.AGREED, Standing.SOLE)


@dataclass(frozen=True, slots=True)
class Settled:
    """One field's standing for one study, and its value (the only candidate when one extractor only)."""

    value: Value
    standing: Standing

    @property
    def is_settled(self) -> bool:
        """Whether :attr:`value` is the study's value."""
        return self.standing.is_settled


def is_blank(value: object) -> bool:
    """Whether a value says nothing (None, an empty text or an empty list).

    >>> is_blank(None), is_blank(()), is_blank(""), is_blank(0)
    (True, True, True, False)
    """
    return value is None or value == () or value == [] or value == ""


def settle(entries: Mapping[str, Value], *, sole: bool = False, blind: bool = False) -> Settled | None:
    """The standing of one field of one study, from each extractor's latest value.

    Args:
        entries: extractor -> value; an owner's settled value under :data:`CONSENSUS`.
        sole: the review has one extractor, whose values are final.
        blind: the viewer sees only their own entry and the consensus (see the module docstring).

    Returns:
        None when nobody entered a value (a settled blank is still settled).

    >>> settle({"a": "UK", "b": "UK"}).standing, settle({"a": "UK", "b": "France"}).standing
    (<Standing.AGREED: 'agreed'>, <Standing.DIFFERENT: 'extractors differ'>)
    >>> settle({"a": "UK", "b": None}), settle({"a": "UK"}, sole=True).is_settled
    (Settled(value='UK', standing=<Standing.ONE_ONLY: 'one extractor only'>), True)
    >>> settle({"a": "UK", CONSENSUS: "France"}).value, settle({"a": "UK"}, blind=True).standing
    ('France', <Standing.PENDING: 'not settled yet'>)
    """
    if CONSENSUS in entries:
        return Settled(entries[CONSENSUS], Standing.CONSENSUS)
    filled = [value for extractor, value in entries.items() if not is_blank(value)]
    if not filled:
        return None
    if blind:
        return Settled(None, Standing.PENDING)
    if sole:
        return Settled(filled[0], Standing.SOLE)
    if len(filled) == 1:
        return Settled(filled[0], Standing.ONE_ONLY)
    if all(is_same_value(value, filled[0]) for value in filled):
        return Settled(filled[0], Standing.AGREED)
    return Settled(None, Standing.DIFFERENT)


@dataclass(frozen=True, slots=True)
class Settlement:
    """How many studies hold values, and how many of them still hold an unsettled one.

    Attributes:
        studies: studies with any value (settled or not).
        unsettled: of those, studies with at least one value that is not settled.
        one_extractor: studies with a value only one of several extractors entered.
        different: studies with a field whose extractors differ.
        pending: studies with one of the viewer's own values the owner has not settled (blinded).
    """

    studies: int = 0
    unsettled: int = 0
    one_extractor: int = 0
    different: int = 0
    pending: int = 0

    @property
    def settled(self) -> int:
        """Studies whose every value is settled."""
        return self.studies - self.unsettled


def settlement(standings: Iterable[Mapping[str, Settled]]) -> Settlement:
    """Count, over studies (each a field key -> :class:`Settled`), those with unsettled values.

    >>> ok, odd = Settled("UK", Standing.AGREED), Settled("UK", Standing.ONE_ONLY)
    >>> settlement([{"country": ok}, {"country": ok, "year": odd}, {}])
    Settlement(studies=2, unsettled=1, one_extractor=1, different=0, pending=0)
    """
    counts = {"studies": 0, "unsettled": 0, "one_extractor": 0, "different": 0, "pending": 0}
    for fields in standings:
        kinds = {settled.standing for settled in fields.values()}
        if not kinds:
            continue
        counts["studies"] += 1
        counts["unsettled"] += not all(kind.is_settled for kind in kinds)
        counts["one_extractor"] += Standing.ONE_ONLY in kinds
        counts["different"] += Standing.DIFFERENT in kinds
        counts["pending"] += Standing.PENDING in kinds
    return Settlement(**counts)
