"""CMOCs: validation, the sentence, natural label order, clusters and the edit history."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from tests.synthesis.conftest import clusters, cmocs

from realreview.errors import NotFoundError, ReviewError, ValidationError
from realreview.synthesis import (
    CMOC,
    MAX_STATEMENT,
    Cluster,
    CMOCError,
    Component,
    Confidence,
    Direction,
    Status,
    UnknownCMOCError,
    changed_fields,
    check_placement,
    edit_entry,
    group_by_cluster,
    label_sort_key,
    move,
    reorder,
)

FULL = CMOC(
    "3",
    "values",
    context="leaders name the social causes",
    mechanism="staff feel licensed",
    outcome="plans reach further.",
)


def test_errors_belong_to_the_project_tree() -> None:
    assert issubclass(CMOCError, ValidationError) and issubclass(CMOCError, ReviewError)
    assert issubclass(UnknownCMOCError, NotFoundError)


@pytest.mark.parametrize("label", ["7A", "12", "1b", "C-3", "4.2"])
def test_labels_in_use_are_accepted(label: str) -> None:
    assert CMOC(label, "values", outcome="x").label == label


@pytest.mark.parametrize("label", ["", " 7A", "7 A", "-1", "A" * 17, "7A\n"])
def test_malformed_labels_are_refused(label: str) -> None:
    with pytest.raises(CMOCError, match="CMOC label"):
        CMOC(label, "values", outcome="x")


@pytest.mark.parametrize("key", ["Values", "values and", "", "x" * 41])
def test_malformed_cluster_keys_are_refused(key: str) -> None:
    with pytest.raises(CMOCError, match="cluster key"):
        CMOC("1", key, outcome="x")


def test_a_cmoc_without_any_statement_is_refused_but_a_partial_one_is_kept() -> None:
    with pytest.raises(CMOCError, match="at least one"):
        CMOC("1", "values", context="  ", outcome="")
    partial = CMOC("1", "values", mechanism="  staff feel heard ")
    assert partial.mechanism == "staff feel heard"
    assert partial.missing() == (Component.CONTEXT, Component.OUTCOME)
    assert not partial.is_complete() and FULL.is_complete()


def test_statements_are_bounded_and_free_of_control_characters() -> None:
    CMOC("1", "values", context="x" * MAX_STATEMENT)
    with pytest.raises(CMOCError, match=f"at most {MAX_STATEMENT}"):
        CMOC("1", "values", context="x" * (MAX_STATEMENT + 1))
    with pytest.raises(CMOCError, match="control character"):
        CMOC("1", "values", outcome="bad\x00")


def test_enum_values_given_as_text_are_coerced() -> None:
    cmoc = CMOC("1", "values", outcome="x", direction="worsens", confidence="high", status="agreed")  # type: ignore[arg-type]
    assert (cmoc.direction, cmoc.confidence, cmoc.status) == (
        Direction.WORSENS,
        Confidence.HIGH,
        Status.AGREED,
    )
    with pytest.raises(ValueError):
        CMOC("1", "values", outcome="x", direction="sideways")  # type: ignore[arg-type]


def test_replace_revalidates() -> None:
    with pytest.raises(CMOCError):
        dataclasses.replace(FULL, label="bad label")


@pytest.mark.parametrize(
    ("parts", "sentence"),
    [
        ({"context": "a", "mechanism": "b", "outcome": "c"}, "When a, then c, because b."),
        ({"context": "a", "outcome": "c"}, "When a, then c."),
        ({"context": "a", "mechanism": "b"}, "When a, because b."),
        ({"outcome": "c", "mechanism": "b"}, "C, because b."),
        ({"context": "a."}, "When a."),
        ({"outcome": "costs fall"}, "Costs fall."),
    ],
)
def test_sentence_leaves_out_missing_parts(parts: dict[str, str], sentence: str) -> None:
    assert CMOC("1", "values", **parts).sentence() == sentence


def test_direction_labels_and_symbols() -> None:
    assert Direction.WORSENS.label() == "worsens inequalities"
    assert Direction.UNCLEAR.label("access") == "unclear effect on access"
    assert len({direction.symbol for direction in Direction}) == len(Direction)
    assert [component.letter for component in Component] == ["C", "M", "O"]


def test_labels_sort_naturally() -> None:
    labels = ["10", "1B", "9", "1A", "2", "11A"]
    assert sorted(labels, key=label_sort_key) == ["1A", "1B", "2", "9", "10", "11A"]


def test_cluster_validation() -> None:
    with pytest.raises(CMOCError, match="title"):
        Cluster("data", "  ")
    with pytest.raises(CMOCError, match="differ"):
        Cluster("data", "Data", subthemes=("Use", " Use"))
    assert Cluster("data", " Data ", subthemes=(" Use ",)) == Cluster("data", "Data", subthemes=("Use",))


def test_group_by_cluster_keeps_cluster_and_subtheme_order() -> None:
    extra = CMOC("1B", "values", subtheme="Moral purpose", outcome="y")
    loose = CMOC("9", "values", outcome="z")
    groups = group_by_cluster([*cmocs(), extra, loose], clusters())
    assert [group.cluster.key for group in groups] == ["values", "resources", "design"]
    assert [cmoc.label for cmoc in groups[0].cmocs] == ["9", "1A", "1B", "2"]
    empty = group_by_cluster([], clusters())
    assert [len(group.cmocs) for group in empty] == [0, 0, 0]


def test_placement_is_checked() -> None:
    with pytest.raises(UnknownCMOCError, match="'data'"):
        check_placement([CMOC("1", "data", outcome="x")], clusters())
    with pytest.raises(CMOCError, match="subtheme"):
        check_placement([CMOC("1", "resources", subtheme="Money", outcome="x")], clusters())
    with pytest.raises(CMOCError, match="two CMOCs are labelled 1"):
        check_placement([CMOC("1", "values", outcome="x"), CMOC("1", "design", outcome="y")], clusters())


def test_move_and_reorder() -> None:
    values, resources, design = clusters()
    moved = move(cmocs()[0], design, subtheme="Co-design")
    assert (moved.cluster, moved.subtheme) == ("design", "Co-design")
    assert move(moved, resources).subtheme is None
    with pytest.raises(CMOCError, match="no subtheme"):
        move(moved, resources, subtheme="Co-design")
    assert reorder(clusters(), ["design", "values", "resources"]) == (design, values, resources)
    for bad in (["design", "values"], ["design", "design", "values"], ["design", "values", "resources", "x"]):
        with pytest.raises(CMOCError, match="each cluster once"):
            reorder(clusters(), bad)


def test_edit_entry_records_old_and_new_values() -> None:
    before = cmocs()[1]
    after = dataclasses.replace(before, context="staff prefer equal shares for all", status=Status.AGREED)
    at = datetime(2025, 4, 2, 9, 30, tzinfo=UTC)
    entry = edit_entry(before, after, author=" gw ", at=at)
    assert entry is not None
    assert (entry.label, entry.author, entry.at) == ("2", "gw", at)
    assert [change.field for change in entry.changes] == ["context", "status"]
    context = entry.change("context")
    assert context is not None and context.old == "staff prefer equal shares"
    assert context.new == "staff prefer equal shares for all"
    assert entry.change("status") is not None and entry.change("outcome") is None


def test_edit_entry_follows_relabels_and_subtheme_unset() -> None:
    before = cmocs()[1]
    after = dataclasses.replace(before, label="2B", subtheme=None)
    changes = changed_fields(before, after)
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("label", "2", "2B"),
        ("subtheme", "Equity or equality", None),
    ]


def test_edit_entry_without_change_author_or_timezone() -> None:
    cmoc = cmocs()[0]
    assert edit_entry(cmoc, cmoc, author="lj", at=datetime(2025, 1, 1, tzinfo=UTC)) is None
    with pytest.raises(CMOCError, match="author"):
        edit_entry(cmoc, cmoc, author=" ", at=datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(CMOCError, match="timezone"):
        edit_entry(cmoc, cmoc, author="lj", at=datetime(2025, 1, 1))
