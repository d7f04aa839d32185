from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from realreview.formats import bibtex, csv_exports
from realreview.formats.base import Diagnostics
from realreview.records import Author, Record, make_record

DATA = Path(__file__).parent.parent / "data" / "exports"
WOS_BIB = DATA / "bibtex" / "ecolqrps_wos_savedrecs.bib"

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


def load(path: Path) -> tuple[list[Record], Diagnostics]:
    diagnostics = Diagnostics()
    with open(path, encoding="utf-8-sig", newline=None) as file:
        return list(bibtex.read(file, diagnostics)), diagnostics


def loads(text: str) -> tuple[list[Record], Diagnostics]:
    diagnostics = Diagnostics()
    return list(bibtex.read(io.StringIO(text), diagnostics)), diagnostics


def normalised(record: Record) -> dict[str, object]:
    return {name: getattr(record, name) for name in NORMALISED}


def test_web_of_science_fixture() -> None:
    records, diagnostics = load(WOS_BIB)

    assert len(records) == 10
    assert list(diagnostics) == []
    assert [record.position for record in records] == list(range(1, 11))
    assert [record.line for record in records[:3]] == [2, 107, 178]
    first = records[0]
    assert first.title == "Essential coastal habitats for fish in the Baltic Sea"
    assert first.authors[0] == Author("Kraufvelin", "Patrik")
    assert len(first.authors) == 30
    assert first.authors[-1] == Author("Olsson", "Jens")
    assert first.year == 2018
    assert first.journal == "ESTUARINE COASTAL AND SHELF SCIENCE"
    assert (first.volume, first.pages) == ("204", "14-30")
    assert first.doi == "10.1016/j.ecss.2018.02.014"
    assert first.abstract is not None and first.abstract.startswith("Many coastal and offshore fish species")
    assert first.keywords[:2] == ("GOBY NEOGOBIUS-MELANOSTOMUS", "LONG-TERM CHANGES")
    assert (first.language, first.publication_type) == ("English", "Review")
    last = records[-1]
    assert last.title is not None and last.title.startswith("A climate model of the red imported fire ant")
    assert last.authors[0].family == "Sutherst"
    assert (last.year, last.doi) == (2005, "10.1603/0046-225x-34.2.317")
    assert all(record.title and record.authors and record.abstract for record in records)


def test_raw_keeps_type_key_and_fields_as_written() -> None:
    records, _ = load(WOS_BIB)
    raw = records[0].raw

    assert raw[:2] == (("ENTRYTYPE", "article"), ("ID", "ISI:000429757300002"))
    assert raw[2][0] == "Author"
    assert raw[2][1].startswith(
        "Kraufvelin, Patrik and Pekcan-Hekim, Zeynep and Bergstrom, Ulf and\n   Florin"
    )
    assert raw[3] == ("Title", "{Essential coastal habitats for fish in the Baltic Sea}")
    assert ("Research-Areas", r"{Marine \& Freshwater Biology; Oceanography}") in raw


LATEX = r"""@string{jeco = "Journal of {E}cology"}

@article{muller2020,
  author = {M{\"u}ller, Hans and {World Health Organization} and van der Berg, Jan},
  title = {{DNA} barcoding in {\"O}sterreich -- a review of 10\% \& more},
  journal = jeco,
  year = 2020,
  number = {3},
  pages = {10--20},
  pmid = {12345},
  keywords = {alpha, beta gamma},
}
"""


def test_latex_is_decoded_and_case_braces_removed() -> None:
    (record,), diagnostics = loads(LATEX)

    assert list(diagnostics) == []
    assert record.title == "DNA barcoding in Österreich – a review of 10% & more"
    assert record.authors == (
        Author("Müller", "Hans"),
        Author("World Health Organization"),
        Author("van der Berg", "Jan"),
    )
    assert record.journal == "Journal of Ecology"
    assert (record.year, record.issue, record.pages, record.pmid) == (2020, "3", "10-20", "12345")
    assert record.keywords == ("alpha", "beta gamma")
    assert record.line == 3
    assert dict(record.raw)["title"] == r"{DNA} barcoding in {\"O}sterreich -- a review of 10\% \& more"


def test_unparsable_block_is_reported_with_its_line_and_the_rest_is_kept() -> None:
    text = "@article{a,\n title={One}\n}\n\n@article{b,\n title = {unclosed\n\n@article{c, title={Three}}\n"

    records, diagnostics = loads(text)

    assert [(record.title, record.position, record.line) for record in records] == [
        ("One", 1, 1),
        ("Three", 2, 8),
    ]
    assert len(diagnostics) == 1
    assert diagnostics[0].line == 5
    assert "unreadable BibTeX block skipped" in diagnostics[0].message


def test_duplicate_key_is_kept_with_a_diagnostic() -> None:
    records, diagnostics = loads("@article{a, title={One}}\n@article{a, title={Two}}\n")

    assert [record.title for record in records] == ["One", "Two"]
    assert [str(d) for d in diagnostics] == ["line 2: duplicate BibTeX key 'a'; entry kept"]


def test_round_trip_of_the_fixture_preserves_normalised_fields() -> None:
    records, _ = load(WOS_BIB)

    again, diagnostics = loads(bibtex.dumps(records))

    assert list(diagnostics) == []
    assert [normalised(record) for record in again] == [normalised(record) for record in records]
    assert [record.raw_values("ENTRYTYPE") for record in again] == [["article"]] * 10


@pytest.mark.parametrize(
    "name",
    sorted(
        str(path.relative_to(DATA))
        for folder in ("scopus_csv", "other_database_csv", "rayyan_csv")
        for path in (DATA / folder).glob("*.csv")
    ),
)
def test_csv_records_survive_bibtex(name: str) -> None:
    with open(DATA / name, encoding="utf-8-sig", newline=None) as file:
        records = list(csv_exports.read(file, Diagnostics()))

    again, diagnostics = loads(bibtex.dumps(records))

    assert list(diagnostics) == []
    assert [normalised(record) for record in again] == [normalised(record) for record in records]


def test_writer_keys_and_fields() -> None:
    records = [
        make_record([], title="One", authors=["Pérez-Gómez, Ana"], year="2020", journal="J"),
        make_record([], title="Two", authors=["Perez Gomez, A"], year="2020"),
        make_record([], title="Three", authors=["Pérez-Gómez, Ana"], year="2020"),
        make_record([], title="No author or year"),
    ]

    text = bibtex.dumps(records)
    again, _ = loads(text)

    assert [record.raw_values("ID")[0] for record in again] == [
        "perezgomez2020",
        "perezgomez2020a",
        "perezgomez2020b",
        "anonnd",
    ]
    assert [record.raw_values("ENTRYTYPE")[0] for record in again] == ["article", "misc", "misc", "misc"]
    assert "author = {Pérez-Gómez, Ana}," in text


def test_writer_protects_organisations_ligatures_and_lone_keywords() -> None:
    record = make_record(
        [],
        title="Say \"hi\" -- or ''not'' at 50% {x} ~ $5",
        authors=["Ministry of Health and Welfare", "Smith, J"],
        keywords=["Models, Biological"],
    )

    (again,), diagnostics = loads(bibtex.dumps([record]))

    assert list(diagnostics) == []
    assert normalised(again) == normalised(record)


# "&" is left out: make_record unescapes HTML entities, so "&amp;" is not a fixed point.
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="&"), min_size=1, max_size=60
)


@given(title=_TEXT, family=_TEXT, given_name=_TEXT, journal=_TEXT)
def test_any_text_survives_the_writer(title: str, family: str, given_name: str, journal: str) -> None:
    record = make_record([], title=title, authors=[f"{family}, {given_name}"], journal=journal, year="1999")
    assume(record.title is not None and record.authors[0].family)

    (again,), diagnostics = loads(bibtex.dumps([record]))

    assert list(diagnostics) == []
    assert (again.title, again.journal, again.authors) == (record.title, record.journal, record.authors)
