from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realreview.records import (
    Author,
    make_record,
    normalise_doi,
    normalise_pages,
    normalise_pmid,
    normalise_year,
    split_keywords,
)

DOI_SUFFIX = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._()/", min_size=1, max_size=30).filter(
    lambda s: s[-1] not in ".,;:)]}>\"'" and s[0] != "/"
)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("https://dx.doi.org/10.1186/s11689-021-09396-9", "10.1186/s11689-021-09396-9"),
        ("https://doi.org/10.1002%2Far.25209", "10.1002/ar.25209"),
        ("doi:10.1016/J.JAD.2020.01.001.", "10.1016/j.jad.2020.01.001"),
        ("10.1097/PRS.0b013e31825f23ca [doi]", "10.1097/prs.0b013e31825f23ca"),
        ("(10.1371/journal.pone.0298242)", "10.1371/journal.pone.0298242"),
        ("S0140-6736(20)30183-5 [pii]", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_doi(text: str | None, expected: str | None) -> None:
    assert normalise_doi(text) == expected


@given(
    prefix=st.integers(1000, 99999),
    suffix=DOI_SUFFIX,
    wrapper=st.sampled_from(["{}", "https://doi.org/{}", "doi: {}", "{}.", "{} [doi]"]),
)
def test_doi_survives_any_wrapper_and_case(prefix: int, suffix: str, wrapper: str) -> None:
    doi = f"10.{prefix}/{suffix}"
    assert normalise_doi(wrapper.format(doi.upper())) == doi.lower()
    assert normalise_doi(normalise_doi(wrapper.format(doi))) == doi.lower()


@pytest.mark.parametrize(
    "text,expected",
    [
        ("21314913", "21314913"),
        ("PUBMED 21314913", "21314913"),
        ("MEDLINE:0012345", "12345"),
        ("https://pubmed.ncbi.nlm.nih.gov/33491384/", "33491384"),
        ("n/a", None),
    ],
)
def test_normalise_pmid(text: str, expected: str | None) -> None:
    assert normalise_pmid(text) == expected


@given(st.integers(1, 999_999_999))
def test_pmid_is_idempotent(number: int) -> None:
    assert normalise_pmid(normalise_pmid(f"PMID: {number:09d}")) == str(number)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2024/04/03/", 2024),
        ("1989//", 1989),
        ("2021 Sep-Oct", 2021),
        ("September  1, 2021", 2021),
        ("Date of Publication: October 2013", 2013),
        ("12345", None),
        ("", None),
    ],
)
def test_normalise_year(text: str, expected: int | None) -> None:
    assert normalise_year(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("H384-91", "H384-H391"),
        ("1309 - 1348", "1309-1348"),
        ("123-4", "123-124"),
        ("e0245", "e0245"),
        ("70s-85s", "70s-85s"),
        ("S498", "S498"),
        ("1872–1875", "1872-1875"),
    ],
)
def test_normalise_pages(text: str, expected: str) -> None:
    assert normalise_pages(text) == expected


@given(st.integers(1, 99999), st.integers(0, 999))
def test_abbreviated_page_ranges_expand_to_a_later_page(first: int, extra: int) -> None:
    start, end = str(first), str(first + extra)
    short = end
    if len(start) == len(
        end
    ):  # the shortest tail of the last page that, on the first page's head, gives it back
        short = next(end[-k:] for k in range(1, len(end) + 1) if start[: len(start) - k] + end[-k:] == end)
    assert normalise_pages(f"{start}-{short}") == f"{start}-{end}"


@pytest.mark.parametrize(
    "text,family,given",
    [
        ("Keefer, Amy", "Keefer", "Amy"),
        ("Brownstein C D", "Brownstein", "C D"),
        ("Yang Z.", "Yang", "Z."),
        ("van der Berg JA", "van der Berg", "JA"),
        ("World Health Organization", "World Health Organization", ""),
    ],
)
def test_author_parse(text: str, family: str, given: str) -> None:
    assert Author.parse(text) == Author(family, given)


def test_keywords_are_split_cleaned_and_unique() -> None:
    assert split_keywords(["Dinosaurs; fossils", "dinosaurs", " growth\n bone "]) == (
        "Dinosaurs",
        "fossils",
        "growth",
        "bone",
    )


def test_make_record_prefers_the_first_nonblank_candidate_and_unescapes() -> None:
    record = make_record(
        [("TI", "x")],
        title=["  ", "Growth &amp; form  of\n bones"],
        authors=["Doe, J", " "],
        year="2020/01/02",
        start_page="384",
        end_page="91",
        doi=[None, "https://doi.org/10.1000/ABC"],
    )
    assert (record.title, record.authors, record.year, record.pages, record.doi) == (
        "Growth & form of bones",
        (Author("Doe", "J"),),
        2020,
        "384-391",
        "10.1000/abc",
    )
    assert record.raw_values("TI") == ["x"]
