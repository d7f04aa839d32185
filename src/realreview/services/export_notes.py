"""What a records export says about each record's screening, as far as the exporting person may see.

Internal to :func:`realreview.services.export_records`, which checks the permission. Two rules keep
the file as blind as the screens (issue #13 item 4):

* **Outcomes are the completed ones** (:mod:`.outcomes`): ``included`` or ``excluded`` once the
  stage has every call it needs (or a resolution), else ``pending``; the same for everyone.
* **Calls are the visible ones** (:func:`.screening.calls_visible_to`): an owner, or anyone when
  blinding is off, gets every reviewer's reasons, tags and notes, how many agreed and whether an owner
  resolved a conflict; a blinded reviewer or viewer gets their own call alone and no count, so a
  record nobody else has finished shows nothing of a colleague's call, not even that one exists.

No reviewer is named: the file goes to a reference manager, often shared; the decisions CSV
(``realreview screen export``) is the trail with names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from sqlalchemy.orm import Session

from realreview.formats.notes import RecordNotes, StageNote
from realreview.screening import Call, Resolution, ReviewerState, ScreeningSetup, Stage
from realreview.screening.decisions import VERDICT_OF, counted
from realreview.services.context import ReviewContext
from realreview.services.outcomes import Outcomes
from realreview.services.screening import calls_visible_to
from realreview.services.screening_state import resolutions

__all__ = ["screening_notes"]

_PASSING = frozenset({ReviewerState.INCLUDED, ReviewerState.MAYBE})


def screening_notes(session: Session, ctx: ReviewContext, *, found: Outcomes) -> dict[int, RecordNotes]:
    """The notes of every record that has something to say, by record id (duplicates have none).

    ``found`` is the review's completed outcomes, computed once by the caller for the export's filter.
    """
    sees_all = ctx.sees()
    passed = frozenset(found.full_text)
    stage_outcomes = {
        Stage.TITLE_ABSTRACT: _outcome_of(
            found.title_abstract_excluded, passed, found.title_abstract_pending
        ),
        Stage.FULL_TEXT: _outcome_of(found.full_text_excluded, found.included, found.full_text_pending),
    }
    stages: dict[int, list[StageNote]] = defaultdict(list)
    tags: dict[int, dict[str, None]] = defaultdict(dict)
    for stage in Stage:
        by_record: dict[int, list[Call]] = defaultdict(list)
        for (record_id, _who), call in sorted(calls_visible_to(session, ctx, stage=stage).items()):
            by_record[record_id].append(call)
            tags[record_id].update(dict.fromkeys(call.tags))
        resolved = resolutions(session, review_id=ctx.review_id, stage=stage) if sees_all else {}
        for record_id, outcome in stage_outcomes[stage].items():
            note = _stage_note(
                stage,
                outcome,
                by_record.get(record_id, []),
                resolution=resolved.get(record_id),
                sees_all=sees_all,
                setup=ctx.setup,
            )
            if note is not None:
                stages[record_id].append(note)
    return {
        record_id: RecordNotes(tuple(stages.get(record_id, ())), _grouped(tags.get(record_id, {}), ctx.setup))
        for record_id in stages.keys() | {r for r, found_tags in tags.items() if found_tags}
    }


def _outcome_of(excluded: Iterable[int], included: Iterable[int], pending: Iterable[int]) -> dict[int, str]:
    outcome = dict.fromkeys(pending, "pending")
    outcome.update(dict.fromkeys(excluded, "excluded"))
    outcome.update(dict.fromkeys(included, "included"))
    return outcome


def _stage_note(
    stage: Stage,
    outcome: str,
    calls: list[Call],
    *,
    resolution: Resolution | None,
    sees_all: bool,
    setup: ScreeningSetup,
) -> StageNote | None:
    """One stage's note, or ``None`` for a pending stage the viewer sees no call on."""
    decided = [call for call in calls if call.state is not ReviewerState.UNDECIDED]
    if outcome == "pending" and not decided:
        return None
    if sees_all:
        detail = _detail(outcome, decided, resolution=resolution, setup=setup)
    else:
        # The viewer's own call alone (blinded): a count would say how many colleagues called.
        detail = f"your call: {VERDICT_OF[decided[0].state].value}" if decided else ""
    reasons = (
        tuple(dict.fromkeys(r for c in decided if c.state is ReviewerState.EXCLUDED for r in c.reasons))
        if outcome == "excluded"
        else ()
    )
    notes = [call.note for call in decided if call.note and call.note.strip()]
    if resolution is not None and resolution.note:
        notes.append(f"resolution: {resolution.note}")
    return StageNote(stage, outcome, detail, reasons, tuple(dict.fromkeys(notes)))


def _detail(
    outcome: str, decided: list[Call], *, resolution: Resolution | None, setup: ScreeningSetup
) -> str:
    """How the outcome was reached, for someone who sees every call: ``2 of 2 reviewers``."""
    count = len(decided)
    if outcome == "pending":
        return f"{count} call{'' if count == 1 else 's'} so far"
    if outcome == "included":
        agree = sum(call.state in _PASSING for call in decided)
    else:
        agree = sum(call.state is ReviewerState.EXCLUDED for call in decided)
    parts = [f"{agree} of {count} reviewer{'' if count == 1 else 's'}"] if count else []
    if resolution is not None:
        parts.append("conflict resolved")
    elif len({counted(VERDICT_OF[call.state], setup.maybe_rule) for call in decided}) > 1:
        parts.append("unresolved conflict")
    return "; ".join(parts)


def _grouped(tags: Mapping[str, None], setup: ScreeningSetup) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The tags by the review's vocabularies, in the vocabularies' order; the rest under ``""``."""
    groups = [(name, tuple(tag for tag in values if tag in tags)) for name, values in setup.tags.items()]
    known = {tag for _name, values in groups for tag in values}
    groups.append(("", tuple(tag for tag in tags if tag not in known)))
    return tuple((name, values) for name, values in groups if values)
