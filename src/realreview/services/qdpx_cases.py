"""Study characteristics in REFI-QDA: a Variable per form field, a Case per study.

Each case carries the variable ``RealReview study`` (the study's DOI, else its title and year), so
that importing the project into another review that holds the same records finds each study again;
a case without it is matched by its name against the studies' labels. Values are stored for the
importing person, as if they had typed them.

Both functions are internal parts of :mod:`.qdpx`'s export and import, which check the permission
and write the audit row.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.characteristics import FieldKind, format_value, parse_value
from realreview.coding.qda import QdaCase, QdaProject, QdaVariable
from realreview.dedup.keys import title_key
from realreview.errors import ValidationError
from realreview.services.characteristics import extractions, store_value
from realreview.services.context import ReviewContext
from realreview.storage.models import DocumentRow, RecordRow

__all__ = ["STUDY_VARIABLE", "CasesImport", "export_cases", "import_cases"]

STUDY_VARIABLE = "RealReview study"
_NAMESPACE = uuid.UUID("5b0c1f4e-7d0c-4c57-9d5e-2a4ad1f0a002")
_TYPES = {FieldKind.YEAR: "Integer", FieldKind.NUMBER: "Float"}


@dataclass(frozen=True, slots=True)
class CasesImport:
    """How many studies took values from the project's cases, and what was left aside."""

    updated: int
    notes: tuple[str, ...]


def _study_key(doi: str | None, title: str | None, year: int | None) -> str:
    if doi:
        return f"doi:{doi.lower()}"
    return f"title:{title_key(title) or ''}|{year or ''}"


class _Document(Protocol):
    """What a case needs of a document: its record and its REFI-QDA guid."""

    @property
    def record_id(self) -> int | None: ...

    @property
    def guid(self) -> str: ...


def export_cases(
    session: Session, ctx: ReviewContext, *, documents: Sequence[_Document]
) -> tuple[tuple[QdaVariable, ...], tuple[QdaCase, ...]]:
    """Variables for the form's fields and a case per study with settled values or documents."""
    found = extractions(session, ctx)
    form = found.form
    variables = [QdaVariable(str(uuid.uuid5(_NAMESPACE, STUDY_VARIABLE)), STUDY_VARIABLE, "Text")]
    variables += [
        QdaVariable(str(uuid.uuid5(_NAMESPACE, f"field:{f.key}")), f.label, _TYPES.get(f.kind, "Text"))
        for f in form.fields
    ]
    by_label = {v.name: v.guid for v in variables}
    documents_of: dict[int, list[str]] = {}
    for document in documents:
        if document.record_id is not None:
            documents_of.setdefault(document.record_id, []).append(document.guid)
    cases = []
    for study in found.studies:
        own = found.values(study.record_id)
        if not own and study.record_id not in documents_of:
            continue
        key = _study_key(study.doi, study.title, study.year)
        case_values: list[tuple[str, str | int | float | bool | None]] = [(by_label[STUDY_VARIABLE], key)]
        for field in form.fields:
            value = own.get(field.key)
            if value in (None, ()):
                continue
            typed = value if field.kind in _TYPES else format_value(field, value)
            case_values.append((by_label[field.label], typed))  # type: ignore[arg-type]
        cases.append(
            QdaCase(
                # From the study, not the row id: the same study has the same case in every review.
                guid=str(uuid.uuid5(_NAMESPACE, f"study:{key}")),
                name=study.label,
                values=tuple(case_values),
                source_guids=tuple(documents_of.get(study.record_id, ())),
            )
        )
    return tuple(variables), tuple(cases)


def import_cases(
    session: Session, ctx: ReviewContext, *, project: QdaProject, document_ids: Mapping[str, int]
) -> CasesImport:
    """Store the values of each case whose study is in the review as the actor's, and link its documents."""
    if not project.cases:
        return CasesImport(0, ())
    found = extractions(session, ctx)
    form = found.form
    fields = {f.label.casefold(): f for f in form.fields} | {f.key: f for f in form.fields}
    variables = {v.guid: v for v in project.variables}
    records = list(session.scalars(select(RecordRow).where(RecordRow.review_id == ctx.review_id)))
    by_key = {_study_key(r.doi, r.title, r.year): r.id for r in records}
    by_label = {s.label: s.record_id for s in found.studies}
    notes: list[str] = []
    updated = 0
    for case in project.cases:
        named = {variables[guid].name: value for guid, value in case.values if guid in variables}
        record_id = by_key.get(str(named.get(STUDY_VARIABLE))) or by_label.get(case.name)
        if record_id is None:
            notes.append(f"case {case.name!r}: no such study in this review; its values were not imported")
            continue
        for guid in case.source_guids:
            document = session.get(DocumentRow, document_ids.get(guid, -1))
            if document is not None and document.record_id is None:
                document.record_id = record_id
        stored = 0
        for name, value in named.items():
            field = fields.get(name.casefold())
            if field is None:
                if name != STUDY_VARIABLE:
                    notes.append(f"case {case.name!r}: variable {name!r} is not a field of the form; skipped")
                continue
            try:
                parsed = parse_value(field, value)
            except ValidationError as error:
                notes.append(f"case {case.name!r}: {error}")
                continue
            store_value(
                session,
                ctx,
                record_id=record_id,
                key=field.key,
                value=parsed,
                extractor=ctx.actor,
                source="qdpx",
            )
            stored += 1
        updated += bool(stored)
    session.flush()
    return CasesImport(updated, tuple(notes))
