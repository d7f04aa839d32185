"""The RAMESES publication standards for realist syntheses: the 19 items, and what a review's data hold.

The items are those of Wong G, Greenhalgh T, Westhorp G, Buckingham J, Pawson R. "RAMESES
publication standards: realist syntheses." BMC Medicine 2013;11:21 (doi:10.1186/1741-7015-11-21),
in its order and under its sections; each item's ``asks`` is this project's own summary, not the
paper's wording, so read the paper for the full explanation of each item.

A review's data answer some items outright (the search log is the searching process, the PRISMA
flow is the document flow diagram) and others in part (the question states the focus, not why it was
chosen); the rest are the authors' to write. The services gather the data as plain counts and names
(:class:`RamesesFacts`), so that the judgement per item
(:func:`~realreview.reporting.rameses_assess.assess_rameses`) never sees a database and is tested on
its own. Each item then becomes a :class:`ChecklistLine`: how far the data go (:class:`Coverage`),
what in them supports the item, what the authors still need to write, and where the authors say the
manuscript reports it (:class:`ChecklistEntry`). :mod:`~realreview.reporting.rameses_document`
writes the lines as Markdown and Word.

>>> len(RAMESES_ITEMS), RAMESES_ITEMS[7].name, RAMESES_ITEMS[7].section
(19, 'Searching processes', 'Methods')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "RAMESES_ITEMS",
    "RAMESES_SOURCES",
    "ChecklistEntry",
    "ChecklistLine",
    "Coverage",
    "RamesesFacts",
    "RamesesItem",
]


@dataclass(frozen=True, slots=True)
class RamesesItem:
    """One item of the standard: its number, the paper's section and short name, and what it asks."""

    number: int
    section: str
    name: str
    asks: str


def _items(section: str, *rows: tuple[int, str, str]) -> tuple[RamesesItem, ...]:
    return tuple(RamesesItem(number, section, name, asks) for number, name, asks in rows)


#: The 19 items in the paper's order and sections (the descriptions are paraphrases).
RAMESES_ITEMS: tuple[RamesesItem, ...] = (
    *_items("Title", (1, "Title", "The title calls the work a realist synthesis or realist review.")),
    *_items(
        "Abstract",
        (
            2,
            "Abstract",
            "A structured summary: the background, the question and objectives, how documents were "
            "found, chosen and analysed, the main findings and what they mean.",
        ),
    ),
    *_items(
        "Introduction",
        (
            3,
            "Rationale for review",
            "Why the review is needed: the programme or problem, what is known already, and the gap "
            "a realist review can fill.",
        ),
        (
            4,
            "Objectives and focus of review",
            "The question and objectives, and the scope chosen (programme, settings, people, "
            "outcomes), with the reasons for drawing it there.",
        ),
    ),
    *_items(
        "Methods",
        (
            5,
            "Changes in the review process",
            "Every departure from the protocol or the planned approach, and why it was made.",
        ),
        (
            6,
            "Rationale for using realist synthesis",
            "Why explaining what works, for whom, in which circumstances and how suits the question "
            "better than another kind of review.",
        ),
        (
            7,
            "Scoping the literature",
            "How the team first explored the literature and the programme, and the initial programme "
            "theory that came of it.",
        ),
        (
            8,
            "Searching processes",
            "Where and how documents were sought (sources, dates, strategies), including searches "
            "added as the theory took shape.",
        ),
        (
            9,
            "Selection and appraisal of documents",
            "How documents were chosen (criteria, who applied them, how), and how their relevance to "
            "the theory and the rigour of the data used were judged.",
        ),
        (
            10,
            "Data extraction",
            "What was taken from the documents, with which forms or software, and how extraction was "
            "checked.",
        ),
        (
            11,
            "Analysis and synthesis processes",
            "How the data were analysed and the theory built, tested and refined: how "
            "context-mechanism-outcome configurations were drawn out, the reasoning used, and what "
            "stakeholders contributed.",
        ),
    ),
    *_items(
        "Results",
        (
            12,
            "Document flow diagram",
            "How many documents were found, screened, excluded (and why) and included, ideally as a "
            "flow diagram.",
        ),
        (
            13,
            "Document characteristics",
            "What the included documents are like (type, country, setting, programme), usually as a table.",
        ),
        (
            14,
            "Main findings",
            "The findings as programme theory and context-mechanism-outcome configurations, each "
            "with the evidence behind it.",
        ),
    ),
    *_items(
        "Discussion",
        (15, "Summary of findings", "The key findings in brief, tied back to the question and objectives."),
        (
            16,
            "Strengths, limitations and future research directions",
            "What the review did well, where its evidence or methods fall short, and what research "
            "should come next.",
        ),
        (
            17,
            "Comparison with existing literature",
            "How the findings agree with, differ from or add to other reviews and studies.",
        ),
        (
            18,
            "Conclusion and recommendations",
            "What the findings mean for policy and practice, and the recommendations that follow.",
        ),
    ),
    *_items("Funding", (19, "Funding", "Who funded the review, and what part the funders played in it.")),
)

#: Where the data an item draws on can be seen, by the key a :class:`ChecklistLine` names.
RAMESES_SOURCES: Mapping[str, str] = {
    "setup": "the review's question and eligibility criteria",
    "searches": "the search log",
    "prisma": "the PRISMA 2020 flow",
    "documents": "the full texts, their excerpts and appraisals",
    "codes": "the code tree",
    "characteristics": "the study characteristics table",
    "summary": "the summary of study characteristics",
    "synthesis": "the CMOCs and their clusters",
    "theory": "the programme theory versions and the engagement log",
}


class Coverage(StrEnum):
    """How far a review's data answer an item."""

    PROVIDED = "provided by the data"
    PARTLY = "partly provided"
    AUTHORS = "authors must write"


@dataclass(frozen=True, slots=True)
class RamesesFacts:
    """What a review's data hold, as counts and names: all :func:`assess_rameses` needs to know."""

    title: str
    question: str | None = None
    #: Where the protocol is registered (PROSPERO id, OSF link); empty when none is recorded.
    protocol_registration: str = ""
    inclusion_criteria: int = 0
    exclusion_criteria: int = 0
    #: The share of records screened by two reviewers (0 to 1).
    dual_fraction: float = 0.0
    searches: int = 0
    searches_with_query: int = 0
    searches_with_date: int = 0
    databases: tuple[str, ...] = ()
    records_imported: int = 0
    #: The PRISMA flow: records identified, screened, documents included, sums that do not hold,
    #: and records whose screening is not complete.
    records_identified: int = 0
    records_screened: int = 0
    #: Records whose title/abstract screening is complete (the flow's screened box counts them all).
    records_decided: int = 0
    included: int = 0
    flow_problems: int = 0
    screening_pending: int = 0
    #: Edits to the question, the screening setup or the extraction form after screening began.
    setup_changes: int = 0
    form_fields: int = 0
    studies_extracted: int = 0
    #: Totals a source gives without per-document values (the countries of 40 documents).
    reported_figures: int = 0
    documents: int = 0
    excerpts: int = 0
    relevance_judgements: int = 0
    rigour_judgements: int = 0
    codes: int = 0
    deductive_codes: int = 0
    memos: int = 0
    cmocs: int = 0
    clusters: int = 0
    evidence_links: int = 0
    #: The programme theory's versions, oldest first: the first is the initial theory, the last the final.
    theory_versions: tuple[str, ...] = ()
    engagements: int = 0
    engagement_groups: tuple[str, ...] = ()
    panel_comments: int = 0
    funding: str = ""

    @property
    def appraisals(self) -> int:
        """Relevance and rigour judgements together."""
        return self.relevance_judgements + self.rigour_judgements


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    """Where the authors say the manuscript reports an item (page, section), and their note on it."""

    item: int
    location: str = ""
    note: str = ""
    entered_by: str = ""
    entered_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    """One item assessed against a review: how far the data go, what they give, what is left to write."""

    item: RamesesItem
    coverage: Coverage
    from_data: str
    to_write: str
    #: Keys of :data:`RAMESES_SOURCES`: where the data this line cites can be seen.
    sources: tuple[str, ...] = ()
    entry: ChecklistEntry | None = None

    @property
    def location(self) -> str:
        """Where the manuscript reports the item, as entered ("" until someone enters it)."""
        return "" if self.entry is None else self.entry.location

    @property
    def note(self) -> str:
        """The authors' note on the item, as entered."""
        return "" if self.entry is None else self.entry.note
