"""Rayyan's screening decisions, replayed as decision events when a Rayyan export is imported.

The importer keeps Rayyan's notes as structured raw fields (:mod:`realreview.formats.rayyan`):
``rayyan:inclusion:<reviewer>`` (Included / Excluded / Maybe), ``rayyan:label``,
``rayyan:exclusion-reason`` and ``rayyan:note``. Each reviewer's verdict becomes one title/abstract
decision event attributed to that reviewer as Rayyan names them (``rayyan:Emily``: a name, not an
account here), with the record's labels as tags, its reasons on exclusions and its notes; the source
says ``import:rayyan``. They are history brought in, so the review's vocabularies do not filter them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.screening import Event, Stage
from realreview.services import audit
from realreview.storage.models import RecordRow, ScreeningEventRow

__all__ = ["replay_rayyan_decisions"]

_VERDICTS = {"included": Event.INCLUDE, "excluded": Event.EXCLUDE, "maybe": Event.MAYBE}
_PREFIX = "rayyan:inclusion:"


def replay_rayyan_decisions(session: Session, *, review_id: int, import_file_id: int) -> int:
    """Add a decision event per reviewer verdict found in one import's records; returns how many.

    Part of :func:`realreview.services.imports.import_export`, whose audit row counts them.
    """
    rows = session.execute(
        select(RecordRow.id, RecordRow.raw).where(
            RecordRow.review_id == review_id, RecordRow.import_file_id == import_file_id
        )
    ).all()
    added = 0
    for record_id, raw in rows:
        verdicts = [(tag[len(_PREFIX) :], value) for tag, value in raw if tag.startswith(_PREFIX)]
        if not verdicts:
            continue
        labels = [value for tag, value in raw if tag == "rayyan:label"]
        reasons = [value for tag, value in raw if tag == "rayyan:exclusion-reason"]
        notes = "; ".join(value for tag, value in raw if tag == "rayyan:note") or None
        for reviewer, verdict in verdicts:
            event = _VERDICTS.get(verdict.strip().lower())
            if event is None:
                continue
            session.add(
                ScreeningEventRow(
                    review_id=review_id,
                    record_id=record_id,
                    stage=Stage.TITLE_ABSTRACT.value,
                    reviewer=f"rayyan:{reviewer}",
                    event=event.value,
                    reasons=reasons if event is Event.EXCLUDE else [],
                    tags=labels,
                    note=notes,
                    source="import:rayyan",
                )
            )
            added += 1
    if added:
        audit.note(session, rayyan_decisions=added)
    return added
