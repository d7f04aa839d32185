import dataclasses
import io
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realreview.errors import ParseError
from realreview.formats.base import Diagnostic, Diagnostics
from realreview.formats.ris import dump, dumps, read
from realreview.records import Author, Record, make_record

DATA = Path(__file__).parent.parent / "data" / "exports"
RIS = DATA / "ris"

# Record counts from tests/data/exports/ris/PROVENANCE.md.
COUNTS = {
    "asreview_embase.ris": 6,
    "asreview_ovid_psycinfo.ris": 6,
    "asreview_proquest.ris": 6,
    "asreview_pubmed_endnote.txt": 6,
    "asreview_pubmed_zotero.ris": 6,
    "asreview_rayyan_issue_992.txt": 19,
    "asreview_scopus.ris": 6,
    "asreview_web_of_science.txt": 10,
    "cff_cinahl.ris": 9,
    "cff_cochrane_library.ris": 3,
    "cff_covidence.ris": 10,
    "cff_embase.ris": 10,
    "cff_eppireviewer.ris": 10,
    "cff_eric_ovid.ris": 10,
    "cff_psycinfo_ovid.ris": 10,
    "cff_rayyan.ris": 10,
    "cff_scopus.ris": 10,
    "cff_webofscience.ris": 10,
    "cff_zotero.ris": 10,
    "reflib_blue-light.ris": 102,
}

# First record of each file: title (start), first author, year, DOI, PMID, line of its TY.
FIRST = {
    "asreview_embase.ris": (
        "Duplication cysts: Diagnosis",
        "Liu, R.",
        2014,
        "10.4103/2303-9027.138783",
        None,
        1,
    ),
    "asreview_ovid_psycinfo.ris": (
        "The influence of self-criticism on depression",
        "Trindade, Ines A",
        2019,
        "10.1002/cpp.2398",
        None,
        2,
    ),
    "asreview_proquest.ris": (
        "Predictors of posttraumatic stress",
        "Jones, Hannah",
        2019,
        "10.1002/jts.22387",
        None,
        1,
    ),
    "asreview_pubmed_endnote.txt": (
        "Boswellia serrata: an overall assessment",
        "Abdel-Tawab, M.",
        2011,
        "10.2165/11586800-000000000-00000",
        "21553931",
        2,
    ),
    "asreview_pubmed_zotero.ris": (
        "The importance of cognitive flexibility",
        "Rudnik, Agata",
        2019,
        "10.5114/pg.2018.81081",
        None,
        1,
    ),
    "asreview_rayyan_issue_992.txt": (
        "Overcoming Medication Reconciliation Challenges",
        None,
        2011,
        None,
        None,
        1,
    ),
    "asreview_scopus.ris": (
        "Stress and the brain-gut axis",
        "Labanski, A.",
        2020,
        "10.1016/j.psyneuen.2019.104501",
        None,
        1,
    ),
    "asreview_web_of_science.txt": (
        "Holding Yourself Captive",
        "Alceste, F",
        2018,
        "10.1016/j.jarmac.2018.03.001",
        None,
        1,
    ),
    "cff_cinahl.ris": (
        "Osteohistological insight into the growth dynamics",
        "Curry Rogers, Kristina",
        2024,
        "10.1371/journal.pone.0298242",
        None,
        1,
    ),
    "cff_cochrane_library.ris": (
        "The Incredible Years Therapeutic Dinosaur Programme",
        "Bywater, T",
        2011,
        "10.1186/1745-6215-12-39",
        "21314913",
        5,
    ),
    "cff_covidence.ris": (
        "Cellular structure of dinosaur scales",
        "Yang, Z.",
        2024,
        "10.1038/s41467-024-48400-3",
        None,
        1,
    ),
    "cff_embase.ris": (
        "Cellular structure of dinosaur scales",
        "Yang, Z.",
        2024,
        "10.1038/s41467-024-48400-3",
        "38773066",
        1,
    ),
    "cff_eppireviewer.ris": (
        "A juvenile bird with possible crown-group affinities",
        "Brownstein, C D",
        2024,
        "10.1186/s12862-024-02210-9",
        None,
        1,
    ),
    "cff_eric_ovid.ris": ("Creationism and the Dinosaur Boom.", "Stokes, William Lee", 1989, None, None, 2),
    "cff_psycinfo_ovid.ris": (
        "DINOSAUR: An integrated cognitive-behavioral treatment",
        "Keefer, Amy",
        2021,
        "10.1186/s11689-021-09396-9",
        None,
        2,
    ),
    "cff_rayyan.ris": (
        "Cellular structure of dinosaur scales",
        "Yang, Z.",
        2024,
        "10.1038/s41467-024-48400-3",
        None,
        1,
    ),
    "cff_scopus.ris": (
        "Global latitudinal gradients and the evolution of body size",
        "Wilson, L.N.",
        2024,
        "10.1038/s41467-024-46843-2",
        "38580657",
        1,
    ),
    "cff_webofscience.ris": (
        "New Horned Dinosaurs from Utah",
        "Sampson, SD",
        2010,
        "10.1371/journal.pone.0012292",
        None,
        1,
    ),
    "cff_zotero.ris": (
        "Cellular structure of dinosaur scales",
        "Yang, Z.",
        2024,
        "10.1038/s41467-024-48400-3",
        None,
        1,
    ),
    "reflib_blue-light.ris": (
        "Formulation of Herbal Gel of Antirrhinum majus Extract",
        "Shahtalebi, M. A.",
        2018,
        "10.4103/abr.abr_99_17",
        "29657938",
        1,
    ),
}


def load(path: Path) -> tuple[list[Record], Diagnostics]:
    diagnostics = Diagnostics()
    with open(path, encoding="utf-8-sig", newline=None) as handle:
        return list(read(handle, diagnostics)), diagnostics


def loads(text: str) -> tuple[list[Record], Diagnostics]:
    diagnostics = Diagnostics()
    return list(read(io.StringIO(text), diagnostics)), diagnostics


def normalised(record: Record) -> dict[str, object]:
    fields = dataclasses.asdict(record)
    del fields["line"]  # dumps does not reproduce Ovid/Cochrane preambles, so lines move
    return fields


def test_every_fixture_is_listed():
    assert sorted(p.name for p in RIS.iterdir() if p.suffix != ".md") == sorted(COUNTS)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_fixture_record_count_and_no_diagnostics(name):
    records, diagnostics = load(RIS / name)
    assert len(records) == COUNTS[name]
    assert [r.position for r in records] == list(range(1, COUNTS[name] + 1))
    assert list(diagnostics) == []
    assert all(r.raw[0][0] == "TY" and r.title for r in records)
    assert not any("\r" in value or "\ufeff" in value for r in records for _, value in r.raw)


@pytest.mark.parametrize("name", sorted(FIRST))
def test_fixture_first_record(name):
    title, author, year, doi, pmid, line = FIRST[name]
    record = load(RIS / name)[0][0]
    assert record.title.startswith(title)
    assert (str(record.authors[0]) if record.authors else None) == author
    assert (record.year, record.doi, record.pmid, record.line) == (year, doi, pmid, line)
    assert record.publication_type == "JOUR"


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_fixture_round_trip(name):
    records, _ = load(RIS / name)
    text = dumps(records)
    again, diagnostics = loads(text)
    assert list(diagnostics) == []
    assert [r.raw for r in again] == [r.raw for r in records]
    assert [normalised(r) for r in again] == [normalised(r) for r in records]
    assert dumps(again) == text


def test_ovid_preamble_numbers_and_tail_after_er():
    records, _ = load(RIS / "asreview_ovid_psycinfo.ris")
    first = records[0]
    assert first.line == 2  # "1. " is on line 1
    tag, value = first.raw[-1]
    assert tag == "NL"
    assert value.startswith("Clin Psychol Psychother\n\nLink to the Ovid Full Text or citation: https://")
    assert first.journal == "Clinical Psychology & Psychotherapy"
    assert first.abstract.startswith("Considering that self-criticism is an important process")


def test_ovid_a2_cited_references_are_not_authors():
    record = load(RIS / "cff_psycinfo_ovid.ris")[0][0]
    assert record.authors == (Author("Keefer", "Amy"), Author("Vasa", "Roma A"))
    assert record.raw_values("A2")[0].startswith("Achenbach, T., Rescorla, L.")


def test_ovid_eric_year_and_n2_abstract():
    record = load(RIS / "cff_eric_ovid.ris")[0][0]
    assert record.year == 1989
    assert record.journal == "Journal of Geological Education"
    assert record.pages == "24-26"
    assert record.abstract.startswith("Discusses books and materials published by creationist organizations")


def test_cochrane_headers_and_two_space_tags():
    records, _ = load(RIS / "cff_cochrane_library.ris")
    assert records[0].raw[:2] == (("TY", "JOUR"), ("AN", "CN-00778158"))
    assert records[0].journal == "Trials"
    # C3 "PUBMED 38407106,EMBASE 643589775"
    assert records[1].pmid == "38407106"
    assert [r.line for r in records[:2]] == [5, 79]


def test_pmid_sources():
    assert load(RIS / "asreview_embase.ris")[0][1].pmid == "15368318"  # C5
    assert load(RIS / "asreview_scopus.ris")[0][1].pmid == "31421429"  # C2 with DB Scopus
    assert all(r.pmid is None for r in load(RIS / "asreview_proquest.ris")[0])  # AN is a ProQuest id
    assert all(r.pmid is None for r in load(RIS / "cff_rayyan.ris")[0])  # AN rayyan-...
    assert all(r.pmid is None for r in load(RIS / "cff_webofscience.ris")[0])  # AN WOS:..., C3 organisations


def test_cinahl_doi_from_l3():
    record = load(RIS / "cff_cinahl.ris")[0][0]
    assert record.raw_values("L3") == ["10.1371/journal.pone.0298242"]
    assert record.doi == "10.1371/journal.pone.0298242"
    assert record.journal == "PLoS ONE"
    assert record.pages == "1-60"


def test_embase_a1_authors_and_keywords():
    record = load(RIS / "asreview_embase.ris")[0][0]
    assert record.authors == (Author("Liu", "R."), Author("Adler", "D.G."))
    assert record.keywords[:2] == ("article", "bronchogenic duplication cyst")
    assert record.language == "English"
    assert record.pages == "152-160"


def test_eppireviewer_authors_without_comma():
    record = load(RIS / "cff_eppireviewer.ris")[0][0]
    assert record.authors[0] == Author("Brownstein", "C D")


def test_wos_indented_abstract_paragraphs():
    record = load(RIS / "cff_webofscience.ris")[0][0]
    (abstract,) = record.raw_values("AB")
    assert "\n   Methodology/Principal Findings: Here we describe two new," in abstract
    assert "Methodology/Principal Findings: Here we describe" in record.abstract
    assert "\n" not in record.abstract


def test_wos_times_cited_continuation():
    record = load(RIS / "asreview_web_of_science.txt")[0][0]
    assert any("\nTotal Times Cited:" in value for value in record.raw_values("N1"))


def test_scopus_references_continuation_lines():
    record = load(RIS / "asreview_scopus.ris")[0][0]
    references = [v for v in record.raw_values("N1") if v.startswith("References:")]
    assert len(references) == 1
    assert references[0].count("\n") > 50


def test_rayyan_keywords_one_per_line():
    record = load(RIS / "asreview_rayyan_issue_992.txt")[0][0]
    assert record.raw_values("KW")[0].startswith(
        "Health Facility Administration\nJoint Commission\nStandards"
    )
    assert record.keywords[:3] == ("Health Facility Administration", "Joint Commission", "Standards")
    assert record.pages == "1-5"


def test_rayyan_notes_become_structured_fields():
    record = load(RIS / "cff_rayyan.ris")[0][0]
    raw = list(record.raw)
    note = raw.index(("N1", 'RAYYAN-INCLUSION: {"Emily"=>"Included"}'))
    assert raw[note + 1] == ("rayyan:inclusion:Emily", "Included")
    # The UR with a swallowed U2 fragment is kept as written.
    assert record.raw_values("UR")[0].endswith("&from=export     U2  - L2029880245")
    assert record.journal == "Nat. Commun."


def test_rayyan_labels_and_reasons():
    text = (
        "TY  - JOUR\nTI  - A title\n"
        'N1  - RAYYAN-INCLUSION: {"Ann"=>"Excluded", "Bo"=>"Maybe"} | RAYYAN-LABELS: rural | '
        "RAYYAN-EXCLUSION-REASONS: wrong population\nER  - \n"
    )
    (record,), _ = loads(text)
    assert record.raw[3:] == (
        ("rayyan:inclusion:Ann", "Excluded"),
        ("rayyan:inclusion:Bo", "Maybe"),
        ("rayyan:label", "rural"),
        ("rayyan:exclusion-reason", "wrong population"),
    )
    again, _ = loads(dumps([record]))
    assert again[0].raw == record.raw


def test_pubmed_endnote_multivalue_continuations():
    record = load(RIS / "asreview_pubmed_endnote.txt")[0][0]
    assert record.pmid == "21553931"  # AN with DP NLM
    assert record.journal == "Clin Pharmacokinet"
    assert len(record.keywords) > 5
    assert "Animals" in record.keywords


def test_truncated_file_keeps_last_record():
    records, diagnostics = loads("TY  - JOUR\nTI  - First\nER  - \n\nTY  - JOUR\nTI  - Cut off\nAU  - Doe, J")
    assert [r.title for r in records] == ["First", "Cut off"]
    assert list(diagnostics) == [Diagnostic("no ER line; kept", record=2, line=5)]
    assert str(diagnostics[0]) == "record 2 (line 5): no ER line; kept"
    assert records[1].authors == (Author("Doe", "J"),)


def test_ty_without_er_closes_previous_record():
    records, diagnostics = loads("TY  - JOUR\nTI  - A\nTY  - BOOK\nTI  - B\nER  - \n")
    assert [(r.title, r.publication_type, r.line) for r in records] == [("A", "JOUR", 1), ("B", "BOOK", 3)]
    assert list(diagnostics) == [Diagnostic("no ER line before the next TY (line 3); kept", record=1, line=1)]


def test_text_before_first_record_is_reported():
    records, diagnostics = loads("\ufeff\nExported by a tool\n2. \nTY  - JOUR\nTI  - A\nER  -\n")
    assert [r.title for r in records] == ["A"]
    assert [str(d) for d in diagnostics] == ["line 2: text outside a record ignored: 'Exported by a tool'"]


def test_record_without_ty_is_kept():
    records, diagnostics = loads("T1  - No type\nER  - \n")
    assert records[0].title == "No type"
    assert [str(d) for d in diagnostics] == ["record 1 (line 1): no TY line; record started at T1; kept"]


def test_not_ris_raises_parse_error_naming_the_line():
    with pytest.raises(ParseError, match=r"^line 2: not RIS: .*'Dear colleague,'"):
        loads("\nDear colleague,\nplease find the references attached.\n")


def test_empty_input_has_no_records():
    assert loads("") == ([], [])
    assert loads("\n\n \n") == ([], [])


def test_blank_lines_inside_a_value_survive_a_round_trip():
    records, _ = loads("TY  - JOUR\nAB  - First paragraph.\n\nSecond paragraph.\n\nTI  - T\nER  - \n")
    assert records[0].raw_values("AB") == ["First paragraph.\n\nSecond paragraph."]
    assert records[0].title == "T"
    assert loads(dumps(records))[0][0].raw == records[0].raw


def test_reader_streams():
    consumed = 0

    def lines():
        nonlocal consumed
        for _ in range(1000):
            for line in ("TY  - JOUR\n", "TI  - Title\n", "ER  - \n"):
                consumed += 1
                yield line

    first_two = list(itertools.islice(read(lines(), Diagnostics()), 2))
    assert [r.position for r in first_two] == [1, 2]
    assert consumed < 20


def test_dumps_from_normalised_fields():
    record = make_record(
        (),
        title="A study of things",
        authors=["Keefer, Amy", "Brownstein C D", "World Health Organization"],
        year="2021",
        journal="Journal of Things",
        volume="12",
        issue="3",
        pages="H384-91",
        doi="https://doi.org/10.1000/ABC.1",
        pmid="PMID: 12345",
        abstract="An abstract.",
        keywords=["one", "two"],
        language="English",
    )
    text = dumps([record])
    assert text.startswith("TY  - JOUR\nTI  - A study of things\nAU  - Keefer, Amy\n")
    assert text.endswith("ER  - \n\n")
    (again,), diagnostics = loads(text)
    assert list(diagnostics) == []
    for name in (
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
    ):
        assert getattr(again, name) == getattr(record, name), name
    assert (again.keywords, again.language) == (record.keywords, record.language)


def test_dump_writes_what_dumps_returns():
    records, _ = load(RIS / "cff_cochrane_library.ris")
    buffer = io.StringIO()
    dump(records, buffer)
    assert buffer.getvalue() == dumps(records)


# Control characters are removed on import with a note (tests/formats/test_repairs.py), so a title of
# only controls and blanks cannot come back as written; they are left out of the alphabet here.
_LINE_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=80)


@given(title=_LINE_TEXT.filter(lambda t: t.strip()))
def test_any_single_line_title_survives_dump_and_load(title):
    (record,), _ = loads(f"TY  - JOUR\nTI  - {title}\nER  - \n")
    (again,), _ = loads(dumps([record]))
    assert again.raw == record.raw
    assert again.title == record.title
