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
    result = verdict(record(), record(doi="10.1016/other.2012.1"))
    assert result is not None
    assert result.status is LinkStatus.NEEDS_REVIEW
    assert "doi" in result.conflicted


def test_different_pages_or_volume_need_review() -> None:
    for changes in ({"pages": "301-309", "doi": None}, {"volume": "108", "doi": None}):
        result = verdict(record(doi=None), record(**changes))
        assert result is not None
        assert result.status is LinkStatus.NEEDS_REVIEW


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
    assert result is not None
    assert result.status is LinkStatus.NEEDS_REVIEW


def test_numbered_parts_are_not_merged() -> None:
    result = verdict(
        record(title="Heart failure guideline: part 1", doi=None),
        record(title="Heart failure guideline: part 2", doi=None),
    )
    assert result is None or result.status is LinkStatus.NEEDS_REVIEW


def test_unrelated_records_give_no_link() -> None:
    other = record(title="Sleep quality in adolescents with asthma", doi=None, pages="1-9", volume="3")
    assert verdict(record(doi=None), other) is None


def test_missing_title_merges_only_when_everything_else_agrees() -> None:
    untitled = record(title="#NAME?", doi=None)
    assert verdict(record(doi=None), untitled).status is LinkStatus.DUPLICATE  # type: ignore[union-attr]
    partial = record(title=None, doi=None, volume=None)
    result = verdict(record(doi=None), partial)
    assert result is None or result.status is LinkStatus.NEEDS_REVIEW
