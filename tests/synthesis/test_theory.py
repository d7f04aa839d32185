"""Programme theory versions and their diff: added, removed, reworded, moved, judged, related, evidenced."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.synthesis.conftest import WHEN, clusters, cmocs, links, theory

from realreview.synthesis import (
    CMOC,
    Cluster,
    CMOCError,
    Component,
    Direction,
    EvidenceKey,
    EvidenceLink,
    Move,
    ProgrammeTheory,
    Relation,
    RelationKind,
    Rewording,
    Role,
    Status,
    UnknownCMOCError,
    diff,
    snapshot,
)


def test_snapshot_orders_its_parts_so_equal_states_give_equal_versions(initial: ProgrammeTheory) -> None:
    shuffled = theory(cmocs=tuple(reversed(cmocs())), links=tuple(reversed(links())))
    assert shuffled == initial
    assert [cmoc.label for cmoc in initial.cmocs] == ["1A", "2", "5", "7A"]
    assert [cluster.key for cluster in initial.clusters] == ["values", "resources", "design"]
    assert initial.evidence_of("5") == (EvidenceKey("5", Component.OUTCOME, 4),)


def test_snapshot_needs_a_name_an_author_and_an_aware_time() -> None:
    with pytest.raises(CMOCError, match="name"):
        theory(" ")
    with pytest.raises(CMOCError, match="who took it"):
        snapshot("v", note="", created_by=" ", created_at=WHEN, clusters=clusters(), cmocs=cmocs())
    with pytest.raises(CMOCError, match="timezone"):
        snapshot(
            "v", note="", created_by="lj", created_at=datetime(2025, 1, 1), clusters=clusters(), cmocs=cmocs()
        )


def test_a_version_refuses_dangling_parts() -> None:
    with pytest.raises(UnknownCMOCError, match="no CMOC 9"):
        theory(relations=(Relation("9", RelationKind.REFINES, "1A"),))
    with pytest.raises(UnknownCMOCError, match="evidence for CMOC 9"):
        theory(links=(EvidenceLink("9", Component.CONTEXT, excerpt_id=1, document_id=1),))
    with pytest.raises(UnknownCMOCError, match="cluster 'design'"):
        theory(clusters=clusters()[:2])
    with pytest.raises(CMOCError, match="share a key"):
        theory(clusters=(*clusters(), Cluster("design", "Again")))


def test_lookup_by_label_and_key(initial: ProgrammeTheory) -> None:
    assert initial.cmoc("7A").mechanism == "patients feel heard"
    assert initial.cluster("resources").title == "Resources"
    with pytest.raises(UnknownCMOCError):
        initial.cmoc("8")
    with pytest.raises(UnknownCMOCError):
        initial.cluster("money")


def test_diff_of_a_version_with_itself_is_empty(initial: ProgrammeTheory) -> None:
    result = diff(initial, dataclasses.replace(initial, name="copy", note="no change"))
    assert result.is_empty()
    assert (result.old, result.new) == ("initial", "copy")


def test_diff_reports_added_and_removed_cmocs_in_label_order(initial: ProgrammeTheory) -> None:
    kept = [cmoc for cmoc in cmocs() if cmoc.label != "2"]
    added = [CMOC("10", "resources", outcome="a"), CMOC("3", "values", context="b")]
    later = theory("refined", cmocs=(*kept, *added), relations=())
    result = diff(initial, later)
    assert result.cmocs_added == ("3", "10")
    assert result.cmocs_removed == ("2",)
    assert result.relations_removed == initial.relations and result.relations_added == ()
    assert not result.is_empty()


def test_diff_reports_rewording_per_statement_with_old_and_new_text(initial: ProgrammeTheory) -> None:
    first, *rest = cmocs()
    reworded = dataclasses.replace(first, context="staff see unequal outcomes as wrong", outcome="")
    result = diff(initial, theory("refined", cmocs=(reworded, *rest)))
    assert result.reworded == (
        Rewording(
            "1A",
            Component.CONTEXT,
            "staff see unequal outcomes as unjust",
            "staff see unequal outcomes as wrong",
        ),
        Rewording("1A", Component.OUTCOME, "projects set equity goals", ""),
    )
    assert result.moved == () and result.changed == () and result.cmocs_added == ()


def test_diff_reports_moves_and_judgement_changes(initial: ProgrammeTheory) -> None:
    one_a, two, five, seven = cmocs()
    moved = dataclasses.replace(seven, cluster="values", subtheme=None)
    agreed = dataclasses.replace(five, status=Status.AGREED, direction=Direction.MIXED)
    result = diff(initial, theory("refined", cmocs=(one_a, two, agreed, moved)))
    assert result.moved == (Move("7A", "design", "values", "Co-design", None),)
    assert [(c.label, c.field, c.old, c.new) for c in result.changed] == [
        ("5", "direction", "worsens", "mixed"),
        ("5", "status", "draft", "agreed"),
    ]
    assert result.reworded == ()


def test_diff_reports_evidence_added_and_removed_per_cmoc(initial: ProgrammeTheory) -> None:
    more = (
        *links()[1:],
        EvidenceLink("7A", Component.MECHANISM, excerpt_id=20, document_id=13),
        EvidenceLink("7A", Component.CONTEXT, excerpt_id=21, document_id=13),
        EvidenceLink("1A", Component.CONTEXT, excerpt_id=22, document_id=13, role=Role.CONTRADICTS),
    )
    result = diff(initial, theory("refined", links=more))
    assert [change.label for change in result.evidence] == ["1A", "7A"]
    one_a, seven = result.evidence
    assert one_a.added == (EvidenceKey("1A", Component.CONTEXT, 22),)
    assert one_a.removed == (EvidenceKey("1A", Component.CONTEXT, 1),)
    assert seven.added == (
        EvidenceKey("7A", Component.CONTEXT, 21),
        EvidenceKey("7A", Component.MECHANISM, 20),
    )
    assert seven.removed == ()


def test_diff_reports_relations_by_claim_not_note(initial: ProgrammeTheory) -> None:
    renoted = Relation("1A", RelationKind.CONTRASTS_WITH, "2", note="other words, same claim")
    new = Relation("7A", RelationKind.DEPENDS_ON, "1A")
    result = diff(initial, theory("refined", relations=(new, renoted)))
    assert result.relations_added == (new,)
    assert result.relations_removed == ()


def test_diff_reports_clusters_added_removed_and_renamed(initial: ProgrammeTheory) -> None:
    values, resources, design = clusters()
    later = theory(
        "refined",
        clusters=(dataclasses.replace(values, title="Values"), design, Cluster("data", "Data")),
        cmocs=tuple(cmoc for cmoc in cmocs() if cmoc.cluster != "resources"),
        links=tuple(link for link in links() if link.cmoc != "5"),
    )
    result = diff(initial, later)
    assert result.clusters_added == ("data",)
    assert result.clusters_removed == ("resources",)
    assert [(r.key, r.old_title, r.new_title) for r in result.clusters_renamed] == [
        ("values", "Values and understanding", "Values"),
    ]
    assert result.cmocs_removed == ("5",)
    assert [change.label for change in result.evidence] == ["5"]


# -- properties -----------------------------------------------------------------------------------

KEYS = ("values", "resources", "design")
LABELS = ("1A", "1B", "2", "3", "10", "11")
_text = st.sampled_from(["", "staff care", "data are split", "patients are heard"])


@st.composite
def versions(draw: st.DrawFn, name: str = "v") -> ProgrammeTheory:
    labels = draw(st.lists(st.sampled_from(LABELS), unique=True, max_size=len(LABELS)))
    cmoc_list = []
    for label in labels:
        context, mechanism = draw(_text), draw(_text)
        outcome = draw(_text.filter(lambda t: bool(t))) if not (context or mechanism) else draw(_text)
        cmoc_list.append(
            CMOC(
                label,
                draw(st.sampled_from(KEYS)),
                context=context,
                mechanism=mechanism,
                outcome=outcome,
                direction=draw(st.sampled_from(Direction)),
            )
        )
    link_list = [
        EvidenceLink(
            label, draw(st.sampled_from(Component)), excerpt_id=draw(st.integers(1, 5)), document_id=1
        )
        for label in labels
        for _ in range(draw(st.integers(0, 2)))
    ]
    link_list = list({link.key: link for link in link_list}.values())
    cluster_list = tuple(Cluster(key, draw(st.sampled_from(["A", "B"]))) for key in KEYS)
    return snapshot(
        name,
        note="",
        created_by="lj",
        created_at=WHEN,
        clusters=cluster_list,
        cmocs=cmoc_list,
        links=link_list,
    )


@given(versions())
def test_property_diff_with_itself_is_empty(version: ProgrammeTheory) -> None:
    assert diff(version, version).is_empty()


@given(versions("a"), versions("b"))
def test_property_diff_sizes_match_the_versions(a: ProgrammeTheory, b: ProgrammeTheory) -> None:
    result = diff(a, b)
    old, new = {c.label for c in a.cmocs}, {c.label for c in b.cmocs}
    assert set(result.cmocs_added) == new - old and set(result.cmocs_removed) == old - new
    assert len(new) == len(old) + len(result.cmocs_added) - len(result.cmocs_removed)
    added = sum(len(change.added) for change in result.evidence)
    removed = sum(len(change.removed) for change in result.evidence)
    assert len(b.evidence) == len(a.evidence) + added - removed
    assert diff(b, a).cmocs_added == result.cmocs_removed
    assert {(r.label, r.component, r.new, r.old) for r in diff(b, a).reworded} == {
        (r.label, r.component, r.old, r.new) for r in result.reworded
    }
    assert result.is_empty() == (a == dataclasses.replace(b, name="a"))
