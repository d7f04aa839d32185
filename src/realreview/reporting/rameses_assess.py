"""What a review's data provide for each RAMESES item, and what the authors must still write.

One small function per item reads the :class:`~realreview.reporting.rameses.RamesesFacts` and
returns how far the data go, a sentence naming what in them supports the item, a sentence saying
what is left to write, and where in the app the data can be seen. The rule throughout: an item is
*provided* when the data hold what the paper must report (the authors still write it up), *partly*
when they hold some of it, and the *authors'* when nothing recorded answers it (the rationale, the
comparison with the literature). A status never changes because the authors entered a location: the
entry says where the paper reports the item, the status what the data contribute to it.

>>> lines = assess_rameses(RamesesFacts(title="A realist review of audit and feedback"))
>>> len(lines), lines[0].coverage.value, lines[18].coverage.value
(19, 'provided by the data', 'authors must write')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from realreview.reporting.rameses import (
    RAMESES_ITEMS,
    ChecklistEntry,
    ChecklistLine,
    Coverage,
    RamesesFacts,
)

__all__ = ["NOTHING", "assess_rameses"]


@dataclass(frozen=True, slots=True)
class _Found:
    coverage: Coverage
    from_data: str
    to_write: str
    sources: tuple[str, ...] = ()


def _n(count: int, singular: str, plural: str | None = None) -> str:
    """``3 searches``, ``1 search``."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def _joined(parts: list[str]) -> str:
    kept = [part for part in parts if part]
    if len(kept) <= 1:
        return "".join(kept)
    return ", ".join(kept[:-1]) + " and " + kept[-1]


def _grade(*present: bool) -> Coverage:
    """Everything present: provided; some: partly; none: the authors'."""
    if all(present):
        return Coverage.PROVIDED
    return Coverage.PARTLY if any(present) else Coverage.AUTHORS


NOTHING = "Nothing in the review's data answers this item."


def _title(f: RamesesFacts) -> _Found:
    if not f.title.strip():
        return _Found(Coverage.AUTHORS, "The review has no title.", "Write a title that names the approach.")
    if "realist" in f.title.lower():
        return _Found(
            Coverage.PROVIDED,
            f'The review\'s title, "{f.title}", names the realist approach.',
            "Keep the paper's title naming it a realist synthesis or review.",
        )
    return _Found(
        Coverage.PARTLY,
        f'The review is titled "{f.title}", which does not say it is a realist synthesis.',
        "Give the paper a title that calls it a realist synthesis or realist review.",
    )


def _abstract(f: RamesesFacts) -> _Found:
    figures = _joined(
        [
            _n(f.records_identified, "record") + " identified" if f.records_identified else "",
            _n(f.included, "document") + " included" if f.included else "",
            f"{_n(f.cmocs, 'CMOC')} in {_n(f.clusters, 'cluster')}" if f.cmocs else "",
        ]
    )
    write = "Write the structured abstract: background, objectives, methods, results and conclusions."
    if not figures:
        return _Found(Coverage.AUTHORS, "No records, included documents or CMOCs yet.", write)
    return _Found(Coverage.PARTLY, f"Figures for the abstract: {figures}.", write, ("prisma", "synthesis"))


def _rationale(f: RamesesFacts) -> _Found:
    return _Found(
        Coverage.AUTHORS, NOTHING, "Explain why the review is needed and the gap it fills in what is known."
    )


def _objectives(f: RamesesFacts) -> _Found:
    if not (f.question or "").strip():
        return _Found(
            Coverage.AUTHORS,
            "No review question is recorded.",
            "State the question and objectives, and the scope chosen with the reasons for it.",
        )
    criteria = (
        f" {_n(f.inclusion_criteria, 'inclusion criterion', 'inclusion criteria')} and "
        f"{_n(f.exclusion_criteria, 'exclusion criterion', 'exclusion criteria')} set its scope."
        if f.inclusion_criteria or f.exclusion_criteria
        else ""
    )
    registered = (
        f" The protocol is registered as {f.protocol_registration}." if f.protocol_registration else ""
    )
    return _Found(
        Coverage.PARTLY,
        f'The review question: "{f.question}".{criteria}{registered}',
        "Set out the objectives and explain why the review focuses where it does.",
        ("setup",),
    )


def _changes(f: RamesesFacts) -> _Found:
    if f.setup_changes:
        return _Found(
            Coverage.PARTLY,
            f"The audit log holds {_n(f.setup_changes, 'change')} to the question, screening setup or "
            "extraction form made after screening began.",
            "Describe each change and why it was made, and any other departure from the protocol.",
            ("setup",),
        )
    return _Found(
        Coverage.AUTHORS,
        "No change to the question, screening setup or extraction form after screening began is recorded.",
        "Report any departure from the protocol with its reason, or say there was none.",
    )


def _why_realist(f: RamesesFacts) -> _Found:
    return _Found(Coverage.AUTHORS, NOTHING, "Explain why a realist synthesis suits the question.")


def _scoping(f: RamesesFacts) -> _Found:
    found = _joined(
        [
            f'the initial programme theory ("{f.theory_versions[0]}")' if f.theory_versions else "",
            _n(f.deductive_codes, "deductive code") + " drawn from it" if f.deductive_codes else "",
        ]
    )
    write = "Describe how the literature and the programme were scoped to build the initial theory."
    if not found:
        return _Found(
            Coverage.AUTHORS, "No programme theory version or deductive code is recorded yet.", write
        )
    return _Found(Coverage.PARTLY, f"What scoping produced: {found}.", write, ("theory", "codes"))


def _searching(f: RamesesFacts) -> _Found:
    if not f.searches:
        return _Found(
            Coverage.AUTHORS,
            "No search is logged.",
            "Log each search (database, interface, date, strategy) or describe how documents were sought.",
        )
    logged = (
        f"{_n(f.searches, 'search', 'searches')} logged ({', '.join(f.databases)}), "
        f"{_n(f.records_imported, 'record')} imported"
    )
    undated, no_query = f.searches - f.searches_with_date, f.searches - f.searches_with_query
    if undated or no_query:
        missing = _joined(
            [
                f"{undated} without the date searched" if undated else "",
                f"{no_query} without the search strategy" if no_query else "",
            ]
        )
        return _Found(
            Coverage.PARTLY,
            f"{logged}; {missing}.",
            "Complete the search log, and describe any searching beyond it (citation tracking, "
            "documents from stakeholders, searches added as the theory developed).",
            ("searches",),
        )
    return _Found(
        Coverage.PROVIDED,
        f"{logged}, each with its date and strategy (the search appendix).",
        "Describe any searching beyond the log (citation tracking, documents from stakeholders, "
        "searches added as the theory developed).",
        ("searches",),
    )


def _selection(f: RamesesFacts) -> _Found:
    criteria = f.inclusion_criteria + f.exclusion_criteria
    dual = f" ({round(f.dual_fraction * 100)}% by two reviewers)" if f.dual_fraction else ""
    found = _joined(
        [
            _n(criteria, "eligibility criterion", "eligibility criteria") if criteria else "",
            f"{_n(f.records_decided, 'record')} screened{dual}" if f.records_decided else "",
            _n(f.relevance_judgements, "relevance judgement") if f.relevance_judgements else "",
            _n(f.rigour_judgements, "rigour judgement") if f.rigour_judgements else "",
        ]
    )
    coverage = _grade(
        bool(criteria), bool(f.records_decided), bool(f.relevance_judgements and f.rigour_judgements)
    )
    write = "Explain how relevance and rigour were judged and how the judgements shaped the synthesis."
    if coverage is Coverage.AUTHORS:
        return _Found(coverage, "No criteria, screening or appraisal is recorded yet.", write)
    return _Found(coverage, f"Recorded: {found}.", write, ("setup", "prisma", "documents"))


def _extraction(f: RamesesFacts) -> _Found:
    found = _joined(
        [
            f"an extraction form of {_n(f.form_fields, 'field')} filled in for "
            f"{_n(f.studies_extracted, 'study', 'studies')}"
            if f.studies_extracted
            else "",
            f"{_n(f.excerpts, 'excerpt')} marked in {_n(f.documents, 'full text')}" if f.excerpts else "",
        ]
    )
    coverage = _grade(bool(f.studies_extracted), bool(f.excerpts))
    write = "Describe what was extracted, with which tools, and how extraction was checked."
    if coverage is Coverage.AUTHORS:
        return _Found(coverage, "No characteristics extracted and no excerpts marked yet.", write)
    return _Found(coverage, f"Recorded: {found}.", write, ("characteristics", "documents"))


def _analysis(f: RamesesFacts) -> _Found:
    deductive = f" ({f.deductive_codes} deductive)" if f.deductive_codes else ""
    groups = f" ({', '.join(f.engagement_groups)})" if f.engagement_groups else ""
    found = _joined(
        [
            f"{_n(f.codes, 'code')}{deductive}" if f.codes else "",
            _n(f.memos, "memo") if f.memos else "",
            f"{_n(f.cmocs, 'CMOC')} backed by {_n(f.evidence_links, 'evidence link')}" if f.cmocs else "",
            "programme theory versions " + " → ".join(f.theory_versions) if f.theory_versions else "",
            f"{_n(f.engagements, 'stakeholder meeting')}{groups}" if f.engagements else "",
        ]
    )
    coverage = Coverage.AUTHORS
    if f.codes or f.cmocs:
        refined = f.cmocs and f.evidence_links and len(f.theory_versions) >= 2
        coverage = Coverage.PROVIDED if refined else Coverage.PARTLY
    write = (
        "Describe the analytic reasoning (such as retroduction), how CMOCs were built, tested and "
        "refined, and what stakeholders contributed."
    )
    if not found:
        return _Found(coverage, "No coding, CMOCs or theory versions yet.", write)
    return _Found(coverage, f"Recorded: {found}.", write, ("codes", "synthesis", "theory"))


def _flow(f: RamesesFacts) -> _Found:
    if not f.records_identified:
        return _Found(
            Coverage.AUTHORS,
            "No records identified yet.",
            "Give the numbers of documents found, screened, excluded and included, as a diagram.",
        )
    counted = (
        f"The PRISMA 2020 flow counts {_n(f.records_identified, 'record')} identified, "
        f"{f.records_screened} screened and {_n(f.included, 'document')} included"
    )
    extra = "Add any documents found outside the searches (citation tracking, stakeholders)."
    if f.flow_problems or f.screening_pending:
        issues = _joined(
            [
                f"{_n(f.flow_problems, 'sum')} that {'does' if f.flow_problems == 1 else 'do'} not add up"
                if f.flow_problems
                else "",
                f"{_n(f.screening_pending, 'record')} still being screened" if f.screening_pending else "",
            ]
        )
        return _Found(
            Coverage.PARTLY, f"{counted}, with {issues}.", "Settle these first. " + extra, ("prisma",)
        )
    return _Found(Coverage.PROVIDED, f"{counted}; its diagram is drawn from them.", extra, ("prisma",))


def _characteristics(f: RamesesFacts) -> _Found:
    write = "Describe the included documents in the text, with the table."
    if not f.studies_extracted and not f.reported_figures:
        return _Found(Coverage.AUTHORS, "No study characteristics extracted yet.", write)
    of = f" of {f.included} included" if f.included else ""
    found = _joined(
        [
            f"characteristics ({_n(f.form_fields, 'field')}) of {f.studies_extracted}{of} "
            f"{'study' if f.studies_extracted == 1 and not of else 'studies'}"
            if f.studies_extracted
            else "",
            _n(f.reported_figures, "figure") + " reported without per-study values"
            if f.reported_figures
            else "",
        ]
    )
    # Complete only against a settled count of included studies: until screening ends, more may come.
    complete = f.included > 0 and f.studies_extracted >= f.included
    if not complete:
        write = "Complete the characteristics of every included study. " + write
    return _Found(
        Coverage.PROVIDED if complete else Coverage.PARTLY,
        f"Recorded: {found}.",
        write,
        ("characteristics", "summary"),
    )


def _findings(f: RamesesFacts) -> _Found:
    write = "Write up each CMOC with the evidence behind it, in the order of the programme theory."
    if not f.cmocs:
        return _Found(Coverage.AUTHORS, "No CMOCs yet.", write)
    found = f"{_n(f.cmocs, 'CMOC')} in {_n(f.clusters, 'cluster')}, backed by {_n(f.evidence_links, 'evidence link')}"
    if not f.theory_versions:
        return _Found(
            Coverage.PARTLY,
            f"{found}; no programme theory version is saved yet.",
            "Save the final programme theory as a version. " + write,
            ("synthesis",),
        )
    return _Found(
        Coverage.PROVIDED,
        f'{found}, and the programme theory "{f.theory_versions[-1]}" with its diagram and CMOC table.',
        write,
        ("synthesis", "theory"),
    )


def _summary(f: RamesesFacts) -> _Found:
    write = "Summarise the main findings against the question and objectives."
    if not f.theory_versions:
        return _Found(Coverage.AUTHORS, "No programme theory version is saved yet.", write)
    return _Found(
        Coverage.PARTLY,
        f'The final programme theory ("{f.theory_versions[-1]}") and its diagram give the findings in brief.',
        write,
        ("theory",),
    )


def _limitations(f: RamesesFacts) -> _Found:
    found = NOTHING
    if f.appraisals:
        judgements = _n(f.appraisals, "relevance and rigour judgement")
        found = f"Nothing outright; the {judgements} can inform the limitations."
    return _Found(
        Coverage.AUTHORS,
        found,
        "Discuss the review's strengths and limitations, and what research should follow.",
        ("documents",) if f.appraisals else (),
    )


def _comparison(f: RamesesFacts) -> _Found:
    return _Found(Coverage.AUTHORS, NOTHING, "Compare the findings with other reviews and studies.")


def _conclusion(f: RamesesFacts) -> _Found:
    found = NOTHING
    if f.engagements:
        found = f"Nothing outright; the engagement log ({_n(f.engagements, 'meeting')}) can ground the recommendations."
    return _Found(
        Coverage.AUTHORS,
        found,
        "Draw the conclusions and the recommendations for policy and practice.",
        ("theory",) if f.engagements else (),
    )


def _funding(f: RamesesFacts) -> _Found:
    write = "Name the funders and their part in the review, or state that there was no funding."
    if f.funding.strip():
        return _Found(
            Coverage.PROVIDED, f"Funding recorded: {f.funding.strip()}.", "Check the funders' role is stated."
        )
    return _Found(Coverage.AUTHORS, "No funding is recorded.", write)


_ASSESS: dict[int, Callable[[RamesesFacts], _Found]] = {
    number: assess
    for number, assess in enumerate(
        (
            _title,
            _abstract,
            _rationale,
            _objectives,
            _changes,
            _why_realist,
            _scoping,
            _searching,
            _selection,
            _extraction,
            _analysis,
            _flow,
            _characteristics,
            _findings,
            _summary,
            _limitations,
            _comparison,
            _conclusion,
            _funding,
        ),
        start=1,
    )
}


def assess_rameses(
    facts: RamesesFacts, *, entries: Mapping[int, ChecklistEntry] | None = None
) -> tuple[ChecklistLine, ...]:
    """Each of the 19 items against ``facts``, with the authors' entry (``entries`` by item) beside it."""
    entries = entries or {}
    lines = []
    for item in RAMESES_ITEMS:
        found = _ASSESS[item.number](facts)
        lines.append(
            ChecklistLine(
                item, found.coverage, found.from_data, found.to_write, found.sources, entries.get(item.number)
            )
        )
    return tuple(lines)
