"""The owner's setup pages in the browser (issue #14): a new review, members, the search log, the form.

Each page is one service call that returns a dataclass the template reads. The writes go through
the services the command line uses (``create_review``, ``add_member``, ``add_search``,
``set_extraction_form``), so the rules and the audit trail are the same from both edges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action, Role
from realreview.characteristics.form import ExtractionForm, FieldKind
from realreview.errors import ValidationError
from realreview.reporting import SOURCE_KINDS
from realreview.services.accounts import Member, add_member, members_of
from realreview.services.audit import mutation, reads
from realreview.services.characteristics import extraction_form, set_extraction_form
from realreview.services.context import ReviewContext, trusted_context
from realreview.services.invitations import Invitation, IssuedInvitation, invitations_of
from realreview.services.reviews import ReviewInfo, create_review, set_review_details
from realreview.services.screening import configure_screening
from realreview.services.searches import SearchSummary, summarise_searches
from realreview.storage.models import ExtractionValueRow

__all__ = [
    "FormEditorPage",
    "FormRow",
    "MembersPage",
    "SearchesPage",
    "form_editor_page",
    "members_page",
    "save_form_editor",
    "searches_page",
    "start_review",
]


def start_review(
    session: Session,
    *,
    title: str,
    actor: str,
    question: str | None = None,
    protocol: str | None = None,
    inclusion: Sequence[str] = (),
    exclusion: Sequence[str] = (),
) -> ReviewInfo:
    """Create a review from the browser: the signed-in creator becomes its owner.

    The command line's ``init`` needs no membership (whoever holds the database is trusted as the
    owner), but a review made in the browser would be invisible to its creator without one. Each
    step is its own audited service, so the trail reads as it would from the command line.
    """
    review = create_review(session, title=title, question=(question or "").strip() or None, actor=actor)
    owner = trusted_context(session, review_id=review.id, actor=actor)
    add_member(session, owner, email=actor, role=Role.OWNER)
    if protocol and protocol.strip():
        review = set_review_details(session, owner, protocol=protocol)
    if inclusion or exclusion:
        configure_screening(session, owner, inclusion=tuple(inclusion), exclusion=tuple(exclusion))
    return review


@dataclass(frozen=True, slots=True)
class MembersPage:
    """The owner's members page; ``issued`` is a link made by this request, shown this once."""

    review: ReviewInfo
    actor: str
    members: list[Member]
    invitations: list[Invitation]
    issued: IssuedInvitation | None = None
    roles: tuple[Role, ...] = tuple(Role)


@reads(Action.MANAGE_MEMBERS)
def members_page(
    session: Session, ctx: ReviewContext, *, issued: IssuedInvitation | None = None
) -> MembersPage:
    """Members with roles, and every invitation link with its state."""
    return MembersPage(
        review=ctx.review,
        actor=ctx.actor,
        members=members_of(session, ctx),
        invitations=invitations_of(session, ctx),
        issued=issued,
    )


@dataclass(frozen=True, slots=True)
class SearchesPage:
    """The search log: per search what the database reported and what was imported."""

    review: ReviewInfo
    searches: list[SearchSummary]
    can_log: bool
    kinds: tuple[str, ...] = tuple(SOURCE_KINDS)
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def imported(self) -> int:
        """Records imported over every search."""
        return sum(search.imported for search in self.searches)

    @property
    def reported(self) -> int:
        """Hits the databases reported, over the searches that logged a count."""
        return sum(search.reported_hits or 0 for search in self.searches)


@reads(Action.VIEW_RECORDS)
def searches_page(session: Session, ctx: ReviewContext) -> SearchesPage:
    """Every search of the review, with the owner's form to log one."""
    return SearchesPage(ctx.review, summarise_searches(session, ctx), ctx.can(Action.LOG_SEARCHES))


@dataclass(frozen=True, slots=True)
class FormRow:
    """One row of the form editor as posted: choices as one line separated by ``;``."""

    key: str
    label: str
    kind: str
    choices: str = ""
    help: str = ""
    required: bool = False
    position: float = 0.0
    remove: bool = False

    @property
    def is_blank(self) -> bool:
        """An untouched "new field" row (no key, no label): not a field."""
        return not self.key.strip() and not self.label.strip()

    def to_json(self) -> dict[str, object]:
        """The row as :meth:`ExtractionForm.from_json` reads a field."""
        choices = [part.strip() for part in self.choices.split(";") if part.strip()]
        return {
            "key": self.key.strip(),
            "label": self.label.strip(),
            "kind": self.kind,
            "choices": choices,
            "help": self.help.strip() or None,
            "required": self.required,
        }


@dataclass(frozen=True, slots=True)
class FormEditorPage:
    """The extraction form as editable rows; ``error`` says why nothing was saved."""

    review: ReviewInfo
    rows: list[FormRow]
    used: frozenset[str]
    saved: bool = False
    error: str = ""
    kinds: tuple[FieldKind, ...] = tuple(FieldKind)


def _rows(form: ExtractionForm) -> list[FormRow]:
    return [
        FormRow(f.key, f.label, f.kind.value, "; ".join(f.choices), f.help or "", f.required, float(n))
        for n, f in enumerate(form.fields, start=1)
    ]


def _used(session: Session, ctx: ReviewContext) -> frozenset[str]:
    """The keys that hold values: they keep their kind and cannot be removed."""
    query = select(ExtractionValueRow.field_key).where(ExtractionValueRow.review_id == ctx.review_id)
    return frozenset(session.scalars(query.distinct()))


@reads(Action.EDIT_FORM)
def form_editor_page(session: Session, ctx: ReviewContext) -> FormEditorPage:
    """The review's form (the default until an owner sets one) as rows to edit."""
    return FormEditorPage(ctx.review, _rows(extraction_form(session, ctx)), _used(session, ctx))


@mutation(Action.EDIT_FORM, audit="form.edit", entity="review")
def save_form_editor(session: Session, ctx: ReviewContext, *, rows: Sequence[FormRow]) -> FormEditorPage:
    """Save the editor's rows in their ``position`` order, through the rules of ``characteristics form --set``.

    Rows marked ``remove`` and blank rows are left out. Any problem (a bad key, a choice field
    without choices, a field holding values removed or changing kind) comes back as ``error`` with
    the rows as posted, and nothing is saved.
    """
    kept = sorted((row for row in rows if not row.remove and not row.is_blank), key=lambda row: row.position)
    try:
        if not kept:
            raise ValidationError("the form needs at least one field")
        form = set_extraction_form(
            session, ctx, form=ExtractionForm.from_json([row.to_json() for row in kept])
        )
    except ValidationError as error:
        return FormEditorPage(ctx.review, list(rows), _used(session, ctx), error=str(error))
    return FormEditorPage(ctx.review, _rows(form), _used(session, ctx), saved=True)
