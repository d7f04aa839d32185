"""The dependency direction of DESIGN.md, checked on every module's imports (relative ones included)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "realreview"
DOMAIN = {
    "access",
    "example",
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
    "names",
    "tables",
    "errors",
}
FRAMEWORKS = {"sqlalchemy", "alembic", "fastapi", "typer", "starlette", "click", "rich", "uvicorn"}
#: Modules at the package root that are no layer of their own: the entry point and the public API.
ROOT = {"__init__", "__main__", "settings"}

# layer -> what it must not import (internal layers by first package component, or third-party roots)
FORBIDDEN = {
    "domain": {"storage", "services", "cli", "web", "settings"} | FRAMEWORKS,
    "storage": {"services", "cli", "web", "settings", "fastapi", "typer", "starlette", "click"},
    "services": {"cli", "web", "fastapi", "typer", "starlette", "click"},
    "cli": {"storage", "web", "sqlalchemy", "alembic", "fastapi", "starlette"},
    "web": {"storage", "cli", "sqlalchemy", "alembic", "typer", "click"},
    "settings": {"storage", "services", "cli", "web"} | FRAMEWORKS,
}


def _layer(path: Path) -> str | None:
    part = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    if part in DOMAIN:
        return "domain"
    return part if part in FORBIDDEN else None


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    """The module an ``ImportFrom`` names, with a relative import resolved against ``path``."""
    if node.level == 0:
        return node.module or ""
    package = ["realreview", *path.relative_to(PACKAGE).parent.parts]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            names.add(module)
            if module == "realreview":  # from realreview import storage
                names.update(f"realreview.{alias.name}" for alias in node.names)
    roots = set()
    for name in names:
        parts = name.split(".")
        roots.add(parts[1] if parts[0] == "realreview" and len(parts) > 1 else parts[0])
    return roots


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_layering(path: Path) -> None:
    layer = _layer(path)
    if layer is None:
        assert path.relative_to(PACKAGE).parts[0].removesuffix(".py") in ROOT, (
            f"{path.relative_to(PACKAGE)} belongs to no layer: add its package to DOMAIN or FORBIDDEN"
        )
        return
    bad = _imports(path) & FORBIDDEN[layer]
    assert not bad, f"{path.relative_to(PACKAGE)} ({layer}) imports {sorted(bad)}"


def test_every_layer_is_checked() -> None:
    layers = {_layer(p) for p in MODULES}
    assert {"domain", "storage", "services", "cli", "web"} <= layers


def test_a_relative_import_is_resolved(tmp_path: Path) -> None:
    module = PACKAGE / "web" / "routes" / "screening.py"
    node = ast.parse("from ...storage import models").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert _absolute(module, node) == "realreview.storage"


def test_only_the_audit_mechanism_writes_audit_rows() -> None:
    """Audit rows come from one code path: services/audit.py; no service writes one by hand."""
    writers = [
        p.relative_to(PACKAGE)
        for p in MODULES
        if "add_audit(" in p.read_text(encoding="utf-8") and p.name != "queries.py"
    ]
    assert [str(p) for p in writers] == ["services/audit.py"]
