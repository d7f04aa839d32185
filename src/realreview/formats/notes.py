"""What a review decided about a record, in the shape a reference manager keeps beside it (issue #13).

A review exports its included studies to a reference manager to cite them, and the decisions behind
each record should travel with it. Reference managers have one place for such text, the notes:

* RIS ``N1`` lines: Zotero makes each one a child note; EndNote and Mendeley read them into the
  record's notes. So the writer adds one ``N1`` line per fact.
* BibTeX ``annote``: Zotero makes it a child note, Mendeley and JabRef show it as the notes. Not
  ``note``, which the standard bibliography styles print in the reference list of a paper.
* CSV: columns (:data:`NOTE_COLUMNS`), one per kind of fact, for a spreadsheet.

Every line starts with ``RealReview`` so that a reader can tell it from the notes a database wrote
(Scopus puts cited references in ``N1``). Each fact is one line: line breaks and control characters in
a decision note become single spaces, so that no line of text can read as an RIS tag.

This module only shapes the text; which decisions a person may see is the services' business.

>>> notes = RecordNotes(
...     stages=(
...         StageNote(Stage.TITLE_ABSTRACT, "included", "2 of 2 reviewers"),
...         StageNote(Stage.FULL_TEXT, "excluded", reasons=("Wrong population",)),
...     ),
...     tags=(("Equity approach", ("gap",)),),
... )
>>> for line in notes.lines():
...     print(line)
RealReview: title/abstract included (2 of 2 reviewers)
RealReview: full text excluded — reason: Wrong population
RealReview tags (Equity approach): gap
"""

from __future__ import annotations

from dataclasses import dataclass

from realreview.records import remove_control_characters
from realreview.screening.states import Stage, stage_label

__all__ = ["BIBTEX_FIELD", "NOTE_COLUMNS", "PREFIX", "RecordNotes", "StageNote"]

#: What every note line starts with.
PREFIX = "RealReview"
#: The BibTeX field the notes go in (see the module docstring for why not ``note``).
BIBTEX_FIELD = "annote"
#: The columns the CSV writer adds, in order (:meth:`RecordNotes.cells`).
NOTE_COLUMNS = (
    "title_abstract_outcome",
    "full_text_outcome",
    "exclusion_reasons",
    "screening_tags",
    "decision_notes",
)


def _one_line(text: str) -> str:
    return " ".join(remove_control_characters(text)[0].split())


@dataclass(frozen=True, slots=True)
class StageNote:
    """A record's outcome at one stage: ``included``, ``excluded`` or ``pending``, and what led there.

    ``detail`` qualifies the outcome ("2 of 2 reviewers", "conflict resolved"); ``reasons`` are the
    exclusion reasons; ``notes`` the decision notes (and an owner's resolution note).
    """

    stage: Stage
    outcome: str
    detail: str = ""
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The outcome in words, without the stage: ``excluded (2 of 2 reviewers) — reason: X``."""
        text = self.outcome + (f" ({self.detail})" if self.detail else "")
        if self.reasons:
            label = "reason" if len(self.reasons) == 1 else "reasons"
            text += f" — {label}: " + "; ".join(self.reasons)
        return _one_line(text)


@dataclass(frozen=True, slots=True)
class RecordNotes:
    """Everything an export says about one record's screening; empty when there is nothing to say.

    ``tags`` is ``(vocabulary, tags)`` pairs in the review's order; the vocabulary is ``""`` for tags
    in none of the review's vocabularies.
    """

    stages: tuple[StageNote, ...] = ()
    tags: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def lines(self) -> list[str]:
        """One line per fact: each stage's outcome, the tags of each vocabulary, each decision note."""
        lines = [f"{PREFIX}: {stage_label(note.stage)} {note.text}" for note in self.stages]
        for vocabulary, tags in self.tags:
            label = f"{PREFIX} tags ({vocabulary})" if vocabulary else f"{PREFIX} tags"
            lines.append(_one_line(f"{label}: " + "; ".join(tags)))
        lines += [
            _one_line(f"{PREFIX} note ({stage_label(note.stage)}): {text}")
            for note in self.stages
            for text in note.notes
        ]
        return lines

    def cells(self) -> list[str]:
        """The values of :data:`NOTE_COLUMNS` (reasons and tags joined with ``"; "``, notes one a line)."""
        outcome = {note.stage: note.text for note in self.stages}
        reasons = dict.fromkeys(reason for note in self.stages for reason in note.reasons)
        tags = dict.fromkeys(tag for _vocabulary, group in self.tags for tag in group)
        notes = [
            f"{stage_label(note.stage)}: {_one_line(text)}" for note in self.stages for text in note.notes
        ]
        return [
            outcome.get(Stage.TITLE_ABSTRACT, ""),
            outcome.get(Stage.FULL_TEXT, ""),
            "; ".join(reasons),
            "; ".join(tags),
            "\n".join(notes),
        ]
