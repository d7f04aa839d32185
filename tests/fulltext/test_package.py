from __future__ import annotations

import ast
import sys
from pathlib import Path

import realreview.fulltext as fulltext

PACKAGE = Path(fulltext.__file__).parent


def test_all_lists_exactly_the_public_api() -> None:
    public = {name for name in vars(fulltext) if not name.startswith("_")}
    modules = {"extract", "model", "pdf", "plain", "sandbox", "store", "annotations"}

    assert set(fulltext.__all__) == public - modules
    assert sorted(fulltext.__all__) == fulltext.__all__


def test_package_imports_only_the_stdlib_and_pypdfium2() -> None:
    allowed = set(sys.stdlib_module_names) | {"pypdfium2", "realreview"}
    seen: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                seen.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                seen.add(node.module.split(".")[0])
                if node.module.startswith("realreview."):
                    assert node.module.split(".")[1] in {"errors", "fulltext"}, (path.name, node.module)

    assert seen - allowed == set()
    assert "pypdfium2" in seen
