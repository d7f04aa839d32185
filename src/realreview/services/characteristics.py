"""Use cases for study characteristics: the review's extraction form, values, reconciliation, tables.

The studies are the records included at full text, plus any record with a full text attached (a team
may extract while screening is still under way). Values are append-only
(:class:`~realreview.storage.models.ExtractionValueRow`): each extractor's latest value of a field is
theirs; an owner's reconciled value is stored under the extractor ``consensus`` and is the study's
value from then on. Without a consensus, a field two extractors agree on (or only one filled) counts.

Whose values a write stores decides the permission it needs: one's own values need ``EXTRACT``; the
consensus, or a sheet an owner enters on another member's behalf, needs ``SETTLE_VALUES``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action, Work
from realreview.characteristics import (
    ExtractionForm,
    FieldDifference,
    FieldSummary,
    SheetImport,
    StudyRow,
    Value,
    compare_extractions,
    default_equity_form,
    is_same_value,
    parse_value,
    read_sheet,
    summarise,
    summary_csv,
    write_sheet,
)
from realreview.errors import FileTooLargeError, ForbiddenError, NotFoundError, ValidationError
from realreview.screening import RecordState, Stage
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext, review_context
from realreview.services.screening_state import record_states
from realreview.storage.models import DocumentRow, ExtractionFormRow, ExtractionValueRow, RecordRow

__all__ = [
    "CONSENSUS",
    "Extractions",
    "Study",
    "ValuesSaved",
    "export_characteristics",
    "export_summary",
    "extraction_differences",
    "extraction_form",
    "extractions",
    "import_characteristics",
    "require_sees",
    "set_extraction_form",
    "set_value",
    "set_values",
    "store_value",
    "studies",
    "studies_with_values",
    "study_values",
    "summarise_characteristics",
    "summaries",
]

CONSENSUS = "consensus"
_INCLUDED = {RecordState.INCLUDED, RecordState.RESOLVED_INCLUDED}


@dataclass(frozen=True, slots=True)
class Study:
    """A study of the review: its record and a short label ("Smith 2020, Title...")."""

    record_id: int
    label: str
    doi: str | None
    title: str | None
    year: int | None


def _named(extractor: object) -> str | None:
    """An extractor as given (an e-mail address in any case, or ``consensus``), normalised."""
    return extractor.strip().lower() or None if isinstance(extractor, str) else None


def _writing(arguments: Mapping[str, Any]) -> Action:
    """Writing one's own values is extracting; the consensus or another member's values is settling."""
    extractor = _named(arguments.get("extractor"))
    return Action.EXTRACT if extractor in (None, arguments["ctx"].actor) else Action.SETTLE_VALUES


def _extractor(session: Session, ctx: ReviewContext, given: str | None) -> str:
    """Whose values a write stores: the actor's, the consensus, or a member who may extract."""
    extractor = _named(given)
    if extractor is None or extractor in (ctx.actor, CONSENSUS):
        return extractor or ctx.actor
    try:
        member = review_context(session, review_id=ctx.review_id, email=extractor)
    except NotFoundError:
        raise ValidationError(f"{extractor} is not a member of review {ctx.review_id}") from None
    if not member.can(Action.EXTRACT):
        raise ValidationError(
            f"{member.actor} is {member.role} of review {ctx.review_id} and extracts no values"
        )
    return member.actor


def require_sees(ctx: ReviewContext, *extractors: str | None) -> None:
    """Refuse with ForbiddenError unless the actor may see each named extractor's values (blinding)."""
    for extractor in extractors:
        if extractor not in (None, CONSENSUS) and not ctx.sees(extractor, work=Work.EXTRACTION):
            raise ForbiddenError(f"blinding hides {extractor}'s values from {ctx.actor}")


def _form(session: Session, review_id: int) -> ExtractionForm:
    row = session.get(ExtractionFormRow, review_id)
    return ExtractionForm.from_json(row.fields) if row is not None else default_equity_form()


@reads(Action.VIEW_CHARACTERISTICS)
def extraction_form(session: Session, ctx: ReviewContext) -> ExtractionForm:
    """The review's form; the equity-focused realist default until an owner sets one."""
    return _form(session, ctx.review_id)


@mutation(Action.EDIT_FORM, audit="form.set", entity="review")
def set_extraction_form(session: Session, ctx: ReviewContext, *, form: ExtractionForm) -> ExtractionForm:
    """Replace the form; a field that already holds values cannot be dropped or change kind."""
    old = _form(session, ctx.review_id)
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


def _studies(session: Session, ctx: ReviewContext) -> list[Study]:
    states = record_states(session, review_id=ctx.review_id, setup=ctx.setup, stage=Stage.FULL_TEXT)
    ids = {record_id for record_id, state in states.items() if state in _INCLUDED}
    ids |= set(
        session.scalars(
            select(DocumentRow.record_id).where(
                DocumentRow.review_id == ctx.review_id, DocumentRow.record_id.is_not(None)
            )
        )
    )
    rows = session.scalars(select(RecordRow).where(RecordRow.id.in_(ids)).order_by(RecordRow.id))
    return [Study(row.id, _label(row), row.doi, row.title, row.year) for row in rows]


@reads(Action.VIEW_CHARACTERISTICS)
def studies(session: Session, ctx: ReviewContext) -> list[Study]:
    """Records included at full text, or with a full text attached, in record order."""
    return _studies(session, ctx)


def _settled(by_extractor: Mapping[str, Value]) -> Value:
    """The consensus, else the value every extractor who filled the field agrees on, else ``None``."""
    if CONSENSUS in by_extractor:
        return by_extractor[CONSENSUS]
    values = [v for v in by_extractor.values() if v not in (None, ())]
    if not values or not all(is_same_value(v, values[0]) for v in values):
        return None
    return values[0]


@dataclass(frozen=True, slots=True)
class Extractions:
    """A review's form, its studies and every extractor's latest value of each field, read once."""

    form: ExtractionForm
    studies: list[Study]
    #: record id -> field key -> extractor -> latest value
    latest: Mapping[int, Mapping[str, Mapping[str, Value]]]

    def values(self, record_id: int, extractor: str | None = None) -> dict[str, Value]:
        """One study's settled values (``extractor=None``) or one extractor's own values."""
        fields = self.latest.get(record_id, {})
        if extractor is None:
            return {key: _settled(by) for key, by in fields.items()}
        return {key: by[extractor] for key, by in fields.items() if extractor in by}

    def by_study(self, extractor: str | None = None) -> dict[int, dict[str, Value]]:
        """Per study (record id), :meth:`values`."""
        return {study.record_id: self.values(study.record_id, extractor) for study in self.studies}

    def rows(self) -> list[StudyRow]:
        """The studies with their settled values, as the sheet and the summary take them."""
        return [StudyRow(s.record_id, s.label, self.values(s.record_id)) for s in self.studies]

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


def _latest(
    session: Session, review_id: int, *, record_id: int | None = None
) -> dict[int, dict[str, dict[str, Value]]]:
    """Record -> field key -> extractor -> latest value (of every record, or of one)."""
    latest: dict[int, dict[str, dict[str, Value]]] = defaultdict(lambda: defaultdict(dict))
    query = select(ExtractionValueRow).where(ExtractionValueRow.review_id == review_id)
    if record_id is not None:
        query = query.where(ExtractionValueRow.record_id == record_id)
    for row in session.scalars(query.order_by(ExtractionValueRow.id)):
        value = tuple(row.value) if isinstance(row.value, list) else row.value
        latest[row.record_id][row.field_key][row.extractor] = value
    return latest


def extractions(session: Session, ctx: ReviewContext) -> Extractions:
    """The review's :class:`Extractions` (internal: no permission check; the caller made it)."""
    return Extractions(_form(session, ctx.review_id), _studies(session, ctx), _latest(session, ctx.review_id))


@reads(Action.VIEW_CHARACTERISTICS)
def studies_with_values(
    session: Session, ctx: ReviewContext, *, extractor: str | None = None
) -> list[tuple[Study, dict[str, Value]]]:
    """Each study with its settled values (``extractor=None``) or one extractor's own values."""
    require_sees(ctx, extractor)
    found = extractions(session, ctx)
    return [(study, found.values(study.record_id, extractor)) for study in found.studies]


@reads(Action.VIEW_CHARACTERISTICS)
def study_values(
    session: Session, ctx: ReviewContext, *, extractor: str | None = None
) -> dict[int, dict[str, Value]]:
    """Per study (record id): the settled values, or one extractor's own values."""
    require_sees(ctx, extractor)
    return extractions(session, ctx).by_study(extractor)


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


def _record(session: Session, ctx: ReviewContext, record_id: int) -> None:
    record = session.get(RecordRow, record_id)
    if record is None or record.review_id != ctx.review_id:
        raise NotFoundError(f"no record {record_id} in review {ctx.review_id}")


@mutation(_writing, audit="characteristics.value", entity="record", entity_id="record_id")
def set_value(
    session: Session,
    ctx: ReviewContext,
    *,
    record_id: int,
    field_key: str,
    raw: object,
    extractor: str | None = None,
    source: str = "realreview",
) -> Value:
    """Store one value after checking it against the form.

    The value is the actor's own (``extractor=None``), or with ``extractor=CONSENSUS`` the owner's
    settled value of the field for the study.
    """
    whose = _extractor(session, ctx, extractor)
    form_field = _form(session, ctx.review_id).field(field_key)
    _record(session, ctx, record_id)
    value = parse_value(form_field, raw)
    store_value(
        session, ctx, record_id=record_id, key=form_field.key, value=value, extractor=whose, source=source
    )
    audit.note(session, field=form_field.key, extractor=whose, source=source)
    return value


@dataclass(frozen=True, slots=True)
class ValuesSaved:
    """What :func:`set_values` stored (the fields that changed), or why it stored nothing."""

    stored: tuple[str, ...]
    errors: Mapping[str, str]


def _posted(value: object) -> object:
    """A form's value; a list is several ticked values (blanks dropped), joined as ``"a; b"``."""
    if isinstance(value, list | tuple):
        return "; ".join(str(v).strip() for v in value if str(v).strip())
    return value


@mutation(Action.EXTRACT, audit="characteristics.values", entity="record", entity_id="record_id")
def set_values(
    session: Session, ctx: ReviewContext, *, record_id: int, raw: Mapping[str, object]
) -> ValuesSaved:
    """Store the actor's values for a study from a posted form, all or nothing: every field is checked first.

    ``raw`` maps field keys to what was typed; a list holds several ticked values. Names that are no
    field of the form (a post's CSRF token) are left aside. Only fields whose value differs from what
    the actor has now are stored (values are append-only; a row per untouched field on every save
    would bury the real edits).
    """
    form = _form(session, ctx.review_id)
    _record(session, ctx, record_id)
    latest = _latest(session, ctx.review_id, record_id=record_id)
    own = Extractions(form, [], latest).values(record_id, ctx.actor)
    changed: dict[str, Value] = {}
    errors: dict[str, str] = {}
    for form_field in form.fields:
        if form_field.key not in raw:
            continue
        try:
            parsed = parse_value(form_field, _posted(raw[form_field.key]))
        except ValidationError as error:
            errors[form_field.key] = str(error)
            continue
        if not is_same_value(parsed, own.get(form_field.key)):
            changed[form_field.key] = parsed
    if errors:
        return ValuesSaved((), errors)
    for key, value in changed.items():
        store_value(
            session, ctx, record_id=record_id, key=key, value=value, extractor=ctx.actor, source="realreview"
        )
    audit.note(session, fields=sorted(changed))
    return ValuesSaved(tuple(changed), {})


@reads(Action.VIEW_CHARACTERISTICS)
def extraction_differences(
    session: Session, ctx: ReviewContext, *, first: str, second: str
) -> dict[int, tuple[FieldDifference, ...]]:
    """Per study, the fields two extractors filled differently and no consensus has settled yet."""
    require_sees(ctx, first, second)
    return extractions(session, ctx).differences(first, second)


@reads(Action.EXPORT_TABLES)
def export_characteristics(session: Session, ctx: ReviewContext) -> bytes:
    """The settled characteristics as an XLSX sheet, a row per study, with validation lists."""
    found = extractions(session, ctx)
    return write_sheet(found.form, found.rows())


@mutation(_writing, audit="characteristics.import", entity="review")
def import_characteristics(
    session: Session,
    ctx: ReviewContext,
    *,
    data: bytes,
    name: str,
    extractor: str | None = None,
    max_bytes: int | None = None,
) -> SheetImport:
    """Apply an edited sheet: valid changed cells are stored, the rest is reported.

    The values are the actor's own, or ``extractor``'s: the consensus, or a member whose sheet an
    owner enters for them.

    Raises:
        FileTooLargeError: ``data`` is longer than ``max_bytes``.
        InputError: the file is no sheet RealReview can read.
    """
    whose = _extractor(session, ctx, extractor)
    if max_bytes is not None and len(data) > max_bytes:
        raise FileTooLargeError(f"{name}: larger than {max_bytes // 2**20} MiB")
    found = extractions(session, ctx)
    report = read_sheet(data, found.form, current=found.by_study(), name=name)
    for change in report.changes:
        store_value(
            session,
            ctx,
            record_id=change.record_id,
            key=change.key,
            value=change.new,
            extractor=whose,
            source=f"xlsx:{name}",
        )
    audit.note(
        session,
        entity_id=ctx.review_id,
        file=name,
        extractor=whose,
        changes=len(report.changes),
        rejected=len(report.rejected),
    )
    return report


def summaries(session: Session, ctx: ReviewContext) -> tuple[FieldSummary, ...]:
    """The summary (internal: no permission check; the caller made it)."""
    found = extractions(session, ctx)
    return summarise(found.form, found.rows())


@reads(Action.VIEW_CHARACTERISTICS)
def summarise_characteristics(session: Session, ctx: ReviewContext) -> tuple[FieldSummary, ...]:
    """Counts per value of each choice, country and year field: the figures a results section states."""
    return summaries(session, ctx)


@reads(Action.EXPORT_TABLES)
def export_summary(session: Session, ctx: ReviewContext) -> str:
    """The summary tables as one CSV (``field``, ``value``, ``studies``)."""
    return summary_csv(summaries(session, ctx))
