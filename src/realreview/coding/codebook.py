"""The code tree as flat ``(id, parent_id, name)`` nodes, and the questions asked of it.

Codes are stored as rows pointing at their parent, so the tree is rebuilt here whenever it is needed:
to refuse a move that would make a code its own ancestor, to gather a code with everything below it
(a query "coded with X, or anything under X"), to label codes by their full path in a CSV header, and
to list the tree in display order for a template. Every function tolerates a broken tree (a parent
that is missing, or a cycle already stored) rather than looping forever.

:class:`Code` is a code as the review shows it; :func:`tree_rows` and :func:`branches` lay a list of
them out as the tree (flat with depths, or nested).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "DEFAULT_COLOR",
    "Branch",
    "Code",
    "CodeNode",
    "CodeOrigin",
    "branches",
    "descendants",
    "ordered",
    "paths",
    "tree_rows",
    "would_cycle",
]

#: The colour a new code's picker starts at, and the highlight of a code without a colour (pale yellow).
DEFAULT_COLOR = "#FDE68A"


class CodeOrigin(StrEnum):
    """Where a code came from: the initial programme theory (deductive) or the data (inductive)."""

    DEDUCTIVE = "deductive"
    INDUCTIVE = "inductive"


@dataclass(frozen=True, slots=True)
class Code:
    """A code of the codebook with the number of excerpts it is applied to."""

    id: int
    parent_id: int | None
    guid: str
    name: str
    description: str | None
    color: str | None
    origin: CodeOrigin
    is_codable: bool
    excerpts: int = 0


@dataclass(frozen=True, slots=True)
class CodeNode:
    """One code of the tree; ``parent_id`` is ``None`` for a top-level code."""

    id: int
    parent_id: int | None
    name: str


def _children(nodes: Sequence[CodeNode]) -> dict[int | None, list[CodeNode]]:
    known = {node.id for node in nodes}
    found: dict[int | None, list[CodeNode]] = {}
    for node in nodes:
        parent = node.parent_id if node.parent_id in known else None
        found.setdefault(parent, []).append(node)
    for siblings in found.values():
        siblings.sort(key=lambda node: (node.name.casefold(), node.name, node.id))
    return found


def descendants(nodes: Sequence[CodeNode], code_id: int) -> set[int]:
    """The ids of every code below ``code_id`` (children, grandchildren, ...), not ``code_id`` itself.

    >>> tree = [CodeNode(1, None, "A"), CodeNode(2, 1, "B"), CodeNode(3, 2, "C"), CodeNode(4, None, "D")]
    >>> sorted(descendants(tree, 1)), descendants(tree, 3)
    ([2, 3], set())
    """
    below = _children(nodes)
    found: set[int] = set()
    stack = [code_id]
    while stack:
        for child in below.get(stack.pop(), []):
            if child.id not in found and child.id != code_id:
                found.add(child.id)
                stack.append(child.id)
    return found


def would_cycle(nodes: Sequence[CodeNode], *, code_id: int, new_parent_id: int | None) -> bool:
    """Whether moving ``code_id`` under ``new_parent_id`` would put it under itself.

    >>> tree = [CodeNode(1, None, "A"), CodeNode(2, 1, "B"), CodeNode(3, 2, "C")]
    >>> would_cycle(tree, code_id=1, new_parent_id=3), would_cycle(tree, code_id=3, new_parent_id=1)
    (True, False)
    >>> would_cycle(tree, code_id=2, new_parent_id=2), would_cycle(tree, code_id=2, new_parent_id=None)
    (True, False)
    """
    if new_parent_id is None:
        return False
    return new_parent_id == code_id or new_parent_id in descendants(nodes, code_id)


def paths(nodes: Sequence[CodeNode]) -> dict[int, str]:
    """Each code's full path, ``"Parent / Child / Grandchild"``, for display and CSV headers.

    >>> paths([CodeNode(1, None, "Context"), CodeNode(2, 1, "Rural"), CodeNode(3, 2, "Remote")])
    {1: 'Context', 2: 'Context / Rural', 3: 'Context / Rural / Remote'}
    """
    by_id = {node.id: node for node in nodes}
    found: dict[int, str] = {}
    for node in nodes:
        names: list[str] = []
        seen: set[int] = set()
        current: CodeNode | None = node
        while current is not None and current.id not in seen:
            seen.add(current.id)
            names.append(current.name)
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        found[node.id] = " / ".join(reversed(names))
    return found


def ordered(nodes: Sequence[CodeNode]) -> list[tuple[CodeNode, int]]:
    """The tree depth first, siblings by name, each code with its depth (0 for the top level).

    Codes caught in a stored cycle (no path to the top) come last, at depth 0, so none goes missing.

    >>> tree = [CodeNode(1, None, "Outcome"), CodeNode(2, None, "Context"), CodeNode(3, 2, "Rural")]
    >>> [(node.name, depth) for node, depth in ordered(tree)]
    [('Context', 0), ('Rural', 1), ('Outcome', 0)]
    """
    below = _children(nodes)
    found: list[tuple[CodeNode, int]] = []
    placed: set[int] = set()

    def visit(node: CodeNode, depth: int) -> None:
        stack = [(node, depth)]
        while stack:
            current, level = stack.pop()
            if current.id in placed:
                continue
            placed.add(current.id)
            found.append((current, level))
            stack.extend((child, level + 1) for child in reversed(below.get(current.id, [])))

    for root in below.get(None, []):
        visit(root, 0)
    for node in sorted(nodes, key=lambda n: (n.name.casefold(), n.name, n.id)):
        visit(node, 0)
    return found


def tree_rows(codes: Sequence[Code]) -> list[tuple[Code, int]]:
    """The codes in tree order (depth first, siblings by name), each with its depth.

    >>> rows = tree_rows([_code(1, None, "Outcome"), _code(2, None, "Context"), _code(3, 2, "Rural")])
    >>> [(code.name, depth) for code, depth in rows]
    [('Context', 0), ('Rural', 1), ('Outcome', 0)]
    """
    by_id = {code.id: code for code in codes}
    nodes = [CodeNode(code.id, code.parent_id, code.name) for code in codes]
    return [(by_id[node.id], depth) for node, depth in ordered(nodes)]


@dataclass(frozen=True, slots=True)
class Branch:
    """A code with the codes under it, for the nested list of the code tree."""

    code: Code
    depth: int
    children: tuple[Branch, ...]


def branches(rows: Sequence[tuple[Code, int]]) -> list[Branch]:
    """Nest the depth-first ``rows`` of :func:`tree_rows`.

    >>> tree = branches(tree_rows([_code(1, None, "Context"), _code(2, 1, "Rural"), _code(3, None, "Outcome")]))
    >>> [(b.code.name, [c.code.name for c in b.children]) for b in tree]
    [('Context', ['Rural']), ('Outcome', [])]
    """
    return _nest(rows, 0, 0)[0]


def _nest(rows: Sequence[tuple[Code, int]], start: int, depth: int) -> tuple[list[Branch], int]:
    """The branches at ``depth`` from ``rows[start]`` on, and where they stop."""
    found, at = [], start
    while at < len(rows) and rows[at][1] == depth:
        children, after = _nest(rows, at + 1, depth + 1)
        found.append(Branch(rows[at][0], depth, tuple(children)))
        at = after
    return found, at


def _code(code_id: int, parent_id: int | None, name: str) -> Code:
    """A code with only a place and a name (for the examples)."""
    return Code(code_id, parent_id, f"guid-{code_id}", name, None, None, CodeOrigin.INDUCTIVE, True)
