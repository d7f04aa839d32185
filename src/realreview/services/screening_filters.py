"""The values a screening page's filters offer: tags, reasons and reviewers the viewer may see (issue #14).

Filters are drop-downs of real values, never free text that must match exactly. The values come from
the review's setup (its tag vocabularies and exclusion reasons) and from the calls the viewer may see
(:func:`calls_visible_to`): under blinding that is the viewer's own calls alone, so a blinded reviewer
is never offered a colleague's reason, tag or address as a filter value.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.screening import ReviewerState, Stage
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.screening import calls_visible_to

__all__ = ["FilterValues", "filter_values"]

#: The option group of tags found on calls but no longer in the setup's vocabularies.
OTHER_TAGS = "Other tags"


@dataclass(frozen=True, slots=True)
class FilterValues:
    """What the screening filters offer, each list in the order a reader expects."""

    #: (vocabulary, its tags) in the setup's order, then tags only seen on calls.
    tag_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The setup's exclusion reasons, then reasons only seen on calls.
    reasons: tuple[str, ...] = ()
    #: Addresses of reviewers with a call the viewer may see (empty under blinding).
    reviewers: tuple[str, ...] = ()


@reads(Action.VIEW_SCREENING)
def filter_values(
    session: Session, ctx: ReviewContext, *, stage: Stage, chosen: tuple[str, str, str] = ("", "", "")
) -> FilterValues:
    """The tags, reasons and reviewers the viewer's filters offer at ``stage``, within blinding.

    ``chosen`` (tag, reason, reviewer) are the values in the address: each stays on offer, so a
    filter shows what it filters by (the viewer typed it; it tells them nothing new).
    """
    keys = calls_visible_to(session, ctx, stage=stage)
    visible = list(keys.values())
    tag, reason, reviewer = chosen
    groups = [(group, tuple(values)) for group, values in ctx.setup.tags.items()]
    known = {value for _, values in groups for value in values}
    other = sorted({t for call in visible for t in call.tags} - known | ({tag} - known - {""}))
    if other:
        groups.append((OTHER_TAGS, tuple(other)))
    reasons = list(ctx.setup.exclusion_reasons)
    reasons += sorted(
        {r for call in visible for r in call.reasons} - set(reasons) | ({reason} - set(reasons) - {""})
    )
    reviewers = {reviewer} - {""}
    if ctx.sees():
        reviewers |= {who for (_, who), call in keys.items() if call.state is not ReviewerState.UNDECIDED}
    return FilterValues(tuple(groups), tuple(reasons), tuple(sorted(reviewers)))
