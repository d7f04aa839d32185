import io
from pathlib import Path

import pytest

from realreview.formats.base import Diagnostics
from realreview.formats.medline import read
from realreview.records import Author

DATA = Path(__file__).parent.parent / "data" / "exports"
FOLDER = DATA / "medline_nbib"


def read_file(path: Path) -> tuple[list, Diagnostics]:
    diagnostics = Diagnostics()
    with open(path, encoding="utf-8-sig", newline=None) as handle:
        return list(read(handle, diagnostics)), diagnostics


def read_text(text: str) -> tuple[list, Diagnostics]:
    diagnostics = Diagnostics()
    return list(read(io.StringIO(text), diagnostics)), diagnostics


@pytest.mark.parametrize(
    ("name", "count"),
    [("cff_pubmed_medline.ris", 50), ("reflib_blue-light.nbib", 80), ("rayyan_plugins_example1.nbib", 10)],
)
def test_reads_every_record(name, count):
    records, diagnostics = read_file(FOLDER / name)
    assert len(records) == count
    assert [record.position for record in records] == list(range(1, count + 1))
    assert all(record.pmid for record in records)
    assert list(diagnostics) == []


def test_first_record_of_pubmed_file_saved_as_ris():
    records, _ = read_file(FOLDER / "cff_pubmed_medline.ris")
    first = records[0]
    assert first.title == "Time lapse: A glimpse into prehistoric genomics."
    assert first.authors[0] == Author("Griffin", "Darren K")
    assert first.year == 2020
    assert first.doi == "10.1016/j.ejmg.2019.03.004"
    assert first.pmid == "30922926"
    assert first.journal == "European journal of medical genetics"
    assert (first.volume, first.issue, first.pages) == ("63", "2", "103640")
    assert first.abstract.startswith(
        "For the purpose of this review, 'time-lapse' refers to the reconstruction of"
    )
    assert first.language == "eng"
    assert first.line == 1
    assert records[-1].pmid == "26605799"


def test_raw_fields_keep_tags_and_join_wrapped_lines():
    records, _ = read_file(FOLDER / "cff_pubmed_medline.ris")
    first = records[0]
    assert first.raw[:3] == (("PMID", "30922926"), ("OWN", "NLM"), ("STAT", "MEDLINE"))
    assert first.raw_values("LID") == [
        "S1769-7212(19)30059-X [pii]",
        "10.1016/j.ejmg.2019.03.004 [doi]",
        "103640",
    ]
    abstract = first.raw_values("AB")[0]
    assert "reconstruction of ancestral (in this case dinosaur) karyotypes" in abstract
    assert "  " not in abstract and "\n" not in abstract
    assert first.raw_values("FAU")[0] == "Griffin, Darren K"
    assert first.raw_values("AU")[0] == "Griffin DK"


def test_crlf_file_with_wrapped_title():
    records, _ = read_file(FOLDER / "reflib_blue-light.nbib")
    first = records[0]
    assert first.title == (
        "Formulation of Herbal Gel of Antirrhinum majus Extract and Evaluation of its "
        "Anti-Propionibacterium acne Effects."
    )
    assert first.authors[0] == Author("Shahtalebi", "Mohammad Ali")
    assert (first.year, first.doi, first.pmid) == (2018, "10.4103/abr.abr_99_17", "29657938")
    assert first.abstract.startswith("BACKGROUND: Antirrhinum majus")
    assert "blue light" in first.keywords


def test_rayyan_example_and_odd_tag_padding():
    records, _ = read_file(FOLDER / "rayyan_plugins_example1.nbib")
    first = records[0]
    assert first.title == "Breast cancer: basics, screening, diagnostics and treatment."
    assert first.authors == (Author("Wörmann", "Bernhard"),)
    assert (first.year, first.doi, first.pmid, first.pages) == (2017, None, "29952495", "55-64")
    assert first.abstract.startswith("Breast cancer is by far the most common malignancy in women.")
    # "GN - KIE: ..." has a 2-character tag padded to 3, not 4.
    assert "KIE: Article and commentaries" in [
        value for record in records for value in record.raw_values("GN")
    ]


def test_keywords_take_other_terms_then_mesh_descriptors():
    text = (
        "PMID- 1\nTI  - A title.\nOT  - blue light\nMH  - Acne Vulgaris/complications/*therapy\n"
        "MH  - *Phototherapy\nSO  - J. 2020.\n"
    )
    records, _ = read_text(text)
    assert records[0].keywords == ("blue light", "Acne Vulgaris", "Phototherapy")


def test_collective_author_keeps_its_place_among_persons():
    text = "PMID- 1\nFAU - Smith, Ann\nAU  - Smith A\nCN  - The Study Group\nFAU - Jones, Bo\nSO  - J.\n"
    records, _ = read_text(text)
    assert records[0].authors == (Author("Smith", "Ann"), Author("The Study Group"), Author("Jones", "Bo"))


def test_truncated_file_keeps_records_with_a_diagnostic():
    text = (FOLDER / "rayyan_plugins_example1.nbib").read_text(encoding="utf-8")
    cut = text[: text.index("PMID- 28260181")] + "PMID- 28260181\r\nOWN - NLM\r\nTI  - Breast cancer in young"
    records, diagnostics = read_text(cut.replace("\r\n", "\n"))
    assert len(records) == 10
    assert records[-1].pmid == "28260181"
    assert records[-1].title == "Breast cancer in young"
    assert [(d.record, d.line) for d in diagnostics] == [(10, records[-1].line)]
    assert "no SO" in diagnostics[0].message


def test_records_without_blank_lines_split_on_pmid_and_bom_is_tolerated():
    records, diagnostics = read_text("\ufeffPMID- 1\nTI  - One\nSO  - J.\nPMID- 2\nTI  - Two\nSO  - J.\n")
    assert [(r.pmid, r.title, r.line) for r in records] == [("1", "One", 1), ("2", "Two", 4)]
    assert list(diagnostics) == []


def test_badly_indented_line_is_joined_with_a_diagnostic():
    records, diagnostics = read_text("PMID- 1\nTI  - A title\n  that wraps badly\nSO  - J.\n")
    assert records[0].title == "A title that wraps badly"
    assert [(d.line, d.message) for d in diagnostics] == [
        (3, "line is neither 'TAG - value' nor a 6-space continuation; joined to TI")
    ]
