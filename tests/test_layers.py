"""The dependency direction of DESIGN.md, checked on every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "realreview"
DOMAIN = {
    "records",
    "formats",
    "dedup",
    "screening",
    "prioritise",
    "coding",
    "fulltext",
    "characteristics",
    "synthesis",
    "reporting",
    "errors",
}
FRAMEWORKS = {"sqlalchemy", "alembic", "fastapi", "typer", "starlette", "click", "rich"}

# layer -> what it must not import (internal layers by first package component, or third-party roots)
FORBIDDEN = {
    "domain": {"storage", "services", "cli", "web", "settings"} | FRAMEWORKS,
    "storage": {"services", "cli", "web"},
    "services": {"cli", "web"},
}


def _layer(path: Path) -> str | None:
    part = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    if part in DOMAIN:
        return "domain"
    return part if part in FORBIDDEN else None


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    roots = set()
    for name in names:
        parts = name.split(".")
        roots.add(parts[1] if parts[0] == "realreview" and len(parts) > 1 else parts[0])
    return roots


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if _layer(p) is not None and "migrations" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_layering(path: Path) -> None:
    layer = _layer(path)
    assert layer is not None
    bad = _imports(path) & FORBIDDEN[layer]
    assert not bad, f"{path.relative_to(PACKAGE)} ({layer}) imports {sorted(bad)}"


def test_layering_check_sees_the_domain() -> None:
    assert any(_layer(p) == "domain" for p in MODULES)
    assert any(_layer(p) == "services" for p in MODULES)
