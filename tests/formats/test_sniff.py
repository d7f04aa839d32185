from __future__ import annotations

import pytest
from tests.exports_table import EXPORT_FILES, EXPORTS, Export

from realreview.formats import read_export
from realreview.formats.sniff import detect


def test_every_export_in_the_fixture_folder_is_in_the_table() -> None:
    on_disk = {
        str(p.relative_to(EXPORTS))
        for p in EXPORTS.rglob("*")
        if p.is_file()
        and p.suffix not in {".md", ""}
        and p.name not in {"SHA256SUMS", ".gitattributes"}
        # REFI-QDA projects and their schema are not bibliographic exports (tests/coding reads them).
        and not p.relative_to(EXPORTS).parts[0].startswith("refi_qda")
    }
    assert on_disk == {export.path for export in EXPORT_FILES}


@pytest.mark.parametrize("export", EXPORT_FILES, ids=lambda e: e.path)
def test_detects_format_and_source(export: Export) -> None:
    opened = read_export(EXPORTS / export.path)
    assert (opened.format, opened.source.database, opened.source.platform) == (
        export.format,
        export.database,
        export.platform,
    )
    assert 0.5 <= opened.confidence <= 1.0


def test_misleading_extension_is_detected_from_content() -> None:
    head = (EXPORTS / "medline_nbib/cff_pubmed_medline.ris").read_text(encoding="utf-8")[:65536]
    assert detect(head)[0].format == "medline"


def test_plain_prose_matches_no_format() -> None:
    assert detect("Dear colleague,\nplease find attached the minutes of our meeting.\n") == []
