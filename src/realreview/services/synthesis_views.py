"""The synthesis pages: the workspace, one CMOC with its evidence, the versions with a diff.

One call per page, so a route renders what it gets. The pages say what the viewer may do
(``can_edit``, ``can_snapshot``); the services behind the forms check it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.services.audit import reads
from realreview.services.context import ReviewContext
from realreview.services.feedback import Comment, Engagement, comments_on, engagements
from realreview.services.reviews import ReviewInfo
from realreview.services.synthesis_reads import (
    WORKING,
    CMOCPage,
    SynthesisOverview,
    cmoc_page,
    synthesis_overview,
)
from realreview.services.synthesis_rows import clusters_of
from realreview.services.theory import TheoryVersionInfo, diff_theories, theory_versions
from realreview.storage.models import DocumentRow, ExcerptRow
from realreview.synthesis import (
    PROMPTS,
    Cluster,
    Component,
    Confidence,
    Direction,
    Prompt,
    RelationKind,
    Role,
    Status,
    TheoryDiff,
)

__all__ = [
    "CMOCView",
    "ExcerptChoice",
    "TheoryPage",
    "WorkspacePage",
    "cmoc_view",
    "theory_page",
    "workspace_page",
]


@dataclass(frozen=True, slots=True)
class WorkspacePage:
    """Clusters and CMOCs at a glance, with the forms to add either."""

    review: ReviewInfo
    overview: SynthesisOverview
    clusters: tuple[Cluster, ...]
    versions: list[TheoryVersionInfo]
    can_edit: bool
    directions: tuple[Direction, ...] = tuple(Direction)


@reads(Action.VIEW_SYNTHESIS)
def workspace_page(session: Session, ctx: ReviewContext) -> WorkspacePage:
    """The synthesis workspace."""
    return WorkspacePage(
        review=ctx.review,
        overview=synthesis_overview(session, ctx),
        clusters=clusters_of(session, ctx.review_id),
        versions=theory_versions(session, ctx),
        can_edit=ctx.can(Action.SYNTHESISE),
    )


@dataclass(frozen=True, slots=True)
class ExcerptChoice:
    """An excerpt as the "use as evidence" list offers it: its document and its opening words."""

    id: int
    document: str
    page: int | None
    text: str


@dataclass(frozen=True, slots=True)
class CMOCView:
    """One CMOC's page: statements, evidence per component, gaps, relations, history and the forms."""

    review: ReviewInfo
    page: CMOCPage
    clusters: tuple[Cluster, ...]
    labels: tuple[str, ...]
    excerpts: tuple[ExcerptChoice, ...]
    can_edit: bool
    actor: str
    can_remove_any: bool
    comments: list[Comment]
    can_comment: bool
    versions: list[TheoryVersionInfo]
    components: tuple[Component, ...] = tuple(Component)
    roles: tuple[Role, ...] = tuple(Role)
    directions: tuple[Direction, ...] = tuple(Direction)
    confidences: tuple[Confidence, ...] = tuple(Confidence)
    statuses: tuple[Status, ...] = tuple(Status)
    kinds: tuple[RelationKind, ...] = tuple(RelationKind)
    prompts: tuple[Prompt, ...] = PROMPTS


@reads(Action.VIEW_SYNTHESIS)
def cmoc_view(session: Session, ctx: ReviewContext, *, label: str, excerpt_id: int | None = None) -> CMOCView:
    """CMOC ``label``'s page; the excerpts list (for linking) only for those who may edit.

    ``excerpt_id`` puts that excerpt first in the list: the page reached from an excerpt's
    "use as evidence" link.
    """
    page = cmoc_page(session, ctx, label=label)
    overview = synthesis_overview(session, ctx)
    labels = tuple(cmoc.label for group in overview.groups for cmoc in group.cmocs)
    choices: tuple[ExcerptChoice, ...] = ()
    if ctx.can(Action.SYNTHESISE):
        rows = session.execute(
            select(ExcerptRow.id, DocumentRow.name, ExcerptRow.page, ExcerptRow.text)
            .join(DocumentRow, DocumentRow.id == ExcerptRow.document_id)
            .where(ExcerptRow.review_id == ctx.review_id)
            .order_by(DocumentRow.name, ExcerptRow.start)
        )
        found = [ExcerptChoice(i, name, p, " ".join(text.split())[:90]) for i, name, p, text in rows]
        found.sort(key=lambda choice: choice.id != excerpt_id)
        choices = tuple(found)
    return CMOCView(
        review=ctx.review,
        page=page,
        clusters=clusters_of(session, ctx.review_id),
        labels=labels,
        excerpts=choices,
        can_edit=ctx.can(Action.SYNTHESISE),
        actor=ctx.actor,
        can_remove_any=ctx.can(Action.REMOVE_OTHERS_WORK),
        comments=comments_on(session, ctx, cmoc=label),
        can_comment=ctx.can(Action.COMMENT_SYNTHESIS),
        versions=theory_versions(session, ctx),
    )


@dataclass(frozen=True, slots=True)
class TheoryPage:
    """The versions, the snapshot form, and the diff of two versions when asked for."""

    review: ReviewInfo
    versions: list[TheoryVersionInfo]
    old: str
    new: str
    diff: TheoryDiff | None
    can_snapshot: bool
    comments: list[Comment]
    can_comment: bool
    engagements: list[Engagement]
    can_log: bool
    labels: tuple[str, ...]
    working: str = WORKING


@reads(Action.VIEW_SYNTHESIS)
def theory_page(session: Session, ctx: ReviewContext, *, old: str = "", new: str = "") -> TheoryPage:
    """The programme theory versions; with ``old`` and ``new``, what changed between them.

    By default the diff compares the newest version with the synthesis as it stands.
    """
    versions = theory_versions(session, ctx)
    if not old and versions:
        old, new = versions[-1].name, new or WORKING
    change = diff_theories(session, ctx, old=old, new=new or WORKING) if old else None
    return TheoryPage(
        review=ctx.review,
        versions=versions,
        old=old,
        new=new or WORKING,
        diff=change,
        can_snapshot=ctx.can(Action.SNAPSHOT_THEORY),
        comments=[c for c in comments_on(session, ctx) if c.version is not None],
        can_comment=ctx.can(Action.COMMENT_SYNTHESIS),
        engagements=engagements(session, ctx),
        can_log=ctx.can(Action.LOG_ENGAGEMENT),
        labels=tuple(cmoc.label for group in synthesis_overview(session, ctx).groups for cmoc in group.cmocs),
    )
