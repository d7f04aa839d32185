"""``realreview cmocs``, ``cmoc``, ``cluster`` and ``theory`` through CliRunner, from coded excerpts to a diff."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from realreview.cli import app

TEXT = "Staff trusted the audit data when it was split by ethnicity.\fManagers then funded outreach.\n"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("REALREVIEW_USER", "ana")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    invoke("init", "T")
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    invoke("documents", "add", str(tmp_path / "doc.txt"))
    invoke("excerpts", "add", "1", "0", "60")
    invoke("excerpts", "add", "1", "61", "91")
    return invoke


def _ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_from_excerpts_to_a_versioned_theory(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _ok(run("cluster", "add", "data", "Data and its use"))
    made = _ok(
        run(
            "cmoc",
            "set",
            "1A",
            "--cluster",
            "data",
            "-c",
            "audit data are split",
            "-o",
            "outreach is funded",
            "--direction",
            "reduces",
        )
    )
    assert made == "CMOC 1A (data): When audit data are split, then outreach is funded.\n"
    assert _ok(run("cmoc", "link", "1A", "context", "1", "--answer", "relevance=yes")).startswith(
        "Excerpt 1 supports"
    )
    _ok(run("cmoc", "link", "1A", "outcome", "2"))
    _ok(run("theory", "snapshot", "initial", "--note", "first draft"))
    _ok(run("cmoc", "set", "1A", "-m", "staff trust the data"))  # only the mechanism changes
    listed = json.loads(_ok(run("cmocs", "--json")))
    (cmoc,) = listed["clusters"][0]["cmocs"]
    assert (cmoc["context"], cmoc["mechanism"], cmoc["direction"]) == (
        "audit data are split",
        "staff trust the data",
        "reduces",
    )
    assert cmoc["evidence"]["excerpts"] == 2 and cmoc["lacking_evidence"] == ["mechanism"]
    frozen = json.loads(_ok(run("cmocs", "--version", "initial", "--json")))
    assert frozen["version"] == "initial" and frozen["clusters"][0]["cmocs"][0]["mechanism"] == ""
    diffed = _ok(run("theory", "diff", "initial", "working"))
    assert "  ~ CMOC 1A mechanism: '' -> 'staff trust the data'" in diffed
    assert _ok(run("theory", "versions")).startswith("initial\t")
    assert "cmoc_1A" in _ok(run("theory", "diagram", "--format", "mermaid"))
    svg = tmp_path / "theory.svg"
    _ok(run("theory", "diagram", "--format", "svg", "--out", str(svg)))
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml") and "1A ↓" in svg.read_text(
        encoding="utf-8"
    )
    docx = tmp_path / "cmocs.docx"
    _ok(run("theory", "table", "--format", "docx", "--out", str(docx), "--appendix"))
    table = Document(io.BytesIO(docx.read_bytes())).tables[0]
    assert (
        table.rows[1].cells[2].text
        == "When audit data are split, then outreach is funded, because staff trust the data."
    )


def test_errors_are_one_line(run) -> None:  # type: ignore[no-untyped-def]
    new = run("cmoc", "set", "1A", "-o", "x")
    assert (new.exit_code, new.output) == (1, "Error: CMOC 1A is new: give --cluster\n")
    missing = run("theory", "diff", "initial", "working")
    assert missing.exit_code == 1 and missing.output.startswith(
        "Error: review 1 has no programme theory version 'initial'"
    )
    empty = run("theory", "snapshot", "initial", "--note", "")
    assert empty.exit_code == 1 and "no CMOC to snapshot" in empty.output
    bad = run("theory", "diagram", "--format", "png")
    assert bad.exit_code == 1 and "use svg or mermaid" in bad.output


def test_comments_engagements_codes_and_the_matrix(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _ok(run("cluster", "add", "data", "Data"))
    _ok(
        run(
            "cmoc", "set", "1A", "--cluster", "data", "-c", "audit data are split", "-o", "outreach is funded"
        )
    )
    _ok(run("cmoc", "link", "1A", "context", "1"))
    _ok(run("cmoc", "link", "1A", "outcome", "2", "--role", "contradicts"))
    _ok(run("theory", "snapshot", "initial", "--note", ""))
    assert _ok(run("comment", "add", "Too broad?", "--cmoc", "1A")) == "Comment 1 on CMOC 1A.\n"
    _ok(run("comment", "add", "Narrowed.", "--reply-to", "1"))
    _ok(run("comment", "addressed", "1", "--version", "initial"))
    listed = _ok(run("comments", "--cmoc", "1A")).splitlines()
    assert listed[0].startswith("1\tCMOC 1A\tana\t") and listed[0].endswith(
        "Too broad? [addressed in initial]"
    )
    assert listed[1].startswith("  2\tana\t") and listed[1].endswith("Narrowed.")
    _ok(
        run(
            "engagement",
            "add",
            "--date",
            "2025-03-04",
            "--group",
            "PPI group",
            "--cmoc",
            "1A",
            "--notes",
            "trust",
        )
    )
    assert _ok(run("engagement", "list")) == "2025-03-04\tPPI group\t\t1A\ttrust\n"
    bad = run("engagement", "add", "--date", "4 March", "--group", "PPI")
    assert bad.exit_code == 2
    assert _ok(run("theory", "codes", "--version", "initial")) == "3 codes created (0 already there).\n"
    assert _ok(run("theory", "codes", "--version", "initial")) == "0 codes created (3 already there).\n"
    tree = _ok(run("codes", "list"))
    assert "Data\tdeductive" in tree and "CMOC 1A – context\tdeductive" in tree
    matrix = _ok(run("theory", "matrix")).splitlines()
    assert matrix[0] == "cmoc,doc.txt: supports,doc.txt: contradicts,supports,contradicts"
    assert matrix[1] == "1A,1,1,1,1"


def test_an_empty_synthesis_says_how_to_start(run) -> None:  # type: ignore[no-untyped-def]
    assert _ok(run("cmocs")).startswith("No cluster yet; start with: realreview cluster add")
    assert json.loads(_ok(run("cmocs", "--json"))) == {"version": "working", "clusters": [], "relations": []}
