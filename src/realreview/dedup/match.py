"""Scoring one candidate pair: the fields' evidence, weighed by the learned model, explained.

A false merge silently drops a study from a review, while a missed duplicate only costs screening time
(issue #3), so the merge threshold is high and a few principles hold whatever the weights say: two
kinds of item (an erratum, a reply, a comment beside its article), two numbered parts ("part 1",
"part 2") and a meeting abstract beside the full article are never merged automatically, and two
Cochrane review numbers are two reviews; nor is a place in print that conflicts and that nothing else
locates (:func:`vetoed`). Everything else is weighed (:mod:`realreview.dedup.scoring`, weights learned
from labelled pairs, issue #10): no rule here says which combination of agreeing fields is enough.
"""

from __future__ import annotations

from dataclasses import dataclass

from realreview.dedup.fields import FIELDS, Evidence, partial_evidence, with_authors
from realreview.dedup.model import LinkStatus
from realreview.dedup.profile import Profile, profile
from realreview.dedup.scoring import Model, default_model

__all__ = ["APART", "Comparison", "Profile", "compare", "explain", "profile", "vetoed"]

# An uncertain pair this unlikely to be one work (or vetoed) is never joined through third records.
APART = 0.5


@dataclass(frozen=True, slots=True)
class Comparison:
    """The verdict on one pair, with the fields behind it.

    ``apart``: the pair must never end up in one group through third records (it is vetoed, or more
    likely two works than one).
    """

    score: float
    status: LinkStatus
    agreed: tuple[str, ...]
    conflicted: tuple[str, ...]
    reason: str
    apart: bool = False


def compare(left: Profile, right: Profile, *, model: Model | None = None) -> Comparison | None:
    """Score a candidate pair; ``None`` when it is too unlikely to be one work to show anyone.

    ``score`` is the model's probability that the two are one work.

    >>> from realreview.records import make_record
    >>> a = make_record((), title="Cardiac genomic response", authors=["Das D. K.", "Maulik N."],
    ...                 year="2006", journal="Cardiovasc Res", volume="70", pages="254-63")
    >>> b = make_record((), title="Cardiac genomic response.", authors=["Das, D. K.", "Maulik, N."],
    ...                 year="2006", journal="Cardiovascular research", volume="70", pages="254-263")
    >>> compare(profile(a), profile(b)).status
    <LinkStatus.DUPLICATE: 'duplicate'>
    >>> c = make_record((), title="Erratum: Cardiac genomic response", authors=["Das, D. K."],
    ...                 year="2006", journal="Cardiovasc Res", volume="70", pages="400")
    >>> compare(profile(a), profile(c)).status
    <LinkStatus.NEEDS_REVIEW: 'needs_review'>
    """
    model = model or default_model()
    item = partial_evidence(left, right)
    if model.bound(item) < model.review_logit:
        # Whatever the author lists say, the pair cannot reach review: skip comparing them.
        return None
    item = with_authors(item, left, right)
    probability = model.probability(item)
    if probability < model.review:
        return None
    agreed, conflicted = explain(item, left, right)
    score = round(probability, 4)
    banned = vetoed(item.levels)
    if probability >= model.merge and not banned:
        return Comparison(score, LinkStatus.DUPLICATE, agreed, conflicted, _merged_reason(agreed, conflicted))
    if conflicted:
        reason = (
            "alike, but " + ", ".join(conflicted) + (" conflicts" if len(conflicted) == 1 else " conflict")
        )
    else:
        reason = "similar, but too little agrees"
    apart = banned or probability < APART
    return Comparison(score, LinkStatus.NEEDS_REVIEW, agreed, conflicted, reason, apart)


# Never merged automatically, whatever the weights: another kind of item, another numbered part, another
# Cochrane review, a meeting abstract beside the full article (issue #3).
_VETOES = tuple(FIELDS.index(name) for name in ("kind", "numbers", "cochrane"))
_TYPE, _ID, _PLACE, _PAGES = (FIELDS.index(name) for name in ("type", "id", "place", "pages"))
_LOCATED = frozenset({"same", "end", "overlap"})


def vetoed(levels: tuple[str, ...]) -> bool:
    """Whether a comparison vector (``Evidence.levels``) rules out an automatic merge.

    Besides the kinds of item, numbered parts and Cochrane reviews: a place in print that conflicts
    (another volume, or another issue) and that nothing else locates (no shared pages, no shared
    identifier) is two places. A journal prints a recurring item with one title and one author in
    every issue ("Editor's comments"); agreeing titles and authors cannot outweigh that (issue #10).

    The mirror image holds too: two disjoint page ranges in one issue are two items (companion papers
    printed one after the other), unless an identifier names both.
    """
    if levels[_TYPE] == "abstract_article" or any(levels[i] == "differ" for i in _VETOES):
        return True
    if levels[_ID] == "same":
        return False
    return (levels[_PLACE] in ("conflict", "issue_differs") and levels[_PAGES] not in _LOCATED) or (
        levels[_PLACE] == "issue" and levels[_PAGES] == "differ"
    )


def explain(item: Evidence, left: Profile, right: Profile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The record fields that agree and those that conflict, named as ``Link`` names them."""
    agreed: list[str] = []
    conflicted: list[str] = []
    identifier = "doi" if left.doi is not None and right.doi is not None else "pmid"
    if item.level("cochrane") != "missing":
        identifier = "cochrane"
    if item.level("id") == "same":
        agreed.append(identifier)
    elif item.level("id") == "differ":
        conflicted.append(identifier)
    if item.level("title") in ("exact", "near", "subtitle", "contained"):
        agreed.append("title")
    if item.level("numbers") != "same":
        conflicted.append("title" if item.level("numbers") == "differ" else "title digits")
    if item.level("kind") == "differ" or item.level("type") != "same":
        conflicted.append("type")
    if item.level("authors") in ("all", "most"):
        agreed.append("authors")
    year = item.level("year")
    if year == "same":
        agreed.append("year")
    elif year in ("one", "far"):
        conflicted.append("year")
    if item.level("venue") == "same":
        agreed.append("journal")
    _place(item.level("place"), left, right, agreed, conflicted)
    pages = item.level("pages")
    if pages in ("same", "end"):
        agreed.append("pages")
    elif pages == "differ":
        conflicted.append("pages")
    return tuple(agreed), tuple(conflicted)


def _place(level: str, left: Profile, right: Profile, agreed: list[str], conflicted: list[str]) -> None:
    if level in ("issue", "volume"):
        agreed.append("volume")
    if level in ("issue", "issue_only"):
        agreed.append("issue")
    if level == "conflict":
        conflicted.append("volume" if left.volume != right.volume else "issue")
    elif level == "issue_differs":
        conflicted.append("issue")


def _merged_reason(agreed: tuple[str, ...], conflicted: tuple[str, ...]) -> str:
    reason = ("same " + ", ".join(agreed)) if agreed else "one work by the weight of the evidence"
    if conflicted:
        reason += f"; {', '.join(conflicted)} differ{'s' if len(conflicted) == 1 else ''}, outweighed"
    return reason
