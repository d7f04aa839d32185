"""Use cases for study characteristics: the review's extraction form, its studies, and what is read of values.

The studies are the records included at full text, plus any record with a full text attached (a team
may extract while screening is still under way). Values are append-only
(:class:`~realreview.storage.models.ExtractionValueRow`): each extractor's latest value of a field is
theirs; an owner's settled value is stored under the extractor ``consensus`` and is the study's value
from then on. When a value is the study's (settled, agreed, or the review's only extractor's) is
:mod:`realreview.characteristics.settle`; the writes are :mod:`realreview.services.extraction`.

Extraction is blinded like screening (:meth:`ReviewContext.sees` with ``Work.EXTRACTION``): while the
review is blinded, a reviewer reads their own values and the owner's settled ones, and nothing else:
no colleague's value, no agreement with one, and no count made from one. Owners read everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action, Work
from realreview.characteristics import (
    CONSENSUS,
    ExtractionForm,
    FieldDifference,
    FieldSummary,
    Settled,
    Settlement,
    StudyRow,
    Value,
    compare_extractions,
    default_equity_form,
    is_blank,
    settle,
    settlement,
    summarise,
    summary_csv,
    write_sheet,
)
from realreview.errors import ForbiddenError, ValidationError
from realreview.screening import RecordState, Stage
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext
from realreview.services.reported_figures import reported_figures
from realreview.services.screening_outcome import record_states
from realreview.storage.models import DocumentRow, ExtractionFormRow, ExtractionValueRow, RecordRow

__all__ = [
    "CONSENSUS",
    "Extractions",
    "Study",
    "export_characteristics",
    "export_summary",
    "extraction_differences",
    "extraction_form",
    "extractions",
    "form_of",
    "latest_values",
    "named",
    "require_sees",
    "set_extraction_form",
    "store_value",
    "studies",
    "studies_with_values",
    "study_values",
    "summarise_characteristics",
    "summaries",
]

_INCLUDED = {RecordState.INCLUDED, RecordState.RESOLVED_INCLUDED}
#: record id -> field key -> extractor -> latest value
Latest = Mapping[int, Mapping[str, Mapping[str, Value]]]


@dataclass(frozen=True, slots=True)
class Study:
    """A study of the review: its record and a short label ("Smith 2020, Title...")."""

    record_id: int
    label: str
    doi: str | None
    title: str | None
    year: int | None


def named(extractor: object) -> str | None:
    """An extractor as given (an e-mail address in any case, or ``consensus``), normalised."""
    return extractor.strip().lower() or None if isinstance(extractor, str) else None


def require_sees(ctx: ReviewContext, *extractors: str | None) -> None:
    """Refuse with ForbiddenError unless the actor may see each named extractor's values (blinding)."""
    for extractor in map(named, extractors):
        if extractor not in (None, CONSENSUS) and not ctx.sees(extractor, work=Work.EXTRACTION):
            raise ForbiddenError(f"blinding hides {extractor}'s values from {ctx.actor}")


def form_of(session: Session, review_id: int) -> ExtractionForm:
    """The review's form (internal: no permission check)."""
    row = session.get(ExtractionFormRow, review_id)
    return ExtractionForm.from_json(row.fields) if row is not None else default_equity_form()


@reads(Action.VIEW_CHARACTERISTICS)
def extraction_form(session: Session, ctx: ReviewContext) -> ExtractionForm:
    """The review's form; the equity-focused realist default until an owner sets one."""
    return form_of(session, ctx.review_id)


@mutation(Action.EDIT_FORM, audit="form.set", entity="review")
def set_extraction_form(session: Session, ctx: ReviewContext, *, form: ExtractionForm) -> ExtractionForm:
    """Replace the form; a field that already holds values cannot be dropped or change kind."""
    old = form_of(session, ctx.review_id)
    used = set(
        session.scalars(
            select(ExtractionValueRow.field_key).where(ExtractionValueRow.review_id == ctx.review_id)
        )
    )
    new_keys = {f.key: f for f in form.fields}
    for old_field in old.fields:
        if old_field.key in used and (
            old_field.key not in new_keys or new_keys[old_field.key].kind != old_field.kind
        ):
            raise ValidationError(
                f"field {old_field.key!r} already holds values; it cannot be removed or change its kind"
            )
    row = session.get(ExtractionFormRow, ctx.review_id)
    if row is None:
        session.add(ExtractionFormRow(review_id=ctx.review_id, fields=form.to_json(), updated_by=ctx.actor))
    else:
        row.fields, row.updated_by = form.to_json(), ctx.actor
    audit.note(session, entity_id=ctx.review_id, before=old.to_json(), after=form.to_json())
    return form


def _label(row: RecordRow) -> str:
    first = row.authors[0][0] if row.authors and row.authors[0] else "Anon"
    title = (row.title or "untitled")[:60]
    return f"{first} {row.year or 'n.d.'}: {title}"


def _studies(session: Session, ctx: ReviewContext, latest: Latest) -> list[Study]:
    """The review's studies, as far as the actor may know them.

    Someone who may see every screening call gets the records included at full text; a blinded
    reviewer does not, because a record's state is made of colleagues' calls. Everyone gets the
    records with a full text attached (documents are the team's) and those holding values they see.
    """
    ids = set(
        session.scalars(
            select(DocumentRow.record_id).where(
                DocumentRow.review_id == ctx.review_id, DocumentRow.record_id.is_not(None)
            )
        )
    )
    ids |= {record_id for record_id, fields in latest.items() if any(fields.values())}
    if ctx.sees(None, work=Work.SCREENING):
        states = record_states(session, review_id=ctx.review_id, setup=ctx.setup, stage=Stage.FULL_TEXT)
        ids |= {record_id for record_id, state in states.items() if state in _INCLUDED}
    rows = session.scalars(select(RecordRow).where(RecordRow.id.in_(ids)).order_by(RecordRow.id))
    return [Study(row.id, _label(row), row.doi, row.title, row.year) for row in rows]


@dataclass(frozen=True, slots=True)
class Extractions:
    """A review's form, its studies and the latest value of each field by each extractor the viewer sees.

    ``blind``: the viewer sees only their own values and the consensus (a blinded reviewer); their own
    unsettled values are then pending, never the study's. ``sole``: the review has one extractor,
    whose values are final (never set for a blind viewer, who cannot know).
    """

    form: ExtractionForm
    studies: list[Study]
    latest: Latest
    blind: bool = False
    sole: bool = False

    def standings(self, record_id: int) -> dict[str, Settled]:
        """Per field with any value, how far it is settled (:func:`realreview.characteristics.settle`)."""
        found = {}
        for key, by in self.latest.get(record_id, {}).items():
            settled = settle(by, sole=self.sole, blind=self.blind)
            if settled is not None:
                found[key] = settled
        return found

    def values(self, record_id: int, extractor: str | None = None) -> dict[str, Value]:
        """One study's settled values (``extractor=None``) or one extractor's own values (blanks left out)."""
        if extractor is None:
            return {key: s.value for key, s in self.standings(record_id).items() if s.is_settled}
        fields = self.latest.get(record_id, {})
        return {key: by[extractor] for key, by in fields.items() if not is_blank(by.get(extractor))}

    def by_study(self, extractor: str | None = None) -> dict[int, dict[str, Value]]:
        """Per study (record id), :meth:`values`."""
        return {study.record_id: self.values(study.record_id, extractor) for study in self.studies}

    def rows(self, extractor: str | None = None) -> list[StudyRow]:
        """The studies with their settled values (or one extractor's), as the sheet and the summary take them."""
        return [StudyRow(s.record_id, s.label, self.values(s.record_id, extractor)) for s in self.studies]

    def settlement(self) -> Settlement:
        """How many studies hold values, and how many still hold one that is not settled."""
        return settlement(self.standings(study.record_id) for study in self.studies)

    def differences(self, first: str, second: str) -> dict[int, tuple[FieldDifference, ...]]:
        """Per study, the fields two extractors filled differently and no consensus has settled yet."""
        result: dict[int, tuple[FieldDifference, ...]] = {}
        for record_id, fields in self.latest.items():
            a = {key: by[first] for key, by in fields.items() if first in by and CONSENSUS not in by}
            b = {key: by[second] for key, by in fields.items() if second in by and CONSENSUS not in by}
            differences = compare_extractions(self.form, a, b)
            if differences:
                result[record_id] = differences
        return result


def latest_values(
    session: Session, review_id: int, *, record_id: int | None = None
) -> dict[int, dict[str, dict[str, Value]]]:
    """Record -> field key -> extractor -> latest value, of everyone (internal: no blinding applied)."""
    latest: dict[int, dict[str, dict[str, Value]]] = defaultdict(lambda: defaultdict(dict))
    query = select(ExtractionValueRow).where(ExtractionValueRow.review_id == review_id)
    if record_id is not None:
        query = query.where(ExtractionValueRow.record_id == record_id)
    for row in session.scalars(query.order_by(ExtractionValueRow.id)):
        value = tuple(row.value) if isinstance(row.value, list) else row.value
        latest[row.record_id][row.field_key][row.extractor] = value
    return latest


def _visible(ctx: ReviewContext, latest: Latest) -> dict[int, dict[str, dict[str, Value]]]:
    """What the actor may see of ``latest``: the consensus, and the extractors blinding lets through."""
    seen = {}
    for record_id, fields in latest.items():
        kept = {
            key: {e: v for e, v in by.items() if e == CONSENSUS or ctx.sees(e, work=Work.EXTRACTION)}
            for key, by in fields.items()
        }
        seen[record_id] = {key: by for key, by in kept.items() if by}
    return seen


def extractions(session: Session, ctx: ReviewContext) -> Extractions:
    """The review's :class:`Extractions` as the actor may see them (internal: no permission check)."""
    blind = not ctx.sees(None, work=Work.EXTRACTION)
    latest: Latest = latest_values(session, ctx.review_id)
    if blind:
        latest = _visible(ctx, latest)
    extractors = {
        extractor
        for fields in latest.values()
        for by in fields.values()
        for extractor, value in by.items()
        if extractor != CONSENSUS and not is_blank(value)
    }
    return Extractions(
        form_of(session, ctx.review_id),
        _studies(session, ctx, latest),
        latest,
        blind=blind,
        sole=not blind and len(extractors) == 1,
    )


@reads(Action.VIEW_CHARACTERISTICS)
def studies(session: Session, ctx: ReviewContext) -> list[Study]:
    """The studies the actor may know of, in record order (see :func:`extractions`)."""
    return extractions(session, ctx).studies


@reads(Action.VIEW_CHARACTERISTICS)
def studies_with_values(
    session: Session, ctx: ReviewContext, *, extractor: str | None = None
) -> list[tuple[Study, dict[str, Value]]]:
    """Each study with its settled values (``extractor=None``) or one extractor's own values."""
    require_sees(ctx, extractor)
    found = extractions(session, ctx)
    return [(study, found.values(study.record_id, named(extractor))) for study in found.studies]


@reads(Action.VIEW_CHARACTERISTICS)
def study_values(
    session: Session, ctx: ReviewContext, *, extractor: str | None = None
) -> dict[int, dict[str, Value]]:
    """Per study (record id): the settled values, or one extractor's own values."""
    require_sees(ctx, extractor)
    return extractions(session, ctx).by_study(named(extractor))


def store_value(
    session: Session,
    ctx: ReviewContext,
    *,
    record_id: int,
    key: str,
    value: Value,
    extractor: str,
    source: str,
) -> None:
    """Append one checked value, written by the actor (internal: the calling service is audited)."""
    session.add(
        ExtractionValueRow(
            review_id=ctx.review_id,
            record_id=record_id,
            field_key=key,
            extractor=extractor,
            value=list(value) if isinstance(value, tuple) else value,
            by=ctx.actor,
            source=source,
        )
    )


@reads(Action.VIEW_CHARACTERISTICS)
def extraction_differences(
    session: Session, ctx: ReviewContext, *, first: str, second: str
) -> dict[int, tuple[FieldDifference, ...]]:
    """Per study, the fields two extractors filled differently and no consensus has settled yet."""
    require_sees(ctx, first, second)
    return extractions(session, ctx).differences(named(first) or "", named(second) or "")


@reads(Action.EXPORT_TABLES)
def export_characteristics(session: Session, ctx: ReviewContext, *, extractor: str | None = None) -> bytes:
    """An XLSX sheet, a row per study, with validation lists: the settled values, or one extractor's.

    A blinded reviewer's settled sheet holds the owner's settled values only; their own sheet
    (``extractor`` = themselves) is the one to fill in and upload back.
    """
    whose = named(extractor)
    require_sees(ctx, whose)
    found = extractions(session, ctx)
    return write_sheet(found.form, found.rows(whose))


def summaries(session: Session, ctx: ReviewContext) -> tuple[FieldSummary, ...]:
    """The summary of the settled values (internal: no permission check; the caller made it)."""
    found = extractions(session, ctx)
    return summarise(found.form, found.rows())


@reads(Action.VIEW_CHARACTERISTICS)
def summarise_characteristics(session: Session, ctx: ReviewContext) -> tuple[FieldSummary, ...]:
    """Counts of settled values per value of each field: the figures a results section states."""
    return summaries(session, ctx)


@reads(Action.EXPORT_TABLES)
def export_summary(session: Session, ctx: ReviewContext) -> str:
    """The summary tables as one CSV (``field``, ``value``, ``studies``), of settled values only.

    Totals a source reports without per-document values follow, marked "(reported)".
    """
    reported = [(t.topic, f.label, f.value) for t in reported_figures(session, ctx) for f in t.figures]
    return summary_csv(summaries(session, ctx), reported=reported)
