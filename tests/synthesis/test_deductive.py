"""The deductive code tree an initial programme theory proposes."""

from __future__ import annotations

from tests.synthesis.conftest import theory

from realreview.coding import CodeOrigin
from realreview.synthesis import CMOC, Component, ProgrammeTheory, deductive_codes


def test_a_parent_per_cluster_and_a_child_per_stated_component(initial: ProgrammeTheory) -> None:
    codes = deductive_codes(initial)
    parents = [code for code in codes if code.parent is None]
    assert [code.name for code in parents] == ["Values and understanding", "Resources", "Design"]
    assert parents[2].description == "How projects are shaped"
    children = [(code.parent, code.cmoc, code.component) for code in codes if code.parent]
    assert children == [
        ("cluster:values", "1A", Component.CONTEXT),
        ("cluster:values", "1A", Component.MECHANISM),
        ("cluster:values", "1A", Component.OUTCOME),
        ("cluster:values", "2", Component.CONTEXT),
        ("cluster:resources", "5", Component.OUTCOME),
        ("cluster:design", "7A", Component.MECHANISM),
    ]
    assert all(code.origin is CodeOrigin.DEDUCTIVE for code in codes)
    assert len({code.key for code in codes}) == len(codes)
    two = next(code for code in codes if code.key == "cmoc:2:context")
    assert (two.name, two.description) == ("CMOC 2 – context", "staff prefer equal shares")


def test_unstated_components_only_on_request(initial: ProgrammeTheory) -> None:
    codes = deductive_codes(initial, include_unstated=True)
    assert len([code for code in codes if code.parent]) == 4 * 3
    unstated = next(code for code in codes if code.key == "cmoc:7A:outcome")
    assert unstated.description == ""


def test_an_empty_cluster_still_gets_its_parent_code() -> None:
    codes = deductive_codes(theory(cmocs=(CMOC("1", "values", outcome="x"),), relations=(), links=()))
    assert [code.key for code in codes] == [
        "cluster:values",
        "cmoc:1:outcome",
        "cluster:resources",
        "cluster:design",
    ]
