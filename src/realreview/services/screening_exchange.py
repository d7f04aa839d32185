"""Screening decisions as CSV: the whole trail out (calls, resolutions, reopenings), and validated in again.

One file carries the trail: each reviewer's decision events and each owner's resolution of a
conflict (``resolve_include`` / ``resolve_exclude``, its note and who resolved) or reopening of
one (``reopen``), oldest first. Importing it replays them through the same checks as the screens;
a row already stored (same record, stage, person, act, time, reasons, tags and note) is skipped, so
importing one file twice adds nothing.

The file is written by :func:`decisions_csv` with every cell that a spreadsheet would run defused
(``'=...``, :func:`realreview.tables.csv_text`) and read by :func:`read_decisions_csv`, which is
strict: an unterminated quote, a short or long line, or a missing column stops it with the line
named, the defusing quote comes off again, and control characters (NUL and the other C0 characters
but tab and line ends, which PostgreSQL refuses and SQLite would store) are removed with a note.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.errors import NotFoundError, ReviewError, ValidationError
from realreview.records import remove_control_characters
from realreview.screening import DecisionEvent, Event, Stage, Verdict
from realreview.services import audit
from realreview.services.audit import mutation, reads
from realreview.services.context import ReviewContext, review_context
from realreview.services.screening import _store_event, reopen_conflict, resolve_conflict
from realreview.services.screening_state import REOPENED
from realreview.storage.models import ScreeningEventRow, ScreeningResolutionRow
from realreview.tables import Table, csv_untext, to_csv

__all__ = [
    "EXPORT_COLUMNS",
    "RESOLUTION_EVENTS",
    "DecisionsFile",
    "decisions_csv",
    "export_decisions",
    "import_decisions",
    "read_decisions_csv",
]

EXPORT_COLUMNS = ("record_id", "stage", "reviewer", "event", "reasons", "tags", "note", "at", "source")

#: The ``event`` column's values for an owner's acts on a conflict, and the stored verdict of each.
RESOLUTION_EVENTS = {
    "resolve_include": Verdict.INCLUDE.value,
    "resolve_exclude": Verdict.EXCLUDE.value,
    "reopen": REOPENED,
}
_EVENT_OF_VERDICT = {verdict: event for event, verdict in RESOLUTION_EVENTS.items()}


def _utc(moment: dt.datetime) -> dt.datetime:
    """A stored or parsed time as an aware UTC time (SQLite hands back naive UTC times)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


@reads(Action.EXPORT_DECISIONS)
def export_decisions(session: Session, ctx: ReviewContext) -> list[dict[str, str]]:
    """Every decision event and resolution the actor may see, oldest first, as CSV rows.

    Blinding applies through the context: a blinded reviewer or viewer gets their own events only
    (and no resolution, which would tell them a colleague disagreed); the command line acts as the
    owner and gets all of them.
    """
    query = select(ScreeningEventRow).where(ScreeningEventRow.review_id == ctx.review_id)
    if not ctx.sees():
        query = query.where(ScreeningEventRow.reviewer == ctx.actor)
    rows: list[tuple[dt.datetime, int, dict[str, str]]] = [
        (
            _utc(row.at),
            0,
            {
                "record_id": str(row.record_id),
                "stage": row.stage,
                "reviewer": row.reviewer,
                "event": row.event,
                "reasons": "; ".join(row.reasons),
                "tags": "; ".join(row.tags),
                "note": row.note or "",
                "at": _utc(row.at).isoformat(),
                "source": row.source,
            },
        )
        for row in session.scalars(query.order_by(ScreeningEventRow.id))
        if ctx.sees(row.reviewer)
    ]
    if ctx.sees():
        resolutions = session.scalars(
            select(ScreeningResolutionRow)
            .where(ScreeningResolutionRow.review_id == ctx.review_id)
            .order_by(ScreeningResolutionRow.id)
        )
        rows += [
            (
                _utc(row.at),
                1,
                {
                    "record_id": str(row.record_id),
                    "stage": row.stage,
                    "reviewer": row.owner,
                    "event": _EVENT_OF_VERDICT[row.verdict],
                    "reasons": "",
                    "tags": "",
                    "note": row.note or "",
                    "at": _utc(row.at).isoformat(),
                    "source": "resolution",
                },
            )
            for row in resolutions
        ]
    rows.sort(key=lambda item: (item[0], item[1]))
    return [row for _at, _kind, row in rows]


def decisions_csv(rows: Iterable[dict[str, str]], *, raw: bool = False) -> str:
    """Rows of :func:`export_decisions` as CSV text; formula-like cells get a ``'`` unless ``raw``."""
    table = Table(EXPORT_COLUMNS, [[row.get(column, "") for column in EXPORT_COLUMNS] for row in rows])
    return to_csv(table, defuse_formulas=not raw)


@dataclass(slots=True)
class DecisionsFile:
    """A decisions CSV read by :func:`read_decisions_csv`: ``(line, row)`` pairs and the repairs made."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_REQUIRED = ("record_id", "stage", "reviewer", "event")


def read_decisions_csv(text: str) -> DecisionsFile:
    """Read a decisions CSV strictly, naming the line of the first thing wrong with it.

    Raises:
        ValidationError: ``line N: ...`` for a missing column, an unterminated quote or other broken
            quoting, or a line with more or fewer fields than the header.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True)
    found = DecisionsFile()
    header: list[str] | None = None
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ValidationError(_broken_quoting(start, reader.line_num, error)) from None
        end = reader.line_num
        if header is None:
            header = [cell.strip() for cell in cells]
            missing = [name for name in _REQUIRED if name not in header]
            if missing:
                raise ValidationError(f"line {start}: missing column(s) {', '.join(sorted(missing))}")
        elif cells:
            found.rows.append((start, _cells(start, header, cells, found.notes)))
    if header is None:
        raise ValidationError("line 1: the file is empty; expected a header with " + ", ".join(_REQUIRED))
    return found


def _broken_quoting(start: int, stop: int, error: csv.Error) -> str:
    if "unexpected end of data" in str(error):
        return f"line {start}: unterminated quote (a quoted field starts on this line and never closes)"
    if stop > start:
        return (
            f"line {start}: a quoted field starting on this line runs on to line {stop} and breaks "
            f"there ({error}); an unterminated quote?"
        )
    return f"line {start}: broken quoting ({error})"


def _cells(line: int, header: list[str], cells: list[str], notes: list[str]) -> dict[str, str]:
    if len(cells) != len(header):
        raise ValidationError(
            f"line {line}: {len(cells)} field(s) where the header has {len(header)} "
            f"({'a short line' if len(cells) < len(header) else 'an extra comma?'})"
        )
    row: dict[str, str] = {}
    for name, cell in zip(header, cells, strict=True):
        value, removed = remove_control_characters(cell)
        if removed:
            notes.append(f"line {line}: removed control character(s) {removed} from {name}")
        row[name] = csv_untext(value)
    return row


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    record_id: int
    stage: Stage
    person: str
    event: str
    at: dt.datetime
    reasons: tuple[str, ...]
    tags: tuple[str, ...]
    note: str | None


def _parse(line: int, row: dict[str, str]) -> _Row:
    try:
        event = (row["event"] or "").strip()
        if event not in RESOLUTION_EVENTS:
            event = Event(event).value
        return _Row(
            line,
            int(row["record_id"]),
            Stage((row["stage"] or "").strip()),
            (row["reviewer"] or "").strip().lower(),
            event,
            _parse_time(row.get("at")),
            _split(row.get("reasons")),
            _split(row.get("tags")),
            (row.get("note") or "").strip() or None,
        )
    except (KeyError, ValueError, AttributeError, TypeError) as error:
        raise ValidationError(f"line {line}: {_describe(error)}") from error


def _stored_keys(session: Session, ctx: ReviewContext) -> set[tuple[object, ...]]:
    """What is already stored, in the form of an imported row, so a re-import skips it."""
    keys: set[tuple[object, ...]] = {
        (r.record_id, r.stage, r.reviewer, r.event, _utc(r.at), tuple(r.reasons), tuple(r.tags), r.note)
        for r in session.scalars(
            select(ScreeningEventRow).where(ScreeningEventRow.review_id == ctx.review_id)
        )
    }
    keys |= {
        (r.record_id, r.stage, r.owner, _EVENT_OF_VERDICT[r.verdict], _utc(r.at), (), (), r.note)
        for r in session.scalars(
            select(ScreeningResolutionRow).where(ScreeningResolutionRow.review_id == ctx.review_id)
        )
    }
    return keys


@mutation(Action.IMPORT_DECISIONS, audit="screening.import", entity="review")
def import_decisions(
    session: Session, ctx: ReviewContext, *, rows: Iterable[tuple[int, dict[str, str]]], source: str
) -> int:
    """Store decision events and resolutions from ``(line number, CSV row)`` pairs; the number stored.

    Each event is the named person's, who must be a member allowed to screen (to resolve, for a
    resolution or reopening). The first bad row stops the import and the caller's transaction makes
    it all or nothing; rows already stored are skipped.
    """
    stored = skipped = 0
    contexts: dict[str, ReviewContext] = {}
    known = _stored_keys(session, ctx)
    for line, raw in rows:
        row = _parse(line, raw)
        key = (row.record_id, row.stage.value, row.person, row.event, row.at, row.reasons, row.tags, row.note)
        if key in known:
            skipped += 1
            continue
        person = _member(session, ctx, contexts, row)
        try:
            if row.event in RESOLUTION_EVENTS:
                _resolution(session, person, row)
            else:
                decision = DecisionEvent(
                    row.record_id,
                    row.stage,
                    row.person,
                    Event(row.event),
                    row.at,
                    row.reasons,
                    row.tags,
                    row.note,
                )
                _store_event(session, person, decision=decision, source=source)
        except ReviewError as error:
            raise ValidationError(f"line {line}: {error}") from error
        known.add(key)
        stored += 1
    audit.note(session, entity_id=ctx.review_id, decisions=stored, skipped=skipped, source=source)
    return stored


def _member(
    session: Session, ctx: ReviewContext, contexts: dict[str, ReviewContext], row: _Row
) -> ReviewContext:
    """The review context of the row's reviewer or owner, checked for the act the row records."""
    action = Action.RESOLVE_CONFLICTS if row.event in RESOLUTION_EVENTS else Action.SCREEN
    try:
        if row.person not in contexts:
            contexts[row.person] = review_context(session, review_id=ctx.review_id, email=row.person)
        contexts[row.person].require(action)
    except NotFoundError:
        raise ValidationError(
            f"line {row.line}: {row.person} is not a member of review {ctx.review_id}; "
            f"add them with: realreview members add {row.person} --role reviewer"
        ) from None
    except ReviewError as error:
        raise ValidationError(f"line {row.line}: {error}") from error
    return contexts[row.person]


def _resolution(session: Session, owner: ReviewContext, row: _Row) -> None:
    if row.event == "reopen":
        reopen_conflict(session, owner, record_id=row.record_id, stage=row.stage, note=row.note, at=row.at)
    else:
        verdict = Verdict(RESOLUTION_EVENTS[row.event])
        resolve_conflict(
            session,
            owner,
            record_id=row.record_id,
            stage=row.stage,
            verdict=verdict,
            note=row.note,
            at=row.at,
        )


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(";") if part.strip())


def _parse_time(text: str | None) -> dt.datetime:
    if not text or not text.strip():
        return dt.datetime.now(dt.UTC)
    return _utc(dt.datetime.fromisoformat(text.strip()))


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing column {error.args[0]!r} (columns: {', '.join(EXPORT_COLUMNS)})"
    if isinstance(error, AttributeError | TypeError):
        return "the line has fewer columns than the header"
    return str(error)
