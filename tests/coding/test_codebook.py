"""The code tree: cycles refused, descendants, display paths and depth-first order, on broken trees too."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from realreview.coding import CodeNode, descendants, ordered, paths, would_cycle

TREE = [
    CodeNode(1, None, "Mechanism"),
    CodeNode(2, None, "Context"),
    CodeNode(3, 2, "Rural"),
    CodeNode(4, 3, "Remote"),
    CodeNode(5, 2, "deprived areas"),
    CodeNode(6, 1, "Trust"),
]


def test_would_cycle() -> None:
    assert would_cycle(TREE, code_id=2, new_parent_id=2)  # under itself
    assert would_cycle(TREE, code_id=2, new_parent_id=3)  # under its child
    assert would_cycle(TREE, code_id=2, new_parent_id=4)  # under its grandchild
    assert not would_cycle(TREE, code_id=3, new_parent_id=2)  # where it already is
    assert not would_cycle(TREE, code_id=3, new_parent_id=1)  # a move to another branch
    assert not would_cycle(TREE, code_id=4, new_parent_id=None)  # to the top
    assert not would_cycle(
        TREE, code_id=2, new_parent_id=99
    )  # unknown parent: not a cycle (caller checks existence)


def test_descendants() -> None:
    assert descendants(TREE, 2) == {3, 4, 5}
    assert descendants(TREE, 3) == {4}
    assert descendants(TREE, 6) == set()
    assert descendants(TREE, 42) == set()


def test_paths() -> None:
    assert paths(TREE) == {
        1: "Mechanism",
        2: "Context",
        3: "Context / Rural",
        4: "Context / Rural / Remote",
        5: "Context / deprived areas",
        6: "Mechanism / Trust",
    }


def test_ordered_is_depth_first_with_children_by_name() -> None:
    assert [(node.id, depth) for node, depth in ordered(TREE)] == [
        (2, 0),
        (5, 1),
        (3, 1),
        (4, 2),
        (1, 0),
        (6, 1),
    ]


def test_a_stored_cycle_and_a_missing_parent_do_not_loop_or_drop_codes() -> None:
    broken = [CodeNode(1, 2, "A"), CodeNode(2, 1, "B"), CodeNode(3, 99, "Orphan"), CodeNode(4, 4, "Self")]
    assert descendants(broken, 1) == {2}
    assert would_cycle(broken, code_id=1, new_parent_id=2)
    assert paths(broken) == {1: "B / A", 2: "A / B", 3: "Orphan", 4: "Self"}
    assert [(node.id, depth) for node, depth in ordered(broken)] == [(3, 0), (1, 0), (2, 1), (4, 0)]


@st.composite
def forests(draw: st.DrawFn) -> list[CodeNode]:
    size = draw(st.integers(min_value=1, max_value=25))
    nodes = []
    for node_id in range(1, size + 1):
        parent = draw(st.none() | st.integers(min_value=1, max_value=node_id - 1)) if node_id > 1 else None
        nodes.append(CodeNode(node_id, parent, draw(st.sampled_from(["a", "B", "c"]))))
    return nodes


@given(forests(), st.data())
def test_would_cycle_iff_the_new_parent_has_the_code_as_ancestor(
    nodes: list[CodeNode], data: st.DataObject
) -> None:
    code_id = data.draw(st.integers(min_value=1, max_value=len(nodes)))
    new_parent = data.draw(st.integers(min_value=1, max_value=len(nodes)))
    parent_of = {node.id: node.parent_id for node in nodes}
    chain, current = set(), new_parent
    while current is not None:
        chain.add(current)
        current = parent_of[current]
    assert would_cycle(nodes, code_id=code_id, new_parent_id=new_parent) == (code_id in chain)
    listed = ordered(nodes)
    assert sorted(node.id for node, _ in listed) == [node.id for node in nodes]
    depth = {node.id: d for node, d in listed}
    assert all(depth[n.id] == (0 if n.parent_id is None else depth[n.parent_id] + 1) for n in nodes)
