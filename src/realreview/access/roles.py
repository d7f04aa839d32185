"""The roles a person can hold in a review."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Role"]


class Role(StrEnum):
    """A member's role in one review; what each may do is :data:`realreview.access.PERMISSIONS`.

    An **owner** sets the review up, resolves conflicts, settles values and manages members; a
    **reviewer** screens, codes, extracts and appraises; a **viewer** reads. A **panel** member (an
    expert panel or a patient and public involvement group) will comment on the synthesis and never
    sees a screening decision; for now they see the review's overview only.
    """

    VIEWER = "viewer"
    REVIEWER = "reviewer"
    OWNER = "owner"
    PANEL = "panel"
