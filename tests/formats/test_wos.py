import dataclasses
import io
from pathlib import Path

import pytest

from realreview.errors import ParseError
from realreview.formats.base import Diagnostics
from realreview.formats.wos import read_plaintext, read_tabdelimited
from realreview.records import Author

DATA = Path(__file__).parent.parent / "data" / "exports"
PLAIN = DATA / "wos_plaintext"
TAB = DATA / "wos_tabdelimited"
UTF8_TAB = TAB / "wosfile_wos_tab_delimited_win_utf8.txt"
UTF16_TAB = TAB / "wosfile_wos_tab_delimited_win_utf16.txt"


def read_file(reader, path: Path, encoding: str = "utf-8-sig") -> tuple[list, Diagnostics]:
    diagnostics = Diagnostics()
    with open(path, encoding=encoding, newline=None) as handle:
        return list(reader(handle, diagnostics)), diagnostics


def read_text(reader, text: str) -> tuple[list, Diagnostics]:
    diagnostics = Diagnostics()
    return list(reader(io.StringIO(text), diagnostics)), diagnostics


@pytest.mark.parametrize(
    ("reader", "path", "encoding", "count"),
    [
        (read_plaintext, PLAIN / "wosfile_wos_plaintext.txt", "utf-8-sig", 50),
        (read_plaintext, PLAIN / "umbrella_review_savedrecs.txt", "utf-8-sig", 29),
        (read_tabdelimited, UTF8_TAB, "utf-8-sig", 50),
        (read_tabdelimited, UTF16_TAB, "utf-16", 50),
    ],
    ids=["plaintext-wosfile", "plaintext-umbrella", "tab-utf8", "tab-utf16"],
)
def test_reads_every_record(reader, path, encoding, count):
    records, diagnostics = read_file(reader, path, encoding)
    assert len(records) == count
    assert [record.position for record in records] == list(range(1, count + 1))
    assert all(record.title for record in records)
    assert list(diagnostics) == []


def test_plaintext_first_record():
    records, _ = read_file(read_plaintext, PLAIN / "wosfile_wos_plaintext.txt")
    first = records[0]
    assert first.title == (
        "Knowledge networks as channels and conduits: "
        "The effects of spillovers in the Boston biotechnology community"
    )
    assert first.authors == (Author("Owen-Smith", "J"), Author("Powell", "WW"))
    assert (first.year, first.doi, first.pmid) == (2004, "10.1287/orsc.1030.0054", None)
    assert (first.journal, first.volume, first.issue, first.pages) == (
        "ORGANIZATION SCIENCE",
        "15",
        "1",
        "5-21",
    )
    assert first.abstract.startswith("We contend that two important, nonrelational, features")
    assert first.keywords[:5] == (
        "knowledge networks",
        "economic geography",
        "spillovers",
        "biotechnology",
        "patenting",
    )
    assert (first.language, first.publication_type) == ("English", "Article")
    assert first.line == 3
    assert records[-1].title == "Engineering research in ocean sector: An international profile"


def test_plaintext_continuations_are_values_or_wrapped_text_by_tag():
    first = read_file(read_plaintext, PLAIN / "wosfile_wos_plaintext.txt")[0][0]
    assert first.raw[:2] == (("PT", "J"), ("AU", "Owen-Smith, J"))
    assert first.raw_values("AU") == ["Owen-Smith, J", "Powell, WW"]
    assert first.raw_values("C1") == [
        "Univ Michigan, Dept Sociol, Ann Arbor, MI 48104 USA.",
        "Stanford Univ, Stanford, CA 94305 USA.",
    ]
    assert len(first.raw_values("CR")) == 62
    assert first.raw_values("TI") == [first.title]
    assert first.raw_values("DE") == [
        "knowledge networks; economic geography; spillovers; biotechnology; patenting"
    ]
    assert not any(tag in {"FN", "VR", "ER", "EF"} for tag, _ in first.raw)


def test_plaintext_without_newline_after_ef():
    records, _ = read_file(read_plaintext, PLAIN / "umbrella_review_savedrecs.txt")
    first, last = records[0], records[-1]
    assert first.title == "Critical review of urban community resilience indicators"
    assert first.authors[0] == Author("Osei-Kyei", "Robert")
    assert (first.year, first.doi) == (2023, "10.1108/sasbe-08-2022-0180")
    assert last.title == "Flood resilience: A systematic review"
    assert (last.year, last.doi, last.pages) == (2022, "10.1080/09640568.2019.1641474", "370-370")
    assert last.raw[-1] == ("TC", "75")


def test_truncated_plaintext_keeps_the_last_record_with_a_diagnostic():
    text = "FN Clarivate\nVR 1.0\nPT J\nAU Roe, A\nTI One\nER\n\nPT J\nAU Doe, J\nTI A title that is\n   cut"
    records, diagnostics = read_text(read_plaintext, text)
    assert [record.title for record in records] == ["One", "A title that is cut"]
    assert [(d.record, d.line) for d in diagnostics] == [(2, 8)]
    assert "no ER line" in diagnostics[0].message


def test_plaintext_record_not_starting_with_pt_is_kept():
    records, diagnostics = read_text(read_plaintext, "FN x\nVR 1.0\nAU Roe, A\nTI One\nER\nEF\n")
    assert [record.title for record in records] == ["One"]
    assert [d.line for d in diagnostics] == [3]


def test_tab_delimited_record_matches_plaintext_export_of_the_same_search():
    plain = read_file(read_plaintext, PLAIN / "wosfile_wos_plaintext.txt")[0]
    tab = read_file(read_tabdelimited, UTF8_TAB)[0]
    assert tab[0].raw_values("AU") == ["Owen-Smith, J; Powell, WW"]
    assert tab[0].line == 2
    for left, right in zip(plain, tab, strict=True):
        assert dataclasses.replace(left, raw=(), line=None) == dataclasses.replace(right, raw=(), line=None)


def test_utf8_and_utf16_tab_files_give_identical_records():
    assert read_file(read_tabdelimited, UTF8_TAB)[0] == read_file(read_tabdelimited, UTF16_TAB, "utf-16")[0]


def test_tab_row_with_wrong_field_count_gives_a_diagnostic_and_is_kept():
    text = "PT\tAU\tTI\tPY\nJ\tRoe, A\tOne\t2001\t\nJ\tDoe, J\tTwo\nJ\tPoe, E\tThree\t2003\textra\t\n"
    records, diagnostics = read_text(read_tabdelimited, text)
    assert [(r.title, r.year) for r in records] == [("One", 2001), ("Two", None), ("Three", 2003)]
    assert [(d.record, d.line) for d in diagnostics] == [(2, 3), (3, 4)]
    assert "row has 3 tab-separated fields but the header has 4 tags" in diagnostics[0].message
    assert ("column 5", "extra") in records[2].raw


def test_tab_file_without_tag_header_is_refused():
    with pytest.raises(ParseError, match="^line 1: the header row does not list Web of Science field tags"):
        read_text(read_tabdelimited, "Title\tAuthors\nOne\tRoe\n")
