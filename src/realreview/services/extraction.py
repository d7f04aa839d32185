"""Use cases that store extracted values: one value, a study's form, an uploaded sheet, the owner's settling.

Whose values a write stores decides the permission it needs: one's own values need ``EXTRACT``; the
consensus, or a sheet an owner enters on another member's behalf, needs ``SETTLE_VALUES``. An
uploaded sheet becomes the values of the person it is stored for: each cell is compared with *their*
current value (not the study's settled one), so a reviewer who fills in a sheet ends with every
value it holds, and the report lists each cell that changed or was refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.characteristics import SheetImport, Standing, Value, is_same_value, parse_value, read_sheet
from realreview.errors import FileTooLargeError, NotFoundError, ValidationError
from realreview.fulltext import ParseLimits
from realreview.services import audit
from realreview.services.audit import mutation
from realreview.services.characteristics import (
    CONSENSUS,
    Extractions,
    extractions,
    form_of,
    latest_values,
    named,
    store_value,
)
from realreview.services.context import ReviewContext, review_context
from realreview.storage.models import RecordRow

__all__ = [
    "ValuesSaved",
    "import_characteristics",
    "set_value",
    "set_values",
    "settle_agreed_values",
]


def _writing(arguments: Mapping[str, Any]) -> Action:
    """Writing one's own values is extracting; the consensus or another member's values is settling."""
    extractor = named(arguments.get("extractor"))
    return Action.EXTRACT if extractor in (None, arguments["ctx"].actor) else Action.SETTLE_VALUES


def _extractor(session: Session, ctx: ReviewContext, given: str | None) -> str:
    """Whose values a write stores: the actor's, the consensus, or a member who may extract."""
    extractor = named(given)
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
    form_field = form_of(session, ctx.review_id).field(field_key)
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
    form = form_of(session, ctx.review_id)
    _record(session, ctx, record_id)
    own = Extractions(form, [], latest_values(session, ctx.review_id, record_id=record_id)).values(
        record_id, ctx.actor
    )
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


@mutation(_writing, audit="characteristics.import", entity="review")
def import_characteristics(
    session: Session,
    ctx: ReviewContext,
    *,
    data: bytes,
    name: str,
    extractor: str | None = None,
    max_bytes: int | None = None,
    limits: ParseLimits | None = None,
) -> SheetImport:
    """Apply an edited sheet as someone's values: each cell that differs from *their* value is stored.

    The values are the actor's own, or ``extractor``'s: the consensus, or a member whose sheet an
    owner enters for them. A cell is compared with that person's current value of the field, never
    with the study's settled value or a colleague's, so an uploaded sheet becomes theirs in full and
    the report's "was" is their own earlier value.

    Raises:
        FileTooLargeError: ``data`` is longer than ``max_bytes``.
        InputError: the file is no sheet RealReview can read.
    """
    whose = _extractor(session, ctx, extractor)
    if max_bytes is not None and len(data) > max_bytes:
        raise FileTooLargeError(f"{name}: larger than {max_bytes // 2**20} MiB")
    found = extractions(session, ctx)  # whose values are the actor's to see: theirs, or an owner's choice
    report = read_sheet(data, found.form, current=found.by_study(whose), name=name, limits=limits)
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


@mutation(Action.SETTLE_VALUES, audit="characteristics.settle_agreed", entity="review")
def settle_agreed_values(session: Session, ctx: ReviewContext) -> int:
    """Settle every value that needs no reconciliation: the extractors agree, or the review has one.

    Each becomes the consensus, so that colleagues who are blinded see it too; values that differ,
    or that only one of several extractors entered, stay for the owner to settle one by one.
    Returns how many values were settled.
    """
    found = extractions(session, ctx)
    settled = 0
    for study in found.studies:
        for key, standing in found.standings(study.record_id).items():
            if standing.standing in (Standing.AGREED, Standing.SOLE):
                store_value(
                    session,
                    ctx,
                    record_id=study.record_id,
                    key=key,
                    value=standing.value,
                    extractor=CONSENSUS,
                    source="agreement",
                )
                settled += 1
    audit.note(session, entity_id=ctx.review_id, settled=settled)
    return settled
