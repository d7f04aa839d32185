"""CSV layouts beyond the shared fixtures: other delimiters, other tools' column names, huge cells."""

from __future__ import annotations

import io

import pytest

from realreview.formats import loads
from realreview.formats.base import Diagnostics
from realreview.formats.csv_exports import read

ZOTERO = (
    '"Key","Item Type","Publication Year","Author","Title","Publication Title","DOI","Abstract Note","Pages",'
    '"Issue","Volume","Manual Tags"\n'
    '"ABCD1234","journalArticle","2020","Smith, John; Doe, Jane","Equity in quality improvement",'
    '"BMJ Quality & Safety","10.1136/bmjqs-2020-011234","An abstract.","384-91","5","29","equity; quality"\n'
)


def test_zotero_csv_columns_map_to_fields() -> None:
    result = loads(ZOTERO)
    (record,) = result.records
    assert (result.format, result.source.platform) == ("csv", "Zotero")
    assert [str(a) for a in record.authors] == ["Smith, John", "Doe, Jane"]
    assert (record.year, record.journal, record.pages, record.issue, record.volume) == (
        2020,
        "BMJ Quality & Safety",
        "384-391",
        "5",
        "29",
    )
    assert (record.abstract, record.keywords, record.publication_type) == (
        "An abstract.",
        ("equity", "quality"),
        "journalArticle",
    )


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_exports(delimiter: str) -> None:
    text = delimiter.join(["Title", "Authors", "Published Year", "DOI"]) + "\n"
    text += delimiter.join(['"A title, with a comma"', "Smith J", "2021", "10.1000/xyz"]) + "\n"
    (record,) = loads(text).records
    assert (record.title, record.year, record.doi) == ("A title, with a comma", 2021, "10.1000/xyz")


def test_covidence_csv_is_named() -> None:
    text = (
        '"Title","Authors","Abstract","Published Year","Journal","DOI","Covidence #"\n'
        '"T","Doe J","A","2019","J","","#12"\n'
    )
    result = loads(text)
    assert result.source.platform == "Covidence"
    assert result.records[0].year == 2019


def test_cells_larger_than_the_csv_module_default_are_read() -> None:
    references = "; ".join(f"Author {n}, Title {n}, Journal (2001)" for n in range(6000))
    assert len(references) > 131072
    text = f'Title,Authors,References\n"Big review","Doe J","{references}"\n'
    (record,) = read(io.StringIO(text), Diagnostics())
    assert record.raw_values("References") == [references]
