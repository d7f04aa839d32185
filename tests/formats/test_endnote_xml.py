import io
from pathlib import Path

import pytest

from realreview.errors import ParseError
from realreview.formats.base import Diagnostics
from realreview.formats.endnote_xml import read
from realreview.records import Author

DATA = Path(__file__).parent.parent / "data" / "exports"
FOLDER = DATA / "endnote_xml"
STYLE = '<style face="normal" font="default" size="100%">{}</style>'


def read_file(path: Path) -> tuple[list, Diagnostics]:
    diagnostics = Diagnostics()
    with open(path, encoding="utf-8-sig", newline=None) as handle:
        return list(read(handle, diagnostics)), diagnostics


def read_text(text: str) -> tuple[list, Diagnostics]:
    diagnostics = Diagnostics()
    return list(read(io.StringIO(text), diagnostics)), diagnostics


@pytest.mark.parametrize(
    ("name", "count", "with_pmid"),
    [
        ("reflib_blue-light.xml", 102, 102),
        ("reflib_spidercite_demo.xml", 10, 10),
        ("reflib_dump_converted_test.xml", 25, 19),
    ],
)
def test_reads_every_record(name, count, with_pmid):
    records, diagnostics = read_file(FOLDER / name)
    assert len(records) == count
    assert [record.position for record in records] == list(range(1, count + 1))
    assert sum(record.pmid is not None for record in records) == with_pmid
    assert all(record.line == 1 for record in records)  # the whole export is one line
    assert list(diagnostics) == []


def test_blue_light_first_record():
    first = read_file(FOLDER / "reflib_blue-light.xml")[0][0]
    assert first.title == (
        "Formulation of Herbal Gel of Antirrhinum majus Extract and Evaluation of its "
        "Anti-Propionibacterium acne Effects"
    )
    assert first.authors[0] == Author("Shahtalebi", "M. A.")
    assert len(first.authors) == 5
    assert (first.year, first.doi, first.pmid) == (2018, "10.4103/abr.abr_99_17", "29657938")
    assert first.journal == "Adv Biomed Res"
    assert first.abstract.startswith("BACKGROUND: Antirrhinum majus contains aurone")
    assert first.keywords == ("Acne", "Antirrhinum majus", "Propionibacterium acnes", "blue light")
    assert first.publication_type == "Journal Article"


def test_raw_pairs_drop_style_wrappers_and_split_carriage_returns():
    first = read_file(FOLDER / "reflib_blue-light.xml")[0][0]
    raw = first.raw
    assert ("ref-type", "Journal Article") in raw
    assert ("ref-type@number", "17") in raw
    assert ("titles/secondary-title", "Adv Biomed Res") in raw
    assert ("remote-database-provider", "NLM") in raw
    assert first.raw_values("isbn") == ["2277-9175 (Print)", "2277-9175"]
    assert len(first.raw_values("auth-address")) == 5
    assert first.raw_values("contributors/authors/author")[0] == "Shahtalebi, M. A."
    assert not any("<style" in value or "\r" in value for _, value in raw)


def test_spidercite_record_with_pub_date():
    first = read_file(FOLDER / "reflib_spidercite_demo.xml")[0][0]
    assert first.title.startswith("A multicenter, randomized, split-face clinical trial")
    assert first.authors[0] == Author("Antoniou", "C.")
    assert (first.year, first.doi, first.pmid) == (2016, "10.1111/ijd.13349", "27575854")
    assert first.raw_values("dates/pub-dates/date") == ["Dec"]


def test_accession_numbers_are_pmids_only_for_medline_sources():
    records = read_file(FOLDER / "reflib_dump_converted_test.xml")[0]
    cinahl = records[0]
    assert cinahl.title == (
        "AAN's First 21st-Century Position Statement on Ethical Consideration in Dementia Diagnosis and Care"
    )
    assert cinahl.authors == ()
    assert (cinahl.year, cinahl.doi, cinahl.pmid) == (2021, "10.1212/wnl.0000000000012606", None)
    assert cinahl.abstract.startswith("The Editor retracts this editorial")
    medline = next(record for record in records if ("remote-database-name", "MEDLINE") in record.raw)
    assert medline.pmid == "33043412"


def test_digits_linked_to_pubmed_count_as_pmid():
    record = (
        '<xml><records><record><ref-type name="Journal Article">17</ref-type>'
        f"<titles><title>{STYLE.format('T')}</title></titles><accession-num>{STYLE.format('12345')}</accession-num>"
        f"<urls><related-urls><url>{STYLE.format('https://pubmed.ncbi.nlm.nih.gov/12345/')}</url></related-urls></urls>"
        "</record></records></xml>"
    )
    assert read_text(record)[0][0].pmid == "12345"
    assert read_text(record.replace("pubmed.ncbi.nlm.nih.gov", "example.org"))[0][0].pmid is None


def test_record_without_title_is_kept_with_a_diagnostic():
    records, diagnostics = read_text(
        "<xml><records><record><rec-number>1</rec-number></record></records></xml>"
    )
    assert len(records) == 1
    assert [(d.record, d.line, d.message) for d in diagnostics] == [(1, 1, "record has no title; kept")]


def test_truncated_export_raises_naming_the_line():
    text = (FOLDER / "reflib_spidercite_demo.xml").read_text(encoding="utf-8")[:30000]
    with pytest.raises(
        ParseError, match=r"^line 1: the file ends inside a <record> element \(truncated\?\)$"
    ):
        read_text(text)
