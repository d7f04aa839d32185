"""A reviewer's state changes only through ``screening.transition`` (the transitions table).

Walks the package's source: outside ``screening/states.py`` and ``screening/decisions.py`` nothing
may assign a ``ReviewerState`` to an attribute or build a ``Call`` (a state) from one.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent.parent / "src" / "realreview"
ALLOWED = {PACKAGE / "screening" / "states.py", PACKAGE / "screening" / "decisions.py"}


def _mentions_state(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute) and getattr(n.value, "id", None) == "ReviewerState"
        for n in ast.walk(node)
    )


def offenders(root: Path = PACKAGE, allowed: set[Path] = ALLOWED) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if (
                    any(isinstance(t, ast.Attribute) for t in targets)
                    and node.value
                    and _mentions_state(node.value)
                ):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Call"
                and _mentions_state(node)
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_state_is_set_outside_the_state_machine() -> None:
    assert offenders() == []


def test_the_check_would_see_an_offence(tmp_path: Path) -> None:
    (tmp_path / "sample.py").write_text(
        "record.state = ReviewerState.INCLUDED\ncall = Call(ReviewerState.EXCLUDED)\nok = Call(other)\n",
        encoding="utf-8",
    )
    assert offenders(tmp_path, allowed=set()) == ["sample.py:1", "sample.py:2"]
