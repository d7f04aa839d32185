import io
from pathlib import Path

import pytest

from realreview.errors import ParseError
from realreview.formats.base import Diagnostics
from realreview.formats.pubmed_xml import read
from realreview.records import Author

DATA = Path(__file__).parent.parent / "data" / "exports"
FILE = DATA / "pubmed_xml" / "asreview_pubmed.xml"

ARTICLE = """<PubmedArticle><MedlineCitation><PMID Version="1">{pmid}</PMID><Article>
<Journal><JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue><Title>J</Title></Journal>
<ArticleTitle>Title {pmid}</ArticleTitle></Article></MedlineCitation></PubmedArticle>
"""


def read_file(path: Path) -> tuple[list, Diagnostics]:
    diagnostics = Diagnostics()
    with open(path, encoding="utf-8-sig", newline=None) as handle:
        return list(read(handle, diagnostics)), diagnostics


def read_text(text: str) -> tuple[list, Diagnostics]:
    diagnostics = Diagnostics()
    return list(read(io.StringIO(text), diagnostics)), diagnostics


def test_reads_every_article():
    records, diagnostics = read_file(FILE)
    assert len(records) == 10
    assert [record.position for record in records] == list(range(1, 11))
    assert list(diagnostics) == []


def test_first_article():
    first = read_file(FILE)[0][0]
    assert first.title == "A new decompression device for treating odontogenic cysts using a silicone tube."
    assert first.authors[0] == Author("Kimura", "M")
    assert len(first.authors) == 5
    assert (first.year, first.doi, first.pmid) == (2019, "10.1016/j.bjoms.2019.09.011", "31690499")
    assert first.journal == "The British journal of oral & maxillofacial surgery"
    assert first.abstract is None
    assert first.keywords == ("decompression", "marsupialization", "odontogenic cysts", "silicone tube")
    assert (first.language, first.publication_type) == ("eng", "Journal Article")
    assert first.line == 5


def test_raw_pairs_are_a_readable_flattening():
    second = read_file(FILE)[0][1]
    raw = dict(second.raw)
    assert raw["PMID"] == "30576676"
    assert raw["Journal/Title"].startswith("Journal of oral and maxillofacial surgery")
    assert raw["Journal/PubDate"] == "2019 Mar"
    assert raw["ELocationID[doi]"] == "10.1016/j.joms.2018.11.016"
    assert raw["ArticleId[doi]"] == "10.1016/j.joms.2018.11.016"
    assert raw["PubMedPubDate[entrez]"] == "2018 12 22 06:00"
    assert second.raw_values("Author")[:2] == ["Kimura, Masashi", "Shiraki, Yukihiro"]
    assert second.raw_values("Author/Affiliation")[0].startswith("Chief Surgeon")
    assert (second.volume, second.issue, second.pages) == ("77", "3", "555.e1-555.e6")
    assert second.abstract.startswith("Primary intraosseous carcinoma (PIOC; not otherwise specified)")


def test_labelled_abstract_sections_are_joined_with_labels_and_mesh_gives_keywords():
    third = read_file(FILE)[0][2]
    assert third.abstract.startswith("OBJECTIVES: To consider the biologic behaviors")
    assert " METHODS: A 63-year-old Japanese man" in third.abstract
    assert third.doi == "10.1179/2151090314y.0000000035"
    assert "MeshHeading/DescriptorName" in dict(third.raw)


def test_medline_date_gives_the_year():
    records, _ = read_file(FILE)
    record = next(r for r in records if r.pmid == "24709432")
    assert record.raw_values("Journal/PubDate") == ["2014 Jan-Apr"]
    assert record.year == 2014


def test_cited_pmids_never_pass_for_the_record_s_own():
    text = (
        '<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">111</PMID>'
        '<CommentsCorrectionsList><CommentsCorrections RefType="ErratumIn"><RefSource>X</RefSource>'
        '<PMID Version="1">222</PMID></CommentsCorrections></CommentsCorrectionsList></MedlineCitation>'
        "<PubmedData><ReferenceList><Reference><Citation>Y</Citation><ArticleIdList>"
        '<ArticleId IdType="doi">10.1/cited</ArticleId></ArticleIdList></Reference></ReferenceList>'
        "</PubmedData></PubmedArticle></PubmedArticleSet>"
    )
    record = read_text(text)[0][0]
    assert (record.pmid, record.doi) == ("111", None)
    assert ("CommentsCorrections[ErratumIn]/PMID", "222") in record.raw
    assert ("Reference/ArticleId[doi]", "10.1/cited") in record.raw


def test_collective_name_and_inline_markup():
    text = (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>Effect of <i>E. coli</i> on H<sub>2</sub>O</ArticleTitle><AuthorList>"
        "<Author><CollectiveName>The Trial Group</CollectiveName></Author></AuthorList></Article>"
        "</MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    record = read_text(text)[0][0]
    assert record.title == "Effect of E. coli on H2O"
    assert record.authors == (Author("The Trial Group"),)


def test_truncated_file_raises_naming_the_line_after_yielding_complete_articles():
    text = "<PubmedArticleSet>\n" + ARTICLE.format(pmid=1) + ARTICLE.format(pmid=2)[:120]
    diagnostics = Diagnostics()
    reader = read(io.StringIO(text), diagnostics)
    assert next(reader).pmid == "1"
    with pytest.raises(
        ParseError, match=r"^line 6: the file ends inside a <PubmedArticle> element \(truncated\?\)$"
    ):
        next(reader)


def test_not_well_formed_xml_raises_naming_line_and_column():
    text = "<PubmedArticleSet>\n<PubmedArticle>\n<PMID>1</PMDI>\n</PubmedArticle>\n</PubmedArticleSet>\n"
    with pytest.raises(ParseError, match=r"^line 3, column 10: XML is not well-formed \(mismatched tag\)$"):
        read_text(text)


def test_article_without_pmid_is_kept_with_a_diagnostic():
    text = "<PubmedArticleSet><PubmedArticle><MedlineCitation/></PubmedArticle></PubmedArticleSet>"
    records, diagnostics = read_text(text)
    assert len(records) == 1
    assert [(d.record, d.line) for d in diagnostics] == [(1, 1)]


def test_articles_are_cleared_once_read():
    records = read(
        io.StringIO("<PubmedArticleSet>" + ARTICLE.format(pmid=1) * 3 + "</PubmedArticleSet>"), Diagnostics()
    )
    assert [record.title for record in records] == ["Title 1"] * 3
