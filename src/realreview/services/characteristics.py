"""Use cases for study characteristics: the review's extraction form, values, reconciliation, XLSX.

The studies are the records included at full text, plus any record with a full text attached (a team
may extract while screening is still under way). Values are append-only
(:class:`~realreview.storage.models.ExtractionValueRow`): each extractor's latest value of a field is
theirs; an owner's reconciled value is stored under the extractor ``consensus`` and is the study's
value from then on. Without a consensus, a field two extractors agree on (or only one filled) counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    write_sheet,
)
from realreview.errors import NotFoundError, ValidationError
from realreview.screening import RecordState, Stage
from realreview.services.reviews import get_review
from realreview.services.screening import record_states
from realreview.storage import queries
from realreview.storage.models import DocumentRow, ExtractionFormRow, ExtractionValueRow, RecordRow

__all__ = [
    "CONSENSUS",
    "Study",
    "extraction_form",
    "extraction_differences",
    "export_characteristics",
    "import_characteristics",
    "set_extraction_form",
    "set_value",
    "set_values",
    "ValuesSaved",
    "studies",
    "studies_with_values",
    "study_values",
    "summarise_characteristics",
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


def extraction_form(session: Session, *, review_id: int) -> ExtractionForm:
    """The review's form; the equity-focused realist default until an owner sets one."""
    row = session.get(ExtractionFormRow, review_id)
    return ExtractionForm.from_json(row.fields) if row is not None else default_equity_form()


def set_extraction_form(
    session: Session, *, review_id: int, form: ExtractionForm, actor: str
) -> ExtractionForm:
    """Replace the form; a field that already holds values cannot be dropped or change kind."""
    get_review(session, review_id=review_id)
    old = extraction_form(session, review_id=review_id)
    used = set(
        session.scalars(select(ExtractionValueRow.field_key).where(ExtractionValueRow.review_id == review_id))
    )
    new_keys = {f.key: f for f in form.fields}
    for field in old.fields:
        if field.key in used and (field.key not in new_keys or new_keys[field.key].kind != field.kind):
            raise ValidationError(
                f"field {field.key!r} already holds values; it cannot be removed or change its kind"
            )
    row = session.get(ExtractionFormRow, review_id)
    if row is None:
        row = ExtractionFormRow(review_id=review_id, fields=form.to_json(), updated_by=actor)
        session.add(row)
    else:
        row.fields, row.updated_by = form.to_json(), actor
    queries.add_audit(
        session,
        actor=actor,
        action="form.set",
        entity="review",
        entity_id=review_id,
        review_id=review_id,
        details={"before": old.to_json(), "after": form.to_json()},
    )
    return form


def _label(row: RecordRow) -> str:
    first = row.authors[0][0] if row.authors and row.authors[0] else "Anon"
    title = (row.title or "untitled")[:60]
    return f"{first} {row.year or 'n.d.'}: {title}"


def studies(session: Session, *, review_id: int) -> list[Study]:
    """Records included at full text, or with a full text attached, in record order."""
    states = record_states(session, review_id=review_id, stage=Stage.FULL_TEXT)
    ids = {record_id for record_id, state in states.items() if state in _INCLUDED}
    ids |= set(
        session.scalars(
            select(DocumentRow.record_id).where(
                DocumentRow.review_id == review_id, DocumentRow.record_id.is_not(None)
            )
        )
    )
    rows = session.scalars(select(RecordRow).where(RecordRow.id.in_(ids)).order_by(RecordRow.id))
    return [Study(row.id, _label(row), row.doi, row.title, row.year) for row in rows]


def _latest(session: Session, review_id: int) -> dict[int, dict[str, dict[str, Value]]]:
    """Record -> field -> extractor -> latest value."""
    found: dict[int, dict[str, dict[str, Value]]] = defaultdict(lambda: defaultdict(dict))
    for row in session.scalars(
        select(ExtractionValueRow)
        .where(ExtractionValueRow.review_id == review_id)
        .order_by(ExtractionValueRow.id)
    ):
        value = tuple(row.value) if isinstance(row.value, list) else row.value
        found[row.record_id][row.field_key][row.extractor] = value
    return found


def _settled(by_extractor: Mapping[str, Value]) -> Value:
    """The consensus, else the value every extractor who filled the field agrees on, else ``None``."""
    if CONSENSUS in by_extractor:
        return by_extractor[CONSENSUS]
    values = [v for v in by_extractor.values() if v not in (None, ())]
    if not values or not all(is_same_value(v, values[0]) for v in values):
        return None
    return values[0]


def studies_with_values(
    session: Session, *, review_id: int, extractor: str | None = None
) -> list[tuple[Study, dict[str, Value]]]:
    """Each study with its settled values (``extractor=None``) or one extractor's own values."""
    latest = _latest(session, review_id)
    found = []
    for study in studies(session, review_id=review_id):
        fields = latest.get(study.record_id, {})
        if extractor is None:
            values = {key: _settled(by) for key, by in fields.items()}
        else:
            values = {key: by[extractor] for key, by in fields.items() if extractor in by}
        found.append((study, values))
    return found


def study_values(
    session: Session, *, review_id: int, extractor: str | None = None
) -> dict[int, dict[str, Value]]:
    """Per study (record id): the settled values, or one extractor's own values."""
    return {
        study.record_id: values
        for study, values in studies_with_values(session, review_id=review_id, extractor=extractor)
    }


def set_value(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    field_key: str,
    raw: object,
    extractor: str,
    actor: str,
    source: str = "realreview",
) -> Value:
    """Store one extractor's value (``extractor=CONSENSUS`` reconciles) after checking it against the form."""
    form = extraction_form(session, review_id=review_id)
    field = form.field(field_key)
    record = session.get(RecordRow, record_id)
    if record is None or record.review_id != review_id:
        raise NotFoundError(f"no record {record_id} in review {review_id}")
    value = parse_value(field, raw)
    session.add(
        ExtractionValueRow(
            review_id=review_id,
            record_id=record_id,
            field_key=field.key,
            extractor=extractor,
            value=list(value) if isinstance(value, tuple) else value,
            by=actor,
            source=source,
        )
    )
    session.flush()
    return value


@dataclass(frozen=True, slots=True)
class ValuesSaved:
    """What :func:`set_values` stored (the fields that changed), or why it stored nothing."""

    stored: tuple[str, ...]
    errors: Mapping[str, str]


def set_values(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    raw: Mapping[str, object],
    extractor: str,
    actor: str,
) -> ValuesSaved:
    """Store one extractor's values for a study, all or nothing: every field is checked first.

    Only fields whose value differs from what the extractor has now are stored (values are
    append-only; a row per untouched field on every save would bury the real edits).
    """
    form = extraction_form(session, review_id=review_id)
    own = study_values(session, review_id=review_id, extractor=extractor).get(record_id, {})
    changed: dict[str, object] = {}
    errors: dict[str, str] = {}
    for key, value in raw.items():
        try:
            parsed = parse_value(form.field(key), value)
        except ValidationError as error:
            errors[key] = str(error)
            continue
        if not is_same_value(parsed, own.get(key)):
            changed[key] = value
    if errors:
        return ValuesSaved((), errors)
    for key, value in changed.items():
        set_value(
            session,
            review_id=review_id,
            record_id=record_id,
            field_key=key,
            raw=value,
            extractor=extractor,
            actor=actor,
        )
    return ValuesSaved(tuple(changed), {})


def extraction_differences(
    session: Session, *, review_id: int, first: str, second: str
) -> dict[int, tuple[FieldDifference, ...]]:
    """Per study, the fields two extractors filled differently and no consensus has settled yet."""
    form = extraction_form(session, review_id=review_id)
    latest = _latest(session, review_id)
    result: dict[int, tuple[FieldDifference, ...]] = {}
    for record_id, fields in latest.items():
        a = {key: by[first] for key, by in fields.items() if first in by and CONSENSUS not in by}
        b = {key: by[second] for key, by in fields.items() if second in by and CONSENSUS not in by}
        differences = compare_extractions(form, a, b)
        if differences:
            result[record_id] = differences
    return result


def _rows(session: Session, review_id: int) -> list[StudyRow]:
    return [
        StudyRow(s.record_id, s.label, values)
        for s, values in studies_with_values(session, review_id=review_id)
    ]


def export_characteristics(session: Session, *, review_id: int) -> bytes:
    """The settled characteristics as an XLSX sheet, a row per study, with validation lists."""
    return write_sheet(extraction_form(session, review_id=review_id), _rows(session, review_id))


def import_characteristics(
    session: Session, *, review_id: int, data: bytes, name: str, extractor: str, actor: str
) -> SheetImport:
    """Apply an edited sheet: valid changed cells are stored for ``extractor``; the rest is reported."""
    form = extraction_form(session, review_id=review_id)
    report = read_sheet(data, form, current=study_values(session, review_id=review_id), name=name)
    for change in report.changes:
        session.add(
            ExtractionValueRow(
                review_id=review_id,
                record_id=change.record_id,
                field_key=change.key,
                extractor=extractor,
                value=list(change.new) if isinstance(change.new, tuple) else change.new,
                by=actor,
                source=f"xlsx:{name}",
            )
        )
    session.flush()
    queries.add_audit(
        session,
        actor=actor,
        action="characteristics.import",
        entity="review",
        entity_id=review_id,
        review_id=review_id,
        details={"file": name, "changes": len(report.changes), "rejected": len(report.rejected)},
    )
    return report


def summarise_characteristics(session: Session, *, review_id: int) -> tuple[FieldSummary, ...]:
    """Counts per value of each choice, country and year field: the figures a results section states."""
    return summarise(extraction_form(session, review_id=review_id), _rows(session, review_id))
