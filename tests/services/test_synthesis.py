"""The synthesis services: CMOCs built from excerpts of several documents, history, versions, panel role."""

from __future__ import annotations

import io

import pytest
from docx import Document
from tests.services.conftest import ANA, BEN, OWNER, TEXT, Review

from realreview import services
from realreview.errors import ForbiddenError, NotFoundError, ValidationError
from realreview.screening import Stage
from realreview.synthesis import Component, UnknownCMOCError

PANEL = "panel@example.org"


def _second_document(session: services.Session, review: Review) -> int:
    return services.add_document(
        session,
        review.ctx(session, BEN),
        data=b"Managers funded outreach once the gaps by ethnicity were shown to them.",
        name="jones2021.txt",
        store=review.store,
        max_bytes=10**6,
    ).info.id


def _excerpt(session: services.Session, review: Review, document_id: int, phrase: str, text: str) -> int:
    start = text.index(phrase)
    return services.add_excerpt(
        session,
        review.ctx(session, ANA),
        document_id=document_id,
        start=start,
        end=start + len(phrase),
        code_ids=[],
    ).id


def _built(review: Review) -> tuple[int, int]:
    """Cluster ``data``; CMOC 1A with context from Smith and mechanism and outcome from Jones."""
    with review.session() as session:
        other = _second_document(session, review)
        smith = _excerpt(session, review, review.document_id, "Clinics that reached deprived areas", TEXT)
        jones_text = "Managers funded outreach once the gaps by ethnicity were shown to them."
        jones = _excerpt(session, review, other, "once the gaps by ethnicity were shown", jones_text)
        ana = review.ctx(session, ANA)
        services.add_cluster(session, ana, key="data", title="Data and its use")
        services.save_cmoc(
            session,
            ana,
            label="1A",
            cluster="data",
            context="clinics reach deprived areas",
            mechanism="managers see the gaps",
            outcome="outreach is funded",
            direction="reduces",
        )
        services.link_evidence(session, ana, label="1A", component="context", excerpt_id=smith)
        services.link_evidence(
            session,
            review.ctx(session, BEN),
            label="1A",
            component="mechanism",
            excerpt_id=jones,
            interpretation="seeing the gap is what moves managers",
            answers=[("function", "a mechanism: reasoning in response to data")],
        )
        services.link_evidence(
            session, ana, label="1A", component="outcome", excerpt_id=jones, role="refines"
        )
    return smith, jones


def test_a_cmoc_rests_on_excerpts_from_two_documents(review: Review) -> None:
    _built(review)
    with review.session() as session:
        page = services.cmoc_page(session, review.ctx(session, BEN), label="1A")
        overview = services.synthesis_overview(session, review.ctx(session, BEN))
    assert page.documents() == ("smith2020.txt", "jones2021.txt")
    assert [(i.link.component, i.document) for i in page.evidence] == [
        (Component.CONTEXT, "smith2020.txt"),
        (Component.MECHANISM, "jones2021.txt"),
        (Component.OUTCOME, "jones2021.txt"),
    ]
    assert page.evidence[1].link.answer("function").startswith("a mechanism")
    assert page.evidence[0].text == "Clinics that reached deprived areas"
    assert page.gaps == (
        Component.OUTCOME,
    )  # a refining excerpt argues with the outcome, it does not ground it
    count = overview.counts["1A"]
    assert (count.documents, count.excerpts, count.supports, count.refines) == (2, 2, 2, 1)


def test_a_partial_cmoc_says_which_parts_lack_evidence(review: Review) -> None:
    _built(review)
    with review.session() as session:
        ana = review.ctx(session, ANA)
        services.save_cmoc(session, ana, label="2", cluster="data", outcome="gaps close")
        overview = services.synthesis_overview(session, ana)
    assert overview.gaps["2"] == tuple(Component)  # two parts unstated, the third without evidence
    assert overview.gaps["1A"] == (Component.OUTCOME,)


def test_every_edit_keeps_the_earlier_wording_with_author(review: Review) -> None:
    _built(review)
    with review.session() as session:
        services.save_cmoc(
            session,
            review.ctx(session, BEN),
            label="1A",
            cluster="data",
            context="clinics reach deprived areas",
            mechanism="managers see the gaps by ethnicity",
            outcome="outreach is funded",
            direction="reduces",
        )
        history = services.cmoc_page(session, review.ctx(session, ANA), label="1A").history
    assert [edit.author for edit in history] == [ANA, BEN]
    (change,) = history[1].changes
    assert (change.field, change.old, change.new) == (
        "mechanism",
        "managers see the gaps",
        "managers see the gaps by ethnicity",
    )


def test_the_same_excerpt_backs_a_component_once(review: Review) -> None:
    smith, _ = _built(review)
    with (
        review.session() as session,
        pytest.raises(ValidationError, match="already evidence for the context"),
    ):
        services.link_evidence(
            session, review.ctx(session, BEN), label="1A", component="context", excerpt_id=smith
        )


def test_a_link_is_its_authors_to_take_back_and_stays_on_record(review: Review) -> None:
    _built(review)
    with review.session() as session:
        link = services.cmoc_page(session, review.ctx(session, ANA), label="1A").evidence[1]  # Ben's
        with pytest.raises(ForbiddenError, match="only its author or an owner"):
            services.unlink_evidence(session, review.ctx(session, ANA), link_id=link.id)
        with pytest.raises(ValidationError, match="say why"):
            services.unlink_evidence(session, review.ctx(session, OWNER), link_id=link.id)
        services.unlink_evidence(session, review.ctx(session, OWNER), link_id=link.id, reason="wrong passage")
        page = services.cmoc_page(session, review.ctx(session, ANA), label="1A")
    assert [item.link.component for item in page.evidence] == [Component.CONTEXT, Component.OUTCOME]
    assert page.gaps == (Component.MECHANISM, Component.OUTCOME)
    from sqlalchemy import select

    from realreview.storage.models import EvidenceLinkRow

    with review.session() as session:
        kept = session.get(EvidenceLinkRow, link.id)
        assert kept is not None and (kept.removed_by, kept.removal_reason) == (OWNER, "wrong passage")
        assert session.scalar(select(EvidenceLinkRow.interpretation).where(EvidenceLinkRow.id == link.id))


def test_versions_are_frozen_and_diffed(review: Review) -> None:
    _built(review)
    with review.session() as session:
        ana = review.ctx(session, ANA)
        services.snapshot_theory(session, ana, name="initial", note="from the first 12 documents")
        services.add_cluster(session, ana, key="values", title="Values")
        services.save_cmoc(
            session,
            ana,
            label="1A",
            cluster="values",
            context="clinics reach deprived areas",
            mechanism="managers see the gaps",
            outcome="outreach is funded",
            direction="reduces",
        )
        services.save_cmoc(session, ana, label="3", cluster="values", mechanism="staff feel responsible")
        services.relate_cmocs(session, ana, source="3", kind="depends_on", target="1A")
        services.snapshot_theory(session, ana, name="refined", note="values cluster split out")
        with pytest.raises(ValidationError, match="never overwritten"):
            services.snapshot_theory(session, ana, name="initial", note="again")
        change = services.diff_theories(session, ana, old="initial", new="refined")
        initial = services.theory_version(session, ana, name="initial")
        versions = services.theory_versions(session, ana)
    assert change.cmocs_added == ("3",)
    assert [(m.label, m.old_cluster, m.new_cluster) for m in change.moved] == [("1A", "data", "values")]
    assert [str(r) for r in change.relations_added] == ["3 depends on 1A"]
    assert change.clusters_added == ("values",)
    assert initial.cmoc("1A").cluster == "data"  # the stored version did not move with the edit
    assert [(v.name, v.cmocs) for v in versions] == [("initial", 1), ("refined", 2)]


def test_an_unknown_version_names_the_ones_there_are(review: Review) -> None:
    _built(review)
    with review.session() as session:
        ana = review.ctx(session, ANA)
        services.snapshot_theory(session, ana, name="initial", note="")
        with pytest.raises(NotFoundError, match="versions: initial"):
            services.theory_version(session, ana, name="final")


def test_a_cmoc_in_a_cluster_the_review_lacks_is_refused(review: Review) -> None:
    with (
        review.session() as session,
        pytest.raises(UnknownCMOCError, match="cluster 'nowhere', which does not exist"),
    ):
        services.save_cmoc(session, review.ctx(session, ANA), label="1", cluster="nowhere", outcome="x")


def test_the_panel_reads_the_synthesis_but_never_edits_or_screens(review: Review) -> None:
    _built(review)
    with review.session() as session:
        services.create_user(session, email=PANEL, actor="tester")
        services.add_member(session, review.ctx(session), email=PANEL, role=services.Role.PANEL)
    with review.session() as session:
        panel = review.ctx(session, PANEL)
        assert services.cmoc_page(session, panel, label="1A").evidence  # the excerpts behind it
        assert "1A" in services.theory_diagram(session, panel, fmt="mermaid")
        with pytest.raises(ForbiddenError):
            services.save_cmoc(session, panel, label="9", cluster="data", outcome="x")
        with pytest.raises(ForbiddenError):
            services.snapshot_theory(session, panel, name="mine", note="")
        with pytest.raises(ForbiddenError):
            services.screening_page(session, panel, stage=Stage.TITLE_ABSTRACT)


def test_the_cmoc_table_and_appendix_read_back_from_docx(review: Review) -> None:
    _built(review)
    with review.session() as session:
        data = services.cmoc_tables(session, review.ctx(session, ANA), fmt="docx", appendix=True)
        csv_text = services.cmoc_tables(session, review.ctx(session, ANA), fmt="csv")
    assert isinstance(data, bytes)
    document = Document(io.BytesIO(data))
    table, appendix = document.tables[0], document.tables[1]
    assert [cell.text for cell in table.rows[0].cells] == [
        "cluster",
        "label",
        "configuration",
        "direction",
        "documents",
    ]
    assert [cell.text for cell in table.rows[1].cells] == [
        "Data and its use",
        "1A",
        "When clinics reach deprived areas, then outreach is funded, because managers see the gaps.",
        "↓ reduces inequalities",
        "smith2020.txt; jones2021.txt",
    ]
    assert [row.cells[4].text for row in appendix.rows[1:]] == [
        "Clinics that reached deprived areas",
        "once the gaps by ethnicity were shown",
        "once the gaps by ethnicity were shown",
    ]
    assert isinstance(csv_text, str) and csv_text.splitlines()[1].startswith("Data and its use,1A,")
