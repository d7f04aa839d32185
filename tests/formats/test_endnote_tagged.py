import io
from pathlib import Path

import pytest

from realreview.errors import ParseError
from realreview.formats.base import Diagnostic, Diagnostics
from realreview.formats.endnote_tagged import read
from realreview.records import Author, Record

DATA = Path(__file__).parent.parent / "data" / "exports"
ENW = DATA / "endnote_enw"

# Record counts from tests/data/exports/endnote_enw/PROVENANCE.md.
COUNTS = {"colrev_ais_enl.txt": 6, "jabref_Endnote.book.example.enw": 1}


def load(path: Path) -> tuple[list[Record], Diagnostics]:
    diagnostics = Diagnostics()
    with open(path, encoding="utf-8-sig", newline=None) as handle:
        return list(read(handle, diagnostics)), diagnostics


def loads(text: str) -> tuple[list[Record], Diagnostics]:
    diagnostics = Diagnostics()
    return list(read(io.StringIO(text), diagnostics)), diagnostics


def test_every_fixture_is_listed():
    assert sorted(p.name for p in ENW.iterdir() if p.suffix != ".md") == sorted(COUNTS)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_fixture_record_count_and_no_diagnostics(name):
    records, diagnostics = load(ENW / name)
    assert len(records) == COUNTS[name]
    assert [r.position for r in records] == list(range(1, COUNTS[name] + 1))
    assert list(diagnostics) == []
    assert all(r.title for r in records)


def test_ais_records_start_with_title_and_may_lack_type():
    records, _ = load(ENW / "colrev_ais_enl.txt")
    first = records[0]
    assert first.raw[:2] == (
        (
            "%T",
            "How Trust Leads to Commitment on Microsourcing Platforms: Unraveling the Effects of Governance "
            "and Third-Party Mechanisms on Triadic Microsourcing Relationships",
        ),
        ("%0", "Journal Article"),
    )
    assert first.authors[:2] == (Author("Guo", "Wenbo"), Author("Straub", "Detmar W."))
    assert len(first.authors) == 4
    assert (first.year, first.journal, first.volume, first.issue, first.pages) == (
        2021,
        "Management Information Systems Quarterly",
        "45",
        "3",
        "1309-1348",
    )
    assert first.publication_type == "Journal Article"
    assert first.abstract.startswith("IS research has extensively examined the role of trust")
    assert [r.line for r in records] == [1, 17, 27, 37, 50, 61]
    assert [r.publication_type for r in records].count(None) == 4
    assert records[3].authors[2] == Author("Osório", "Gerardo")
    assert records[3].journal == "Hawaii International Conference on System Sciences 2019 (HICSS-52)"
    assert records[1].raw_values("%8") == ["September  1, 2021"]


def test_book_with_non_core_tags_and_no_final_newline():
    (record,), _ = load(ENW / "jabref_Endnote.book.example.enw")
    assert record.title == "Git : dezentrale Versionsverwaltung im Team : Grundlagen und Workflows"
    assert record.authors == (Author("Preißel", "René"), Author("Stachmann", "Bjørn"))
    assert (record.year, record.publication_type, record.pages) == (2016, "Book", "XX, 327")
    assert record.keywords == ("Versionsverwaltung",)
    assert [tag for tag, _ in record.raw] == [
        "%0", "%A", "%A", "%C", "%D", "%I", "%K", "%L", "%P", "%T", "%U", "%7", "%@", "%[", "%=", "%1",
    ]  # fmt: skip
    assert record.raw[-1] == ("%1", "UB Vaihingen (geschlossen: 24.12.15 - 3.1.16)")
    assert record.raw_values("%@") == ["978-3-86490-311-3"]


def test_identifiers_and_continuation_lines():
    text = (
        "%0 Journal Article\r\n%T A title\r\n%A Doe, Jane\r\n%J Journal of Tests\r\n%R 10.1000/XYZ\r\n"
        "%M 12345678\r\n%K alpha\r\nbeta\r\n%X First line\r\nsecond line\r\n%G English\r\n\r\n\r\n\r\n"
        "%T Second\r\n%U https://doi.org/10.1000/second\r\n%U https://pubmed.ncbi.nlm.nih.gov/999/\r\n"
    )
    diagnostics = Diagnostics()
    records = list(read(io.StringIO(text, newline=None), diagnostics))
    first, second = records
    assert (first.doi, first.pmid, first.journal, first.language) == (
        "10.1000/xyz",
        "12345678",
        "Journal of Tests",
        "English",
    )
    assert first.keywords == ("alpha", "beta")
    assert first.raw_values("%X") == ["First line\nsecond line"]
    assert first.abstract == "First line second line"
    assert (second.doi, second.pmid, second.line) == ("10.1000/second", "999", 15)
    assert list(diagnostics) == []


def test_untagged_text_after_blank_line_is_kept_with_a_diagnostic():
    records, diagnostics = loads("%T Title\n%X Paragraph one.\n\nParagraph two.\n\n%T Next\n")
    assert [r.title for r in records] == ["Title", "Next"]
    assert records[0].raw_values("%X") == ["Paragraph one.\n\nParagraph two."]
    assert list(diagnostics) == [
        Diagnostic("untagged text after a blank line; kept as part of %X", record=1, line=4)
    ]


def test_text_before_first_record_is_reported():
    records, diagnostics = loads("\ufeffExported from a catalogue\n%0 Book\n%T Title\n")
    assert [r.title for r in records] == ["Title"]
    assert [str(d) for d in diagnostics] == [
        "line 1: text outside a record ignored: 'Exported from a catalogue'"
    ]


def test_not_endnote_tagged_raises_parse_error_naming_the_line():
    with pytest.raises(ParseError, match=r"^line 1: not EndNote tagged: .*'Title,Authors,Year'"):
        loads("Title,Authors,Year\nA,B,2020\n")


def test_empty_input_has_no_records():
    assert loads("\n\n") == ([], [])
