"""Evidence links: prompts, gaps, per-CMOC counts, sources and the CMOC × document matrix."""

from __future__ import annotations

import pytest
from tests.synthesis.conftest import cmocs, links

from realreview import tables
from realreview.synthesis import (
    CMOC,
    PROMPTS,
    CMOCError,
    Component,
    EvidenceLink,
    Role,
    build_cmoc_matrix,
    check_links,
    evidence_counts,
    gaps,
    sources,
)

DOCUMENTS = [(10, "Smith 2020"), (11, "Jones, 2021"), (12, "=Lee 2022")]


def test_prompts_have_distinct_keys_and_questions() -> None:
    keys = [prompt.key for prompt in PROMPTS]
    assert keys == ["relevance", "trustworthiness", "function", "relation"]
    assert all(prompt.question.endswith("?") for prompt in PROMPTS)


def test_a_link_keeps_answers_to_known_prompts_only() -> None:
    link = EvidenceLink(
        "1A",
        "mechanism",  # type: ignore[arg-type]
        excerpt_id=2,
        document_id=11,
        role="refines",  # type: ignore[arg-type]
        interpretation=" duty, not rules ",
        answers=(("relevance", " high "), ("function", "  ")),
    )
    assert (link.component, link.role, link.interpretation) == (
        Component.MECHANISM,
        Role.REFINES,
        "duty, not rules",
    )
    assert link.answers == (("relevance", "high"),)
    with pytest.raises(CMOCError, match="not a prompt"):
        EvidenceLink("1A", Component.CONTEXT, excerpt_id=1, document_id=1, answers=(("mood", "good"),))
    with pytest.raises(CMOCError, match="twice"):
        EvidenceLink(
            "1A",
            Component.CONTEXT,
            excerpt_id=1,
            document_id=1,
            answers=(("relevance", "a"), ("relevance", "b")),
        )


def test_the_same_excerpt_twice_on_one_component_is_refused() -> None:
    check_links(links())
    again = EvidenceLink("1A", Component.CONTEXT, excerpt_id=1, document_id=10, role=Role.CONTRADICTS)
    with pytest.raises(CMOCError, match="already evidence for the context of CMOC 1A"):
        check_links([*links(), again])


def test_gaps_count_only_supporting_links_of_that_cmoc() -> None:
    one_a, two, five, seven = cmocs()
    assert gaps(one_a, links()) == ()
    assert gaps(two, links()) == tuple(Component)
    # the refining link on 5's outcome does not ground it
    assert gaps(five, links()) == tuple(Component)
    seven_links = [EvidenceLink("7A", Component.MECHANISM, excerpt_id=9, document_id=12)]
    assert gaps(seven, seven_links) == (Component.CONTEXT, Component.OUTCOME)
    assert gaps(seven, [EvidenceLink("1A", Component.MECHANISM, excerpt_id=9, document_id=12)]) == tuple(
        Component
    )


def test_only_contradicting_evidence_leaves_a_gap() -> None:
    cmoc = CMOC("4", "values", outcome="bias falls")
    against = [EvidenceLink("4", Component.OUTCOME, excerpt_id=1, document_id=1, role=Role.CONTRADICTS)]
    assert Component.OUTCOME in gaps(cmoc, against)


def test_evidence_counts_per_cmoc() -> None:
    counts = evidence_counts(links(), labels=["1A", "2", "5", "7A"])
    one_a = counts["1A"]
    assert (one_a.documents, one_a.excerpts) == (3, 3)
    assert (one_a.supports, one_a.contradicts, one_a.refines) == (3, 1, 0)
    assert (counts["5"].documents, counts["5"].refines) == (1, 1)
    assert counts["2"].documents == counts["2"].excerpts == counts["2"].supports == 0
    assert list(counts) == ["1A", "2", "5", "7A"]


def test_sources_list_documents_and_excerpts_once() -> None:
    assert sources("1A", links()) == ((10, (1,)), (11, (2,)), (12, (3,)))
    assert sources("2", links()) == ()


def test_matrix_counts_distinct_excerpts_by_role() -> None:
    matrix = build_cmoc_matrix(["1A", "5", "2"], DOCUMENTS, links())
    # excerpt 2 backs both mechanism and outcome of 1A: one excerpt in the cell
    assert matrix.cell("1A", 11) == (1, 0)
    assert matrix.cell("1A", 12) == (0, 1)
    assert matrix.cell("5", 10) == (0, 0)  # refining links are not in the matrix
    table = matrix.table()
    assert table.header == [
        "cmoc",
        "Smith 2020: supports",
        "Smith 2020: contradicts",
        "Jones, 2021: supports",
        "Jones, 2021: contradicts",
        "=Lee 2022: supports",
        "=Lee 2022: contradicts",
        "supports",
        "contradicts",
    ]
    assert table.rows == [
        ["1A", 1, 0, 1, 0, 0, 1, 2, 1],
        ["5", 0, 0, 0, 0, 0, 0, 0, 0],
        ["2", 0, 0, 0, 0, 0, 0, 0, 0],
    ]


def test_matrix_leaves_out_unlisted_cmocs_and_documents() -> None:
    matrix = build_cmoc_matrix(
        ["1A"], DOCUMENTS[:1], [*links(), EvidenceLink("9", "context", excerpt_id=5, document_id=10)]
    )  # type: ignore[arg-type]
    assert matrix.table().rows == [["1A", 1, 0, 1, 0]]
    assert dict(matrix.supports) == {("1A", 10): 1} and dict(matrix.contradicts) == {}


def test_matrix_table_goes_through_the_shared_csv_writer() -> None:
    text = tables.to_csv(build_cmoc_matrix(["1A"], DOCUMENTS, links()).table())
    header = text.splitlines()[0]
    assert '"Jones, 2021: supports"' in header and "'=Lee 2022: supports" in header
