"""The dual-screening sample, drawn once and stored: first at setup, then for each import as it arrives.

A protocol's random sample must not move. It is therefore stored (``screening_sample``) instead of
redrawn from whatever records exist: dedup merges and unmerges change which records are screened,
never which are in the sample; an import adds ``ceil(fraction * n)`` of its ``n`` new records by
the same fraction, drawn with a seed derived from the review's seed and the import, so anyone can
redraw it. Changing the fraction later tops the sample up, or shrinks it by records that no second
reviewer has screened yet; it never drops a record already screened twice.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from realreview.screening import Allocation, ScreeningSetup, Stage, dual_sample
from realreview.services.screening_state import stage_record_ids, standing_callers
from realreview.storage.audit import check_audited
from realreview.storage.models import RecordRow, ScreeningSampleRow

__all__ = ["SampleChange", "change_sample", "draw_for_import", "preview_sample_change", "stored_sample"]


@dataclass(frozen=True, slots=True)
class SampleChange:
    """What a new fraction does to the stored sample."""

    before: int
    after: int
    added: int
    removed: int
    #: Records that a smaller fraction would drop but that two reviewers have already screened.
    kept_screened: int
    records: int

    @property
    def changed(self) -> bool:
        """Whether any record moves in or out."""
        return bool(self.added or self.removed)

    def describe(self) -> str:
        """One line for the owner: what moves, and what stays because it is already double-screened."""
        if not self.changed:
            return f"The dual-screening sample stays at {self.before} of {self.records} records."
        parts = [
            f"The dual-screening sample goes from {self.before} to {self.after} of {self.records} records"
        ]
        if self.added:
            parts.append(f"{self.added} drawn in")
        if self.removed:
            parts.append(f"{self.removed} not yet double-screened leave it")
        if self.kept_screened:
            parts.append(f"{self.kept_screened} already screened by two reviewers stay")
        return "; ".join(parts) + "."


def stored_sample(session: Session, *, review_id: int) -> set[int]:
    """The stored sample's record ids."""
    return set(
        session.scalars(select(ScreeningSampleRow.record_id).where(ScreeningSampleRow.review_id == review_id))
    )


def _plan(
    session: Session, *, review_id: int, fraction: float, seed: int
) -> tuple[set[int], set[int], int, int]:
    """(to add, to remove, kept because screened twice, records) for ``fraction`` of today's records."""
    ids = stage_record_ids(session, review_id=review_id)
    current = stored_sample(session, review_id=review_id)
    members = current & set(ids)
    target = math.ceil(fraction * len(ids)) if fraction > 0 else 0
    rng = random.Random(f"{seed}:{len(members)}:{target}")
    if target > len(members):
        pool = sorted(set(ids) - members)
        return set(rng.sample(pool, target - len(members))), set(), 0, len(ids)
    if target == len(members):
        return set(), set(), 0, len(ids)
    callers = standing_callers(session, review_id=review_id, stage=Stage.TITLE_ABSTRACT)
    screened_twice = {r for r in members if len(callers.get(r, ())) >= 2}
    removable = sorted(members - screened_twice)
    count = min(len(removable), len(members) - target)
    kept = len(members) - target - count
    return set(), set(rng.sample(removable, count)), kept, len(ids)


def preview_sample_change(
    session: Session, *, review_id: int, old: ScreeningSetup, new: ScreeningSetup
) -> SampleChange:
    """What saving ``new`` would do to the sample, without doing it."""
    members = len(
        stored_sample(session, review_id=review_id) & set(stage_record_ids(session, review_id=review_id))
    )
    fraction = new.dual_fraction if new.allocation is not Allocation.EVERYONE else old.dual_fraction
    if fraction == old.dual_fraction and members:
        records = len(stage_record_ids(session, review_id=review_id))
        return SampleChange(members, members, 0, 0, 0, records)
    add, remove, kept, records = _plan(session, review_id=review_id, fraction=fraction, seed=new.dual_seed)
    return SampleChange(members, members + len(add) - len(remove), len(add), len(remove), kept, records)


def change_sample(
    session: Session, *, review_id: int, old: ScreeningSetup, new: ScreeningSetup
) -> SampleChange:
    """Bring the stored sample to ``new``'s fraction (inside the caller's audited mutation)."""
    change = preview_sample_change(session, review_id=review_id, old=old, new=new)
    if not change.changed:
        return change
    add, remove, _kept, _records = _plan(
        session, review_id=review_id, fraction=new.dual_fraction, seed=new.dual_seed
    )
    if remove:
        check_audited(session, table="screening_sample.delete", count=len(remove))
        session.execute(
            delete(ScreeningSampleRow).where(
                ScreeningSampleRow.review_id == review_id, ScreeningSampleRow.record_id.in_(sorted(remove))
            )
        )
    _store(session, review_id=review_id, record_ids=add, reason="setup")
    return change


def draw_for_import(session: Session, *, review_id: int, setup: ScreeningSetup, import_file_id: int) -> int:
    """Draw the sample's share of one import's new records; the number drawn in."""
    if setup.dual_fraction <= 0 or setup.allocation is Allocation.EVERYONE:
        return 0
    new_ids = list(
        session.scalars(
            select(RecordRow.id).where(
                RecordRow.review_id == review_id, RecordRow.import_file_id == import_file_id
            )
        )
    )
    drawn = dual_sample(
        new_ids, fraction=setup.dual_fraction, seed=setup.dual_seed * 1_000_003 + import_file_id
    )
    _store(session, review_id=review_id, record_ids=drawn, reason="import")
    return len(drawn)


def _store(session: Session, *, review_id: int, record_ids: Iterable[int], reason: str) -> None:
    rows = [
        {
            "review_id": review_id,
            "record_id": record_id,
            "reason": reason,
            "drawn_at": dt.datetime.now(dt.UTC),
        }
        for record_id in sorted(record_ids)
    ]
    if not rows:
        return
    check_audited(session, table="screening_sample.insert", count=len(rows))
    for start in range(0, len(rows), 5000):
        session.execute(insert(ScreeningSampleRow), rows[start : start + 5000])
