from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from realreview.errors import ParseError
from realreview.formats.base import Diagnostics
from realreview.formats.csv_exports import WRITER_COLUMNS, dumps, read, split_authors
from realreview.records import Record, make_record

DATA = Path(__file__).parent.parent / "data" / "exports"

NORMALISED = (
    "title",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "abstract",
    "keywords",
    "language",
    "publication_type",
)

CSV_FILES = sorted(
    str(path.relative_to(DATA))
    for folder in ("scopus_csv", "other_database_csv", "rayyan_csv")
    for path in (DATA / folder).glob("*.csv")
)


def load(path: Path) -> tuple[list[Record], Diagnostics]:
    diagnostics = Diagnostics()
    with open(path, encoding="utf-8-sig", newline=None) as file:
        return list(read(file, diagnostics)), diagnostics


def loads(text: str) -> tuple[list[Record], Diagnostics]:
    diagnostics = Diagnostics()
    return list(read(io.StringIO(text), diagnostics)), diagnostics


def normalised(record: Record) -> dict[str, object]:
    return {name: getattr(record, name) for name in NORMALISED}


# file, records, line of record 1, title start, first author's family name, year, DOI, PMID, abstract?
FIXTURES = [
    (
        "scopus_csv/cff_scopus.csv",
        10,
        2,
        "Global latitudinal gradients and the evolution of body size",
        "Wilson",
        2024,
        "10.1038/s41467-024-46843-2",
        "38580657",
        True,
    ),
    (
        "scopus_csv/umbrella_review_scopus.csv",
        29,
        2,
        "Critical review of urban community resilience indicators",
        "Osei-Kyei",
        2023,
        "10.1108/sasbe-08-2022-0180",
        None,
        True,
    ),
    (
        "other_database_csv/cff_embase.csv",
        10,
        5,
        "Cellular structure of dinosaur scales reveals retention of reptile-type skin",
        "Yang",
        2024,
        "10.1038/s41467-024-48400-3",
        "38773066",
        True,
    ),
    (
        "other_database_csv/asreview_embase.csv",
        6,
        2,
        "Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound",
        "Liu",
        2014,
        None,
        None,
        True,
    ),
    (
        "other_database_csv/cff_pubmed.csv",
        10,
        2,
        "Time lapse: A glimpse into prehistoric genomics",
        "Griffin",
        2020,
        "10.1016/j.ejmg.2019.03.004",
        "30922926",
        False,
    ),
    (
        "other_database_csv/cff_cinahl.csv",
        10,
        2,
        "Osteohistological insight into the growth dynamics of early dinosaurs",
        "Curry Rogers",
        2024,
        "10.1371/journal.pone.0298242",
        None,
        True,
    ),
    (
        "other_database_csv/cff_cochrane.csv",
        3,
        2,
        "The Incredible Years Therapeutic Dinosaur Programme",
        "Bywater",
        2011,
        "10.1186/1745-6215-12-39",
        "21314913",
        True,
    ),
    (
        "rayyan_csv/cff_rayyan.csv",
        10,
        2,
        "Cellular structure of dinosaur scales reveals retention of reptile-type skin",
        "Yang",
        2024,
        "10.1038/s41467-024-48400-3",
        None,
        True,
    ),
]


def test_every_csv_fixture_has_a_case() -> None:
    assert sorted(case[0] for case in FIXTURES) == CSV_FILES


@pytest.mark.parametrize(
    ("name", "count", "line", "title", "family", "year", "doi", "pmid", "has_abstract"), FIXTURES
)
def test_fixture(
    name: str,
    count: int,
    line: int,
    title: str,
    family: str,
    year: int,
    doi: str | None,
    pmid: str | None,
    has_abstract: bool,
) -> None:
    records, diagnostics = load(DATA / name)

    assert len(records) == count
    assert list(diagnostics) == []
    assert [record.position for record in records] == list(range(1, count + 1))
    first = records[0]
    assert first.line == line
    assert first.title is not None and first.title.startswith(title)
    assert first.authors[0].family == family
    assert first.year == year
    assert first.doi == doi
    assert first.pmid == pmid
    assert (first.abstract is not None) is has_abstract
    assert all(record.title for record in records)


def test_scopus_record_details() -> None:
    records, _ = load(DATA / "scopus_csv" / "cff_scopus.csv")
    first = records[0]

    assert [str(author) for author in first.authors[:2]] == ["Wilson, L.N.", "Gardner, J.D."]
    assert len(first.authors) == 8
    assert first.journal == "Nature Communications"
    assert (first.volume, first.issue) == ("15", "1")
    assert first.language == "English"
    assert first.publication_type == "Article"
    assert first.keywords[:3] == ("Animals", "Biological Evolution", "Body Size")
    assert records[1].pages == "1084-1092"


def test_raw_keeps_every_non_empty_cell_under_its_header_in_column_order() -> None:
    records, _ = load(DATA / "scopus_csv" / "cff_scopus.csv")
    raw = records[0].raw

    assert raw[0] == (
        "Authors",
        "Wilson L.N.; Gardner J.D.; Wilson J.P.; Farnsworth A.; Perry Z.R.; Druckenmiller P.S.; "
        "Erickson G.M.; Organ C.L.",
    )
    assert [tag for tag, _ in raw[:5]] == ["Authors", "Author full names", "Author(s) ID", "Title", "Year"]
    assert ("Source", "Scopus") in raw
    assert all(value.strip() for _, value in raw)
    assert "Page start" not in dict(raw)


def test_old_scopus_layout_splits_comma_separated_authors() -> None:
    records, _ = load(DATA / "scopus_csv" / "umbrella_review_scopus.csv")

    assert [str(author) for author in records[0].authors] == [
        "Osei-Kyei, R.",
        "Tam, V.",
        "Komac, U.",
        "Ampratwum, G.",
    ]


def test_embase_preamble_is_skipped_and_counted_in_line_numbers() -> None:
    records, _ = load(DATA / "other_database_csv" / "cff_embase.csv")

    assert [record.line for record in records] == list(range(5, 15))
    assert records[0].journal == "Nature Communications"
    assert records[0].language == "English"


def test_2019_embase_source_citation_is_split_into_fields() -> None:
    records, _ = load(DATA / "other_database_csv" / "asreview_embase.csv")
    first = records[0]

    assert (first.journal, first.year, first.volume, first.issue, first.pages) == (
        "Endoscopic Ultrasound",
        2014,
        "3",
        "3",
        "152-160",
    )
    assert records[2].journal == "International Journal of Surgery Case Reports"
    assert records[2].issue is None


def test_pubmed_csv_authors_are_split_on_commas() -> None:
    records, _ = load(DATA / "other_database_csv" / "cff_pubmed.csv")

    assert [author.family for author in records[0].authors] == ["Griffin", "Larkin", "O'Connor"]
    assert records[0].journal == "Eur J Med Genet"


def test_cochrane_source_column_is_the_journal() -> None:
    records, _ = load(DATA / "other_database_csv" / "cff_cochrane.csv")

    assert records[0].journal == "Trials"
    assert records[0].publication_type == "Journal article"


def test_rayyan_notes_become_structured_fields_after_the_notes_cell() -> None:
    records, _ = load(DATA / "rayyan_csv" / "cff_rayyan.csv")
    raw = list(records[0].raw)
    notes_at = raw.index(("notes", 'RAYYAN-INCLUSION: {"Emily"=>"Included"}'))

    assert raw[notes_at + 1] == ("rayyan:inclusion:Emily", "Included")
    assert raw[0] == ("key", "rayyan-42924189")
    verdicts = [record.raw_values("rayyan:inclusion:Emily") for record in records]
    assert verdicts == [["Included"]] * 2 + [["Maybe"]] * 2 + [["Excluded"]] * 2 + [[]] * 4
    assert [str(author) for author in records[0].authors] == [
        "Yang, Z.",
        "Jiang, B.",
        "Xu, J.",
        "McNamara, M.E.",
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Wilson L.N.; Gardner J.D.", ["Wilson L.N.", "Gardner J.D."]),
        ("Bywater, T; Hutchings, J", ["Bywater, T", "Hutchings, J"]),
        ("Yang, Z. and Jiang, B.", ["Yang, Z.", "Jiang, B."]),
        ("Griffin DK, Larkin DM, O'Connor RE.", ["Griffin DK", "Larkin DM", "O'Connor RE."]),
        ("Liu R., Adler D.G.", ["Liu R.", "Adler D.G."]),
        ("Curry Rogers, Kristina", ["Curry Rogers, Kristina"]),
        (
            "Wilson, Lauren N. (58975547800); Gardner, Jacob D. (57190394669)",
            ["Wilson, Lauren N.", "Gardner, Jacob D."],
        ),
        ("World Health Organization", ["World Health Organization"]),
    ],
)
def test_split_authors(text: str, names: list[str]) -> None:
    assert split_authors(text) == names


@pytest.mark.parametrize("name", CSV_FILES)
def test_round_trip_preserves_normalised_fields(name: str) -> None:
    records, _ = load(DATA / name)

    again, diagnostics = loads(dumps(records))

    assert list(diagnostics) == []
    assert [normalised(record) for record in again] == [normalised(record) for record in records]


def test_writer_header_and_round_trip_of_awkward_values() -> None:
    record = make_record(
        [],
        title='A "quoted", comma title',
        authors=["Ministry of Health and Welfare"],
        keywords=["Models, Biological"],
        year="2001",
        pages="H384-91",
    )

    text = dumps([record])
    (again,), _ = loads(text)

    assert text.splitlines()[0] == ",".join(WRITER_COLUMNS)
    assert normalised(again) == normalised(record)


# "&" is left out: make_record unescapes HTML entities, so "&amp;" is not a fixed point.
_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="&\x00"), max_size=80)


# The authors cell is ";"-separated, so a name cannot itself contain ";".
@given(titles=st.lists(_TEXT, min_size=1, max_size=5), author=_TEXT.filter(lambda name: ";" not in name))
def test_any_title_survives_the_writer(titles: list[str], author: str) -> None:
    records = [make_record([], title=title, authors=[author]) for title in titles]
    assume(all(record.title and all(a.family for a in record.authors) for record in records))

    again, _ = loads(dumps(records))

    assert [(record.title, record.authors) for record in again] == [
        (record.title, record.authors) for record in records
    ]


def test_no_recognisable_header_is_a_parse_error_naming_the_line() -> None:
    with pytest.raises(ParseError, match=r"^line 3: no header row with a title, author or DOI column found"):
        loads("\n\nfoo,bar\n1,2\n")


def test_empty_input_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match=r"^line 1: no header row"):
        loads("")


def test_ragged_row_is_kept_with_a_diagnostic() -> None:
    records, diagnostics = loads("Title,DOI\nOne,10.1/a\nTwo,10.1/b,extra\nThree\n")

    assert [record.title for record in records] == ["One", "Two", "Three"]
    assert [str(d) for d in diagnostics] == [
        "record 2 (line 3): row has 3 cells, header has 2; kept",
        "record 3 (line 4): row has 1 cells, header has 2; kept",
    ]
    assert records[1].raw == (("Title", "Two"), ("DOI", "10.1/b"), ("column 3", "extra"))


def test_blank_rows_are_not_records_and_quoted_newlines_keep_line_numbers() -> None:
    text = 'Title,Abstract\n"First","two\nlines"\n\n,\n"Second",x\n'

    records, diagnostics = loads(text)

    assert [(record.title, record.line, record.position) for record in records] == [
        ("First", 2, 1),
        ("Second", 6, 2),
    ]
    assert records[0].abstract == "two lines"
    assert list(diagnostics) == []


def test_broken_csv_is_a_parse_error_naming_the_line() -> None:
    # A bare carriage return inside an unquoted cell is something the csv module refuses.
    with pytest.raises(
        ParseError, match=r"^line 3: unreadable CSV: new-line character seen in unquoted field"
    ):
        list(read(["Title,Authors\n", "ok,Doe J\n", "bad\rcell,Doe J\n"], Diagnostics()))
