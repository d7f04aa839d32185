from __future__ import annotations

from realreview.dedup.match import compare, profile
from realreview.dedup.model import LinkStatus
from realreview.records import Record, make_record

ARTICLE = {
    "title": "Remote ischemic preconditioning protects the heart in mice",
    "authors": ["Cai, Z.", "Parajuli, N."],
    "year": "2012",
    "journal": "Basic Research in Cardiology",
    "volume": "107",
    "issue": "4",
    "pages": "277-285",
    "doi": "10.1007/s00395-012-0277-1",
}


def record(**changes: str | list[str] | None) -> Record:
    fields = {**ARTICLE, **changes}
    return make_record((), **fields)  # type: ignore[arg-type]


def verdict(left: Record, right: Record):  # type: ignore[no-untyped-def]
    return compare(profile(left), profile(right))


def test_same_paper_from_two_databases_is_a_duplicate() -> None:
    other = record(
        title="Remote ischemic preconditioning protects the heart in mice.",
        authors=["Cai Z.Parajuli N."],
        journal="Basic Res Cardiol",
        pages="277-85",
        doi="https://doi.org/10.1007/S00395-012-0277-1",
    )
    result = verdict(record(), other)
    assert result is not None
    assert result.status is LinkStatus.DUPLICATE
    assert {"doi", "title", "authors", "journal", "volume", "pages", "year"} <= set(result.agreed)
    assert result.conflicted == ()


def test_conflicting_doi_needs_review() -> None:
    # Nothing but the title and authors locates the second record: the DOIs decide, and they differ.
    result = verdict(record(), record(doi="10.1016/other.2012.1", pages=None, volume=None, issue=None))
    assert result is not None
    assert result.status is LinkStatus.NEEDS_REVIEW
    assert "doi" in result.conflicted


def test_two_dois_for_one_print_location_is_a_duplicate_that_says_so() -> None:
    # Springer registered its back catalogue twice (10.1007/bf... and 10.1007/s...): cardiac id_0000872/id_0008448.
    legacy = record(doi="10.1007/bf00796217")
    result = verdict(record(doi="10.1007/s003950050053"), legacy)
    assert result is not None
    assert result.status is LinkStatus.DUPLICATE
    assert result.conflicted == ("doi",)
    assert result.reason.endswith("; doi differs, outweighed")


def test_mangled_doi_variants_agree() -> None:
    result = verdict(
        record(doi="10.3402/fnr.v57i0.21245", pages=None), record(doi="10.3402/FNRv57i0.21245.g001")
    )
    assert result is not None
    assert "doi" in result.agreed


def test_same_doi_outweighs_a_year_typed_from_the_issue() -> None:
    result = verdict(record(), record(year="1754", pages=None))
    assert result is not None
    assert result.status is LinkStatus.DUPLICATE
    assert "year" in result.conflicted


def test_another_place_in_print_is_not_merged() -> None:
    for changes in (
        {"pages": "301-309", "issue": "5", "doi": None},
        {"volume": "108", "pages": None, "doi": None},
        {"issue": "5", "pages": None, "doi": None},
    ):
        result = verdict(
            record(doi=None, pages=None if changes["pages"] is None else ARTICLE["pages"]), record(**changes)
        )
        assert result is None or result.status is LinkStatus.NEEDS_REVIEW, changes


def test_a_volume_slip_located_by_its_pages_is_merged() -> None:
    # One issue, one page range, one title and author list: volume "108" for "107" is a typing slip.
    result = verdict(record(doi=None), record(volume="108", doi=None))
    assert result is not None and result.status is LinkStatus.DUPLICATE
    assert result.conflicted == ("volume",)


def test_overlapping_page_ranges_in_one_issue_are_one_paper() -> None:
    # depression id_0005007 / id_0071379 style: print and online pagination of one article.
    result = verdict(record(doi=None), record(doi=None, pages="281-289"))
    assert result is not None
    assert result.status is LinkStatus.DUPLICATE
    assert "pages" not in result.agreed and result.conflicted == ()
    # Companion papers share an issue but not their exact title.
    companion = verdict(
        record(title="Adrenergic reactions of sheep rumen in vitro", doi=None),
        record(title="Adrenergic reactions of sheep rumen in vivo", doi=None, pages="286-293"),
    )
    assert companion is None or companion.status is LinkStatus.NEEDS_REVIEW


def test_erratum_is_never_merged_with_its_article() -> None:
    erratum = record(title="Erratum: " + ARTICLE["title"], doi=None, pages="290")  # type: ignore[operator]
    result = verdict(record(doi=None), erratum)
    assert result is not None
    assert result.status is LinkStatus.NEEDS_REVIEW
    assert "type" in result.conflicted


def test_conference_abstract_is_not_merged_with_the_article() -> None:
    abstract = record(
        journal="Circulation Research. Conference: AHA Scientific Sessions",
        year="2011",
        volume="109",
        pages="A12",
        doi=None,
    )
    result = verdict(record(doi=None), abstract)
    assert result is None or result.status is LinkStatus.NEEDS_REVIEW
    # Printed in the same year and volume: close enough to show a person, never merged.
    same_year = verdict(record(doi=None), record(**{**_fields(abstract), "year": "2012", "volume": "107"}))
    assert same_year is not None and same_year.status is LinkStatus.NEEDS_REVIEW
    assert "type" in same_year.conflicted


def test_numbered_parts_are_not_merged() -> None:
    result = verdict(
        record(title="Heart failure guideline: part 1", doi=None),
        record(title="Heart failure guideline: part 2", doi=None),
    )
    assert result is None or result.status is LinkStatus.NEEDS_REVIEW


def test_unrelated_records_give_no_link() -> None:
    other = record(title="Sleep quality in adolescents with asthma", doi=None, pages="1-9", volume="3")
    assert verdict(record(doi=None), other) is None


def test_a_record_without_a_title_goes_to_review() -> None:
    # The labelled sets count such pairs as two works (BASELINE.md lists bib-dedupe's four false merges,
    # each a record without a usable title): a person decides, whatever else agrees.
    untitled = record(title="#NAME?", doi=None)
    result = verdict(record(doi=None), untitled)
    assert result is None or result.status is LinkStatus.NEEDS_REVIEW
    partial = record(title=None, doi=None, volume=None)
    result = verdict(record(doi=None), partial)
    assert result is None or result.status is LinkStatus.NEEDS_REVIEW


def test_cochrane_versions_with_one_title_are_one_review() -> None:
    first = record(
        title="Cooling for newborns with hypoxic ischaemic encephalopathy",
        journal="Cochrane Database Syst Rev",
        year="2007",
        volume=None,
        issue="4",
        pages="CD003311",
        doi="10.1002/14651858.CD003311.pub2",
    )
    update = record(
        title="Cooling for newborns with hypoxic ischaemic encephalopathy",
        authors=["Jacobs, S. E.", "Berg, M."],
        journal="Cochrane Database Syst Rev",
        year="2013",
        volume=None,
        issue="1",
        pages="CD003311",
        doi="10.1002/14651858.CD003311.pub3",
    )
    result = verdict(first, update)
    assert result is not None and result.status is LinkStatus.DUPLICATE
    assert "cochrane" in result.agreed
    renamed = record(
        title="Cooling for newborn infants with hypoxic encephalopathy",
        authors=["Azzopardi, D.", "Edwards, A. D."],
        pages="CD003311",
        doi="10.1002/14651858.CD003311.pub4",
    )
    renamed_verdict = verdict(first, renamed)
    assert renamed_verdict is None or renamed_verdict.status is LinkStatus.NEEDS_REVIEW
    other_review = record(title=first.title, pages="CD009999", doi=None)
    other = verdict(first, other_review)
    assert other is None or other.status is LinkStatus.NEEDS_REVIEW


def test_translated_titles_on_the_same_pages_by_the_same_authors_go_to_review() -> None:
    # cardiac id_0002115 / id_0009190: two English translations of one Russian paper.
    left = record(
        title="Action of dibunol isoptin and their combination in transitory myocardial ischemia",
        authors=["Konorev, E. A."],
        journal="Farmakol Toksikol",
        volume="50",
        issue="1",
        pages="61-64",
        year="1987",
        doi=None,
    )
    right = record(
        title="Study of effects of dibunol isoptine in conscious rabbits with transient ischemia. Russian",
        authors=["Konorev, E. A."],
        journal="Farmakologiya i Toksikologiya",
        volume="50",
        issue="1",
        pages="61-64",
        year="1987",
        doi=None,
    )
    # Two papers cannot occupy the same page range of one volume, but the labelled sets do not agree on
    # such pairs (depression labels 13 as one work and 6 as two): a person decides.
    result = verdict(left, right)
    assert result is not None and result.status is LinkStatus.NEEDS_REVIEW
    assert {"authors", "volume", "issue", "pages"} <= set(result.agreed)
    one_page = verdict(
        record(title=left.title, pages="61", doi=None),
        record(title=right.title, pages="61", doi=None),
    )
    assert one_page is None or one_page.status is LinkStatus.NEEDS_REVIEW
    other_issue = verdict(left, record(**{**_fields(right), "issue": "3"}))
    assert other_issue is None  # a journal paginating each issue from 1 repeats page ranges
    other_author = verdict(left, record(**{**_fields(right), "authors": ["Ivanov, P."]}))
    assert other_author is None


def _fields(item: Record) -> dict[str, str | list[str] | None]:
    return {
        "title": item.title,
        "authors": [f"{a.family}, {a.given}" for a in item.authors],
        "journal": item.journal,
        "volume": item.volume,
        "issue": item.issue,
        "pages": item.pages,
        "year": str(item.year),
        "doi": item.doi,
    }


def test_reworded_titles_in_a_supplement_go_to_review() -> None:
    # haematology id_0000230 / id_0000231: a Spanish paper in a supplement, translated twice.
    left = record(
        title="Indications and contraindications for living kidney donations",
        authors=["Andres, A."],
        journal="Nefrologia",
        volume="30",
        issue="SUPPL",
        pages="30-38",
        year="2010",
        doi=None,
    )
    right = record(
        title="[Indications and contraindications of living-donor kidney transplantation]. [Spanish]",
        authors=["Andres, A."],
        journal="Nefrologia",
        volume="30",
        issue="Suppl 2",
        pages="30-38",
        year="2010",
        doi=None,
    )
    assert verdict(left, right).status is LinkStatus.NEEDS_REVIEW  # type: ignore[union-attr]
    # A supplement's whole page range given to every abstract in it: never merged either.
    whole = verdict(
        record(**{**_fields(left), "pages": "S1-S250"}), record(**{**_fields(right), "pages": "S1-S250"})
    )
    assert whole is None or whole.status is LinkStatus.NEEDS_REVIEW


def test_two_records_of_one_correction_notice_are_one_item() -> None:
    # haematology id_0000020 / id_0000021: "Erratum: <title>" and "<title> (vol 142, pg 310, 2003)".
    prefixed = record(
        title="Erratum: Severe deficiency of the specific von Willebrand factor-cleaving protease "
        "(ADAMTS 13) activity in a sub-group of children with atypical hemolytic uremic syndrome "
        "(The Journal of Pediatrics (M",
        authors=["Veyradier"],
        journal="Journal of Pediatrics.",
        volume="142",
        issue="6",
        pages="616-616",
        year="2003",
        doi=None,
    )
    cited = record(
        title="Severe deficiency of the specific von Willebrand factor-cleaving protease (ADAMTS 13) "
        "activity in a subgroup of children with atypical hemolytic uremic syndrome (vol 142, pg 310, 2003)",
        authors=["Veyradier"],
        journal="Journal of Pediatrics",
        volume="142",
        issue="6",
        pages="616-616",
        year="2003",
        doi=None,
    )
    assert profile(prefixed).kind == profile(cited).kind == "erratum"
    assert verdict(prefixed, cited).status is LinkStatus.DUPLICATE  # type: ignore[union-attr]
    article = record(**{**_fields(cited), "title": cited.title.split(" (vol")[0], "pages": "310-315"})  # type: ignore[union-attr]
    assert verdict(article, cited).status is LinkStatus.NEEDS_REVIEW  # type: ignore[union-attr]


def test_a_cited_correction_of_a_commentary_is_an_erratum() -> None:
    # srsr id_0043909: Web of Science's "(VOL 49 PG 1624 2019)" without commas.
    title = "APPLES AND PEARS?: A COMMENTARY ON 'NEUROINFLAMMATION IN SCHIZOPHRENIA' (VOL 49 PG 1624 2019)"
    assert profile(record(title=title)).kind == "erratum"
    assert profile(record(title="STARVATION EFFECTS ON ISOTOPES (VOL 4 170633 2017)")).kind == "erratum"


def test_one_doi_and_one_page_range_outweigh_a_reordered_title_and_garbled_authors() -> None:
    # srsr id_0007367 / id_0047563.
    left = record(
        title="The 'photosensitivity model' is (also) a model for focal (partial) seizures",
        authors=["Kasteleijn-Nolst Trenite, D.", "Genton, P.", "Brandt, C."],
        journal="Epilepsy Res",
        volume="133",
        issue=None,
        pages="113-120",
        year="2017",
        doi="10.1016/j.eplepsyres.2016.11.012",
    )
    right = record(
        **{
            **_fields(left),
            "title": "The 'photosensitivity model' is seizures (also) a model for focal (partial)",
            "authors": ["Trenite Dorothee Kasteleijn-NostGenton PierreBrandt Christian"],
        }
    )
    result = verdict(left, right)
    assert result is not None and result.status is LinkStatus.DUPLICATE
    assert {"doi", "volume", "pages"} <= set(result.agreed)
    elsewhere = verdict(left, record(**{**_fields(right), "pages": "200-207"}))
    assert elsewhere is None or elsewhere.status is not LinkStatus.DUPLICATE


def test_cochrane_update_by_the_same_team_under_a_new_title_goes_to_review() -> None:
    # srsr id_0023665 (2000) / id_0023343 (2001), CD001749.
    old = record(
        title="Nicotine for Alzheimer's disease",
        authors=["Lopez-Arrieta, J. M.", "Rodriguez, J. L.", "Sanz, F."],
        journal="Cochrane Database Syst Rev",
        volume=None,
        issue="2",
        pages="CD001749",
        year="2000",
        doi="10.1002/14651858.CD001749",
    )
    new = record(
        **{
            **_fields(old),
            "title": "Efficacy and safety of nicotine on Alzheimer's disease patients",
            "year": "2001",
        }
    )
    # One review number and team, but a new title and year: shown to a person, not merged (the
    # labelled sets group some such updates and not others).
    result = verdict(old, new)
    assert result is not None and result.status is LinkStatus.NEEDS_REVIEW
    assert {"cochrane", "authors"} <= set(result.agreed)
    other_team = verdict(old, record(**{**_fields(new), "authors": ["Smith, A.", "Jones, B."]}))
    assert other_team is None


def test_reply_is_not_merged_with_the_letter_it_answers() -> None:
    letter = record(
        title="Antidepressant effects of botulinum toxin A: scientific rationale", pages="E29", doi=None
    )
    reply = record(
        title="Antidepressant effects of botulinum toxin A: scientific rationale; author response",
        authors=["Young, S. N."],
        pages="E29",
        doi=None,
    )
    result = verdict(letter, reply)
    assert result is not None and result.status is LinkStatus.NEEDS_REVIEW
    assert "type" in result.conflicted
