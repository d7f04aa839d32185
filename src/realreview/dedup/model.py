"""What deduplication produces: explained links between records, and the groups they form.

Records are addressed by their index in the sequence given to :func:`realreview.dedup.find_duplicates`,
so the domain never needs database ids; the services map indexes to record ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["DedupResult", "Link", "LinkStatus"]


class LinkStatus(StrEnum):
    """How sure the matcher is: merged automatically, or left for a person to decide."""

    DUPLICATE = "duplicate"
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True, slots=True)
class Link:
    """A scored pair of records with its explanation.

    ``a < b`` always. ``agreed`` and ``conflicted`` name the fields (``doi``, ``title``, ``authors``,
    ``year``, ``journal``, ``volume``, ``issue``, ``pages``, ``pmid``, ``type``...) that matched or
    disagreed; ``reason`` says in one line why the pair got its status (e.g. "same DOI and title" or
    "erratum vs article: needs review").
    """

    a: int
    b: int
    score: float
    status: LinkStatus
    agreed: tuple[str, ...] = ()
    conflicted: tuple[str, ...] = ()
    reason: str = ""


@dataclass(slots=True)
class DedupResult:
    """Every link found (automatic and uncertain) and the duplicate groups of the automatic ones."""

    links: list[Link] = field(default_factory=list)
    groups: list[list[int]] = field(default_factory=list)

    @property
    def auto_links(self) -> list[Link]:
        """Links merged without a person."""
        return [link for link in self.links if link.status is LinkStatus.DUPLICATE]

    @property
    def review_links(self) -> list[Link]:
        """Links a person must decide."""
        return [link for link in self.links if link.status is LinkStatus.NEEDS_REVIEW]
