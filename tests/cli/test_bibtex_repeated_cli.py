"""``realreview import`` of a BibTeX entry with a repeated field keeps the record and says so (issue #10).

Constructed input: no openly licensed real Scopus BibTeX export with repeated fields was found; the
entry follows Scopus's export shape (one ``funding_details`` per funder) with invented values.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from realreview.cli import app

ENTRY = """@ARTICLE{Cooper2018,
author={Cooper, C. and Booth, A.},
title={Defining the process to literature searching in systematic reviews},
year={2018},
url={https://www.scopus.com/inward/record.uri?eid=2-s2.0-85051415084&partnerID=40},
funding_details={National Institute for Health Research, NIHR},
funding_details={Health Technology Assessment Programme, HTA, 16/54/11},
source={Scopus},
}
"""


def test_the_record_is_imported_with_a_note_naming_record_line_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REALREVIEW_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("REALREVIEW_USER", "ana")
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    runner = CliRunner()
    runner.invoke(app, ["init", "T"], catch_exceptions=False)
    path = tmp_path / "scopus.bib"
    path.write_text(ENTRY, encoding="utf-8")

    result = runner.invoke(app, ["import", str(path)], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert "1 record" in result.output
    assert (
        "  note: record 1 (line 1): field 'funding_details' appears 2 times (lines 6, 7); the values are kept "
        "in order, joined with '; '"
    ) in result.output.splitlines()
