"""The classes of issue #10, each on realistic record pairs: merged when one work, kept apart when two.

The pairs are modelled on what was found on labelled sets not in this repository (information-systems
literature from the AIS eLibrary, Scopus and Web of Science): recurring items in every issue of one
volume, conference papers dated a year apart, authors written "Given Family" and "Family G.", titles
with and without their subtitle, and page fields that differ in form only.
"""

from __future__ import annotations

import pytest

from realreview.dedup import LinkStatus, find_duplicates
from realreview.dedup.fields import evidence
from realreview.dedup.match import compare, vetoed
from realreview.dedup.profile import profile
from realreview.records import Record, make_record


def record(**fields: object) -> Record:
    return make_record((), **fields)  # type: ignore[arg-type]


def status(left: Record, right: Record) -> LinkStatus | None:
    verdict = compare(profile(left), profile(right))
    return None if verdict is None else verdict.status


# --- recurring items: one title and one author in every issue of a volume ------------------------


def editors_comments(issue: str, pages: str | None = None, **changes: object) -> Record:
    fields: dict[str, object] = {
        "title": "Editor's Comments",
        "authors": ["Rai, Arun"],
        "year": "2017",
        "journal": "MIS Quarterly",
        "volume": "41",
        "issue": issue,
        "pages": pages,
    }
    fields.update(changes)
    return record(**fields)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (editors_comments("1"), editors_comments("2")),
        (editors_comments("1", "iii-xii"), editors_comments("3", "iii-x")),
        # Scopus abbreviates the journal and writes the author "Family G.": still two issues.
        (editors_comments("2"), editors_comments("4", journal="MIS Q.", authors=["Rai A."])),
        (
            record(
                title="Editorial",
                authors=["Schwarz, A."],
                year="2019",
                journal="Eur J Inf Syst",
                volume="28",
                issue="1",
                pages="1-2",
            ),
            record(
                title="Editorial",
                authors=["Schwarz A."],
                year="2019",
                journal="European Journal of Information Systems",
                volume="28",
                issue="3",
                pages="229-230",
            ),
        ),
    ],
)
def test_recurring_items_from_different_issues_of_one_volume_are_not_merged(
    left: Record, right: Record
) -> None:
    assert status(left, right) is not LinkStatus.DUPLICATE


def test_recurring_items_are_not_chained_into_one_group() -> None:
    # Six issues of one volume, each with its editor's comments, and one record exported twice.
    records = [editors_comments(str(issue)) for issue in range(1, 7)] + [
        editors_comments("3", journal="MIS Q.")
    ]
    assert find_duplicates(records).groups == [[2, 6]]


def test_the_same_recurring_item_from_two_databases_is_merged() -> None:
    scopus = editors_comments("2", "iii-xii", journal="MIS Q.", authors=["Rai A."])
    assert status(editors_comments("2", "iii-xii"), scopus) is LinkStatus.DUPLICATE


# --- conference papers a year apart, the venue written two ways ----------------------------------


def icis(year: str, venue: str, authors: list[str]) -> Record:
    return record(
        title="Digital Nudging in Online Platforms: Effects of Defaults on Privacy Choices",
        authors=authors,
        year=year,
        journal=venue,
        publication_type="inproceedings",
    )


def test_a_proceedings_year_may_differ_by_one_where_the_venue_agrees() -> None:
    ais = icis("2019", "ICIS 2019 Proceedings", ["Weinmann, Markus", "Schneider, Christoph"])
    scopus = icis(
        "2020",
        "40th International Conference on Information Systems, ICIS 2019",
        ["Weinmann M.", "Schneider C."],
    )
    assert status(ais, scopus) is LinkStatus.DUPLICATE


def test_a_year_apart_in_another_venue_is_not_merged() -> None:
    # The conference paper and its journal version a year later are two items.
    ais = icis("2019", "ICIS 2019 Proceedings", ["Weinmann, Markus", "Schneider, Christoph"])
    journal = record(
        title=ais.title,
        authors=["Weinmann, M.", "Schneider, C."],
        year="2020",
        journal="Journal of the Association for Information Systems",
        volume="21",
        issue="4",
        pages="812-839",
    )
    assert status(ais, journal) is not LinkStatus.DUPLICATE


def test_acronym_venues_agree() -> None:
    amcis = icis("2017", "Americas Conference on Information Systems", ["Deng, Chaoqun"])
    proceedings = icis("2017", "AMCIS 2017 Proceedings", ["Deng, C."])
    assert status(amcis, proceedings) is LinkStatus.DUPLICATE


# --- authors "Given Family" in one database, "Family G." in another ------------------------------


ARTICLE: dict[str, object] = {
    "title": "Platform Ecosystems and the Governance of Complementors",
    "year": "2021",
    "journal": "Information Systems Research",
    "volume": "32",
    "issue": "2",
    "pages": "415-437",
}


@pytest.mark.parametrize(
    ("given_family", "family_initials"),
    [
        (["Wei Li", "Hua Zhang", "Andrew Burton-Jones"], ["Li W.", "Zhang H.", "Burton-Jones A."]),
        (["Jan vom Brocke", "Stefan Seidel"], ["vom Brocke, J.", "Seidel, S."]),
        # Order changed as well: one database lists the corresponding author first.
        (["Hua Zhang", "Wei Li"], ["Li, W.", "Zhang, H."]),
    ],
)
def test_author_names_agree_in_either_form(given_family: list[str], family_initials: list[str]) -> None:
    left = record(**ARTICLE, authors=given_family)
    right = record(**{**ARTICLE, "journal": "Inf. Syst. Res."}, authors=family_initials)
    assert status(left, right) is LinkStatus.DUPLICATE
    assert "authors" in compare(profile(left), profile(right)).agreed  # type: ignore[union-attr]


def test_other_authors_in_either_form_do_not_agree() -> None:
    left = profile(record(**ARTICLE, authors=["Wei Li", "Hua Zhang"]))
    right = profile(record(**ARTICLE, authors=["Chen X.", "Wang Y."]))
    verdict = compare(left, right)
    assert verdict is None or "authors" not in verdict.agreed


# --- a title with and without its subtitle --------------------------------------------------------


def test_a_title_without_its_subtitle_is_the_same_title() -> None:
    full = record(
        **{**ARTICLE, "title": "Algorithmic Management: How Gig Platforms Control Workers"},
        authors=["Möhlmann, M."],
    )
    short = record(
        **{**ARTICLE, "title": "Algorithmic management", "journal": "Inf Syst Res"}, authors=["Mohlmann M."]
    )
    assert status(full, short) is LinkStatus.DUPLICATE


def test_a_subtitle_alone_does_not_make_two_papers_one() -> None:
    left = record(
        title="Algorithmic Management: A Review",
        authors=["Möhlmann, M."],
        year="2021",
        journal="MIS Q",
        volume="45",
        issue="1",
        pages="1-20",
    )
    right = record(
        title="Algorithmic Management: A Field Study",
        authors=["Möhlmann, M."],
        year="2021",
        journal="MIS Q",
        volume="45",
        issue="3",
        pages="300-320",
    )
    assert status(left, right) is not LinkStatus.DUPLICATE


# --- page fields that differ in form only ---------------------------------------------------------


@pytest.mark.parametrize(
    ("pages", "other"),
    [
        ("a1754", "1754-1760"),  # an eLocator beside the print pages it starts
        ("e1754", "213-220"),  # an article number beside print pages: two forms, not two places
        ("1760", "1754-1760"),  # an end page alone
        ("-1760", "1754-1760"),
        ("t-1754", "1754-1760"),  # Embase's "t-" numbers
        ("1754-60", "1754-1760"),
    ],
)
def test_pages_that_differ_in_form_only_are_merged(pages: str, other: str) -> None:
    left = record(**{**ARTICLE, "pages": pages}, authors=["Li, W.", "Zhang, H."])
    right = record(**{**ARTICLE, "pages": other, "journal": "Inf Syst Res"}, authors=["Li W.", "Zhang H."])
    assert status(left, right) is LinkStatus.DUPLICATE


def test_companion_papers_on_consecutive_pages_of_one_issue_are_not_merged() -> None:
    # depression id_0002238 / id_0002239.
    base = {
        "authors": ["Kania B. F."],
        "year": "1980",
        "journal": "Acta Physiol Pol",
        "volume": "31",
        "issue": "4",
    }
    vitro = record(title="Adrenergic reactions of sheep rumen in vitro", pages="341-348", **base)
    vivo = record(title="Adrenergic reactions of sheep rumen in vivo", pages="349-356", **base)
    assert status(vitro, vivo) is not LinkStatus.DUPLICATE


def test_disjoint_page_ranges_in_one_issue_are_two_items_whatever_the_titles() -> None:
    # Modelled on depression id_0053927 / id_0053928 (Arzneimittelforschung 20(8), 1970), which a model
    # trained without that set merged: one team, one title but a hyphen, pages 998-1003 and 1004-1009.
    base = {"year": "1970", "journal": "Arzneimittelforschung", "volume": "20", "issue": "8"}
    first = record(
        title="Pharmacological investigations of 2-amino-3-ethoxy-carbonyl-6-benzyl-thienopyridine",
        authors=["Nakanishi M.", "Imamura H.", "Maruyama Y."],
        pages="998-1003",
        **base,
    )
    second = record(
        title="Pharmacological investigations of 2-amino-3-ethoxycarbonyl-6-benzyl-thienopyridine",
        authors=["Nakanishi M.", "Imamura H.", "Ikegami K."],
        pages="1004-1009",
        **base,
    )
    verdict = compare(profile(first), profile(second))
    assert verdict is None or verdict.status is LinkStatus.NEEDS_REVIEW
    assert vetoed(evidence(profile(first), profile(second)).levels)
    # One DOI naming both lifts the veto (a database's wrong page field); the weights decide.
    doi = "10.1000/arz.1970.998"
    first_doi = record(**{**base, "title": first.title, "pages": "998-1003", "doi": doi})
    second_doi = record(**{**base, "title": second.title, "pages": "1004-1009", "doi": doi})
    assert not vetoed(evidence(profile(first_doi), profile(second_doi)).levels)
