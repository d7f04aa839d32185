"""The RAMESES checklist read from a review's data, and the owners' entries of where the paper reports each item."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from sqlalchemy import select
from tests.services.conftest import ANA, BEN, OWNER, Review

from realreview import services
from realreview.errors import ForbiddenError, ValidationError
from realreview.reporting import Coverage
from realreview.screening import Event, Stage
from realreview.storage.models import AuditLogRow


def _coverage(session: services.Session, review: Review, email: str = ANA) -> dict[int, Coverage]:
    checklist = services.rameses_checklist(session, review.ctx(session, email))
    return {line.item.number: line.coverage for line in checklist.lines}


def _build(session: services.Session, review: Review) -> None:
    """A search with its strategy, coding, an appraisal, extraction, CMOCs, two versions, a meeting."""
    ana, owner = review.ctx(session, ANA), review.ctx(session, OWNER)
    services.set_question(session, owner, question="How does QI reduce inequities, for whom and why?")
    services.add_search(
        session, owner, database="MEDLINE", date_run=dt.date(2023, 1, 15), query="equity[ti]", reported_hits=5
    )
    code = services.create_code(session, ana, name="Trust")
    excerpt = services.add_excerpt(
        session, ana, document_id=review.document_id, start=0, end=6, code_ids=[code.id]
    )
    services.appraise(
        session,
        ana,
        target_kind=services.MemoTarget.DOCUMENT,
        target_id=review.document_id,
        relevance="high",
        rigour="moderate",
    )
    services.set_values(session, ana, record_id=review.record_ids[0], raw={"clinical_topic": "Asthma"})
    services.add_cluster(session, ana, key="data", title="Data")
    services.save_cmoc(
        session, ana, label="1A", cluster="data", context="data split by group", outcome="gaps close"
    )
    services.link_evidence(session, ana, label="1A", component="context", excerpt_id=excerpt.id)
    services.snapshot_theory(session, ana, name="initial", note="from scoping")
    services.snapshot_theory(session, ana, name="final", note="after testing")
    services.log_engagement(session, owner, held_on=dt.date(2024, 5, 2), group="PPI group", cmocs=["1A"])


def test_an_empty_review_leaves_most_items_to_the_authors(review: Review) -> None:
    with review.session() as session:
        checklist = services.rameses_checklist(session, review.ctx(session, ANA))
    coverage = {line.item.number: line.coverage for line in checklist.lines}
    assert len(checklist.lines) == 19
    assert sum(c is Coverage.AUTHORS for c in coverage.values()) == 15
    assert {n for n, c in coverage.items() if c is Coverage.PARTLY} == {1, 2, 8, 12}
    lines = {line.item.number: line for line in checklist.lines}
    assert lines[8].from_data == (
        "1 search logged (Embase), 10 records imported; 1 without the date searched and 1 without the "
        "search strategy."
    )
    assert lines[12].from_data == (
        "The PRISMA 2020 flow counts 10 records identified, 10 screened and 0 documents included, "
        "with 1 sum that does not add up and 10 records still being screened."
    )
    facts = checklist.facts
    assert (facts.documents, facts.form_fields > 0, facts.cmocs, facts.theory_versions) == (1, True, 0, ())


def test_the_data_turn_items_to_provided(review: Review) -> None:
    with review.session() as session:
        _build(session, review)
    with review.session() as session:
        checklist = services.rameses_checklist(session, review.ctx(session, BEN))
    coverage = {line.item.number: line.coverage for line in checklist.lines}
    assert coverage[4] is Coverage.PARTLY  # the question, now set
    assert coverage[7] is Coverage.PARTLY  # the initial programme theory
    assert coverage[10] is Coverage.PROVIDED  # characteristics extracted and excerpts marked
    assert coverage[11] is Coverage.PROVIDED  # coding, a CMOC with evidence, two versions
    assert coverage[14] is Coverage.PROVIDED
    assert coverage[15] is Coverage.PARTLY
    assert coverage[9] is Coverage.PARTLY  # appraised, but no criteria and nothing screened yet
    lines = {line.item.number: line for line in checklist.lines}
    assert lines[11].from_data == (
        "Recorded: 1 code, 1 CMOC backed by 1 evidence link, programme theory versions initial → final "
        "and 1 stakeholder meeting (PPI group)."
    )
    assert lines[9].from_data == "Recorded: 1 relevance judgement and 1 rigour judgement."
    assert lines[8].from_data.startswith(
        "2 searches logged (Embase, MEDLINE), 10 records imported; 1 without"
    )
    facts = checklist.facts
    assert (facts.searches, facts.searches_with_query, facts.studies_extracted, facts.engagements) == (
        2,
        1,
        1,
        1,
    )


def test_a_setup_change_after_screening_began_is_a_change_in_the_review_process(review: Review) -> None:
    with review.session() as session:
        owner = review.ctx(session, OWNER)
        services.configure_screening(session, owner, inclusion=("Primary care",))  # before: the protocol
        assert _coverage(session, review)[5] is Coverage.AUTHORS
        services.record_decision(
            session,
            review.ctx(session, ANA),
            record_id=review.record_ids[1],
            stage=Stage.TITLE_ABSTRACT,
            event=Event.INCLUDE,
        )
        services.configure_screening(session, review.ctx(session, OWNER), exclusion=("Hospital care",))
        assert _coverage(session, review)[5] is Coverage.PARTLY


def test_an_owner_enters_changes_and_clears_where_the_paper_reports_an_item(review: Review) -> None:
    with review.session() as session:
        owner = review.ctx(session, OWNER)
        entry = services.enter_checklist_item(
            session, owner, item=8, location="Methods, p. 5", note="Appendix 1"
        )
        assert (entry.item, entry.location, entry.entered_by) == (8, "Methods, p. 5", OWNER)
    with review.session() as session:
        line = services.rameses_checklist(session, review.ctx(session, ANA)).lines[7]
        assert (line.location, line.note) == ("Methods, p. 5", "Appendix 1")
        text = services.rameses_output(session, review.ctx(session, ANA), fmt="md")
        assert isinstance(text, str) and "| Methods, p. 5 | Appendix 1 |" in text
        services.enter_checklist_item(session, review.ctx(session, OWNER), item=8, location="Methods, p. 6")
        line = services.rameses_checklist(session, review.ctx(session, ANA)).lines[7]
        assert (line.location, line.note) == ("Methods, p. 6", "")
        body = services.rameses_output(session, review.ctx(session, ANA), fmt="docx")
        assert isinstance(body, bytes)
        methods = Document(io.BytesIO(body)).tables[3]
        assert [cell.text for cell in methods.rows[4].cells][6:] == ["Methods, p. 6", ""]
        services.clear_checklist_item(session, review.ctx(session, OWNER), item=8)
        assert services.rameses_checklist(session, review.ctx(session, ANA)).lines[7].entry is None
        trail = session.scalars(
            select(AuditLogRow).where(AuditLogRow.action.like("rameses.%")).order_by(AuditLogRow.id)
        ).all()
    assert [(row.action, row.details["before"]) for row in trail] == [
        ("rameses.enter", None),
        ("rameses.enter", {"location": "Methods, p. 5", "note": "Appendix 1"}),
        ("rameses.clear", {"location": "Methods, p. 6", "note": ""}),
    ]


def test_only_an_owner_enters_and_a_bad_entry_is_refused(review: Review) -> None:
    with review.session() as session:
        with pytest.raises(ForbiddenError, match="to enter where the paper reports a checklist item"):
            services.enter_checklist_item(session, review.ctx(session, ANA), item=8, location="p. 5")
        with pytest.raises(ForbiddenError):
            services.clear_checklist_item(session, review.ctx(session, ANA), item=8)
        owner = review.ctx(session, OWNER)
        with pytest.raises(ValidationError, match="RAMESES has items 1 to 19, not 20"):
            services.enter_checklist_item(session, owner, item=20, location="p. 5")
        with pytest.raises(ValidationError, match="item 3: give where the manuscript reports it, or a note"):
            services.enter_checklist_item(session, owner, item=3, location="  ", note="")
        with pytest.raises(ValidationError, match="RAMESES format 'pdf': use one of md, docx"):
            services.rameses_output(session, owner, fmt="pdf")
        assert services.rameses_checklist(session, owner).lines[2].entry is None
