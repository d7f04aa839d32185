"""The normalisers and comparisons behind issue #10's classes, each on its own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realreview.dedup.fields import FIELDS, Evidence, partial_evidence, with_authors
from realreview.dedup.keys import main_title
from realreview.dedup.names import author_keys, author_overlap, family_key, same_name
from realreview.dedup.places import issue_numbers, page_agreement, page_keys, unfold_volume
from realreview.dedup.profile import profile
from realreview.dedup.scoring import default_model
from realreview.dedup.venues import is_conference, journal_key, venues_match
from realreview.records import Author, make_record


@pytest.mark.parametrize(
    ("given_family", "family_initials"),
    [
        ("Andrew Burton-Jones", "Burton-Jones, A."),
        ("Wei Li", "Li W."),
        ("Jan vom Brocke", "vom Brocke J."),
        ("Xiaoping Wang", "Wang, X."),
        ("Wang Xiaoping", "Wang X."),
    ],
)
def test_a_name_in_either_form_is_one_person(given_family: str, family_initials: str) -> None:
    (left,) = author_keys([Author.parse(given_family)])
    (right,) = author_keys([Author.parse(family_initials)])
    assert same_name(left, right)


def test_blocking_takes_the_last_word_of_a_given_family_name() -> None:
    assert family_key(author_keys([Author.parse("Andrew Burton-Jones")])[0]) == "burtonjones"


@given(st.lists(st.sampled_from(["smith", "li", "anna ng", "wang wei", "jones"]), min_size=1, max_size=6))
def test_author_overlap_ignores_order(names: list[str]) -> None:
    found = author_overlap(tuple(names), tuple(reversed(names)))
    assert found is not None and found[0] == 1.0


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("a1754", "1754-1760", "same"),
        ("e1754", "213-220", "form"),
        ("1760", "1754-1760", "end"),
        ("-1760", "1754-1760", "end"),
        ("t-1754", "1754-1760", "same"),
        ("1754-60", "1754-1760", "same"),
        ("728-740", "729-741", "overlap"),
        ("341-348", "349-356", "differ"),
        ("190", "28-29", "single"),
        ("e0245", "1-13", "form"),
        (None, "1-13", "missing"),
    ],
)
def test_page_fields_are_compared_by_form(left: str | None, right: str | None, level: str) -> None:
    a, b = profile(make_record((), pages=left)), profile(make_record((), pages=right))
    found = page_agreement((a.first_page, a.last_page, a.locator), (b.first_page, b.last_page, b.locator))
    reverse = page_agreement((b.first_page, b.last_page, b.locator), (a.first_page, a.last_page, a.locator))
    assert found == reverse == level


@given(st.text(alphabet="0123456789-eSt ", max_size=12))
def test_page_keys_never_fail_and_give_a_range_only_with_two_ends(text: str) -> None:
    first, last = page_keys(text)
    assert last is None or (first is not None and last != first)


def test_embase_volume_fields_give_back_issue_and_article_number() -> None:
    assert unfold_volume("14 (12) (no pagination)", "e0226781", None) == ("14", "12", "e0226781")
    assert unfold_volume("10 (MAY) (no pagination)", "380", None) == ("10", "MAY", "380")
    embase = profile(make_record((), volume="14 (12) (no pagination)", issue="e0226781", year="2019"))
    medline = profile(make_record((), volume="14", issue="12", pages="e0226781", year="2019"))
    assert (embase.volume, embase.issue, embase.first_page) == (
        medline.volume,
        medline.issue,
        medline.first_page,
    )


def test_excel_dates_in_issue_fields_are_issue_numbers() -> None:
    assert issue_numbers("02-Mar") == {"2", "3"}


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("ICIS 2019 Proceedings", "40th International Conference on Information Systems, ICIS 2019", True),
        ("Americas Conference on Information Systems", "AMCIS 2017 Proceedings", True),
        ("Proceedings of the Annual Hawaii International Conference on System Sciences", "HICSS 2021", True),
        ("European Conference on Information Systems", "Americas Conference on Information Systems", False),
        ("ICIS 2019 Proceedings", "ECIS 2019 Proceedings", False),
    ],
)
def test_conference_series_are_recognised_by_name_or_acronym(left: str, right: str, same: bool) -> None:
    assert venues_match(journal_key(left), journal_key(right), proceedings=True) is same


def test_proceedings_journals_are_journals() -> None:
    assert not is_conference(
        publication_type="article", journal="Proceedings of the National Academy of Sciences"
    )
    assert is_conference(publication_type=None, journal="ICIS 2019 Proceedings")


def test_main_title_drops_the_subtitle() -> None:
    assert main_title("Algorithmic Management: How Gig Platforms Control Workers") == "algorithmic management"
    assert main_title("Algorithmic management") is None


@given(
    st.sampled_from(["all", "most", "some", "none", "missing"]),
    st.sampled_from(["same", "differ", "missing"]),
)
def test_the_bound_is_never_below_the_score_whatever_the_authors(authors: str, first: str) -> None:
    # compare() skips the author lists when the bound cannot reach review: the bound must be safe.
    left = profile(make_record((), title="Sleep in adolescents", year="2020", journal="J Sleep", volume="3"))
    right = profile(make_record((), title="Sleep in adolescents", year="2020", journal="J Sleep", volume="4"))
    partial = partial_evidence(left, right)
    levels = list(partial.levels)
    levels[FIELDS.index("authors")], levels[FIELDS.index("first_author")] = authors, first
    model = default_model()
    assert model.bound(partial) >= model.logit(Evidence(tuple(levels), None, None)) - 1e-9
    assert with_authors(partial, left, right).levels[FIELDS.index("authors")] == "missing"


def test_the_shipped_thresholds_follow_from_the_stated_costs() -> None:
    # benchmarks/dedup_weights.py: FP_COST = 20 (merge at 20/21), REVIEW_COST = 0.1.
    model = default_model()
    assert model.merge == pytest.approx(20 / 21, abs=1e-6)
    assert model.review == pytest.approx(0.1)
    assert {"same/missing", "same/same", "close/missing", "far/missing"} <= set(model.strata)
