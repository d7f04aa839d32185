"""The RAMESES checklist from a review's facts: 19 items, statuses that follow the data, Markdown and Word."""

from __future__ import annotations

import dataclasses
import io

from docx import Document

from realreview.reporting import (
    RAMESES_ITEMS,
    RAMESES_SOURCES,
    ChecklistEntry,
    Coverage,
    RamesesFacts,
    assess_rameses,
    rameses_docx,
    rameses_markdown,
    rameses_table,
)

EMPTY = RamesesFacts(title="Equity QI")
#: A review well along: searches complete, flow settled, characteristics, coding, CMOCs and versions.
FULL = RamesesFacts(
    title="Equity in quality improvement: a realist review",
    question="How do QI programmes reduce inequities, for whom and why?",
    inclusion_criteria=2,
    exclusion_criteria=1,
    dual_fraction=0.1,
    searches=2,
    searches_with_query=2,
    searches_with_date=2,
    databases=("MEDLINE", "Embase"),
    records_imported=120,
    records_identified=120,
    records_screened=100,
    records_decided=100,
    included=3,
    form_fields=12,
    studies_extracted=3,
    documents=3,
    excerpts=40,
    relevance_judgements=3,
    rigour_judgements=3,
    codes=20,
    deductive_codes=6,
    memos=4,
    cmocs=8,
    clusters=3,
    evidence_links=30,
    theory_versions=("initial", "refined", "final"),
    engagements=2,
    engagement_groups=("Expert panel", "PPI group"),
)


def _coverage(facts: RamesesFacts) -> dict[int, Coverage]:
    return {line.item.number: line.coverage for line in assess_rameses(facts)}


def test_the_nineteen_items_in_the_papers_order_and_sections() -> None:
    assert [item.number for item in RAMESES_ITEMS] == list(range(1, 20))
    sections = {item.number: item.section for item in RAMESES_ITEMS}
    assert [sections[n] for n in (1, 2, 3, 4, 5, 11, 12, 14, 15, 18, 19)] == [
        "Title",
        "Abstract",
        "Introduction",
        "Introduction",
        "Methods",
        "Methods",
        "Results",
        "Results",
        "Discussion",
        "Discussion",
        "Funding",
    ]
    assert [item.name for item in RAMESES_ITEMS][7:13] == [
        "Searching processes",
        "Selection and appraisal of documents",
        "Data extraction",
        "Analysis and synthesis processes",
        "Document flow diagram",
        "Document characteristics",
    ]
    assert all(item.asks.endswith(".") for item in RAMESES_ITEMS)


def test_an_empty_review_leaves_everything_but_its_title_to_the_authors() -> None:
    coverage = _coverage(EMPTY)
    assert coverage[1] is Coverage.PARTLY  # titled, but not as a realist review
    assert {n for n, c in coverage.items() if c is not Coverage.AUTHORS} == {1}
    lines = assess_rameses(EMPTY)
    assert lines[7].from_data == "No search is logged."
    assert lines[11].to_write == (
        "Give the numbers of documents found, screened, excluded and included, as a diagram."
    )
    assert all(line.entry is None and line.location == "" for line in lines)


def test_the_statuses_follow_the_data() -> None:
    coverage = _coverage(FULL)
    provided = {n for n, c in coverage.items() if c is Coverage.PROVIDED}
    partly = {n for n, c in coverage.items() if c is Coverage.PARTLY}
    assert provided == {1, 8, 9, 10, 11, 12, 13, 14}
    assert partly == {2, 4, 7, 15}
    lines = {line.item.number: line for line in assess_rameses(FULL)}
    assert lines[8].from_data == (
        "2 searches logged (MEDLINE, Embase), 120 records imported, each with its date and strategy "
        "(the search appendix)."
    )
    assert lines[8].sources == ("searches",)
    assert lines[11].from_data == (
        "Recorded: 20 codes (6 deductive), 4 memos, 8 CMOCs backed by 30 evidence links, programme theory "
        "versions initial → refined → final and 2 stakeholder meetings (Expert panel, PPI group)."
    )
    assert (
        lines[7].from_data
        == 'What scoping produced: the initial programme theory ("initial") and 6 deductive codes drawn from it.'
    )
    assert lines[15].from_data.startswith('The final programme theory ("final")')
    assert lines[9].from_data == (
        "Recorded: 3 eligibility criteria, 100 records screened (10% by two reviewers), "
        "3 relevance judgements and 3 rigour judgements."
    )
    assert all(set(line.sources) <= set(RAMESES_SOURCES) for line in lines.values())


def test_gaps_in_the_data_make_an_item_partly_provided() -> None:
    gappy = dataclasses.replace(
        FULL,
        searches_with_date=1,
        searches_with_query=0,
        flow_problems=1,
        screening_pending=4,
        studies_extracted=2,
    )
    lines = {line.item.number: line for line in assess_rameses(gappy)}
    assert lines[8].coverage is Coverage.PARTLY
    assert lines[8].from_data.endswith("; 1 without the date searched and 2 without the search strategy.")
    assert lines[12].coverage is Coverage.PARTLY
    assert lines[12].from_data == (
        "The PRISMA 2020 flow counts 120 records identified, 100 screened and 3 documents included, "
        "with 1 sum that does not add up and 4 records still being screened."
    )
    assert lines[13].coverage is Coverage.PARTLY and lines[13].to_write.startswith(
        "Complete the characteristics"
    )
    no_versions = dataclasses.replace(FULL, theory_versions=())
    assert _coverage(no_versions)[14] is Coverage.PARTLY
    assert _coverage(no_versions)[11] is Coverage.PARTLY  # not yet refined through versions
    assert _coverage(dataclasses.replace(FULL, setup_changes=2))[5] is Coverage.PARTLY
    assert _coverage(dataclasses.replace(FULL, funding="NIHR HS&DR 17/09/08"))[19] is Coverage.PROVIDED


def test_entries_sit_beside_their_items_and_change_no_status() -> None:
    entries = {8: ChecklistEntry(8, "Methods, p. 5", "Appendix 1 has the strategies", "owner@example.org")}
    lines = assess_rameses(FULL, entries=entries)
    assert (lines[7].location, lines[7].note) == ("Methods, p. 5", "Appendix 1 has the strategies")
    assert lines[7].coverage is Coverage.PROVIDED and lines[6].location == ""


def test_markdown_has_a_table_per_section() -> None:
    entries = {12: ChecklistEntry(12, "Figure 1 | p. 7")}
    text = rameses_markdown(assess_rameses(FULL, entries=entries), title="Equity QI")
    assert text.startswith(
        "# RAMESES checklist: Equity QI\n\nRAMESES publication standards for realist syntheses (Wong G"
    )
    assert (
        "8 items provided by the data, 4 partly provided, 7 for the authors to write; 1 of 19 located" in text
    )
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Title",
        "## Abstract",
        "## Introduction",
        "## Methods",
        "## Results",
        "## Discussion",
        "## Funding",
    ]
    assert (
        "| Item | Topic | What the item asks | Status | From the review's data | Still to write | Reported at | Note |"
        in text
    )
    row = next(line for line in text.splitlines() if line.startswith("| 12 |"))
    assert row.startswith("| 12 | Document flow diagram | How many documents were found")
    assert row.endswith(
        "| provided by the data | The PRISMA 2020 flow counts 120 records identified, 100 screened "
        "and 3 documents included; its diagram is drawn from them. | Add any documents found "
        "outside the searches (citation tracking, stakeholders). | Figure 1 \\| p. 7 |  |"
    )


def test_the_word_document_reads_back_cell_by_cell() -> None:
    entries = {8: ChecklistEntry(8, "Methods, p. 5", "Appendix 1")}
    lines = assess_rameses(FULL, entries=entries)
    document = Document(io.BytesIO(rameses_docx(lines, title="Equity QI")))
    assert document.paragraphs[0].text == "RAMESES checklist: Equity QI"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["Title", "Abstract", "Introduction", "Methods", "Results", "Discussion", "Funding"]
    assert len(document.tables) == 7
    methods = document.tables[3]
    assert [cell.text for cell in methods.rows[0].cells] == [
        "Item",
        "Topic",
        "What the item asks",
        "Status",
        "From the review's data",
        "Still to write",
        "Reported at",
        "Note",
    ]
    assert [row.cells[0].text for row in methods.rows[1:]] == ["5", "6", "7", "8", "9", "10", "11"]
    searching = [cell.text for cell in methods.rows[4].cells]
    assert searching[1] == "Searching processes" and searching[3] == "provided by the data"
    assert searching[6:] == ["Methods, p. 5", "Appendix 1"]
    assert [cell.text for cell in document.tables[6].rows[1].cells][:4] == [
        "19",
        "Funding",
        "Who funded the review, and what part the funders played in it.",
        "authors must write",
    ]


def test_the_flat_table_has_a_section_column() -> None:
    table = rameses_table(assess_rameses(EMPTY))
    assert list(table.header[:3]) == ["Item", "Section", "Topic"]
    assert len(table.rows) == 19 and table.rows[18][:3] == (19, "Funding", "Funding")
