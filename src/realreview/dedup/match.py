"""Scoring one candidate pair: which fields agree, which conflict, and what that means.

The matcher is conservative by design (issue #3): a false merge silently drops a study from a review,
while a missed duplicate only costs screening time. So any hard conflict (different DOIs, volumes,
first pages or years, an erratum or reply beside its article, a conference abstract beside a journal
article) turns a pair that looks alike into "needs review" instead of a merge, and a merge needs
agreement on several independent fields, not just a similar title.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from realreview.dedup.keys import (
    author_keys,
    is_conference,
    issue_numbers,
    journal_key,
    journals_match,
    number_key,
    page_keys,
    split_embedded_citation,
    title_key,
    title_kind,
    title_numbers,
)
from realreview.dedup.model import LinkStatus
from realreview.records import Record

__all__ = ["Comparison", "Profile", "compare", "profile"]


@dataclass(frozen=True, slots=True)
class Profile:
    """The comparable keys of one record, computed once (see :mod:`realreview.dedup.keys`)."""

    title: str | None
    numbers: str
    kind: str
    doi: str | None
    pmid: str | None
    authors: tuple[str, ...]
    year: int | None
    journal: tuple[str, ...]
    volume: str | None
    issue: str | None
    issue_numbers: frozenset[str]
    first_page: str | None
    last_page: str | None
    conference: bool


def profile(record: Record) -> Profile:
    """Compute the matching keys of ``record``."""
    journal, volume, issue, pages = split_embedded_citation(record.journal)
    first_page, last_page = page_keys(record.pages or pages)
    if last_page is None and record.year is not None and first_page == str(record.year):
        # Some exports (Ovid) fill the pages field with the year when the pages are unknown.
        first_page = None
    title = title_key(record.title)
    return Profile(
        title=title,
        numbers=title_numbers(title),
        kind=title_kind(title),
        doi=record.doi,
        pmid=record.pmid,
        authors=author_keys(record.authors),
        year=record.year,
        journal=journal_key(journal),
        volume=_volume(record, volume),
        issue=number_key(record.issue or issue),
        issue_numbers=issue_numbers(record.issue or issue),
        first_page=first_page,
        last_page=last_page,
        conference=is_conference(publication_type=record.publication_type, journal=record.journal),
    )


def _volume(record: Record, embedded: str | None) -> str | None:
    # "2015 (3) (no pagination)": some exports put the year where the volume belongs.
    value = number_key(record.volume or embedded)
    return None if value is not None and record.year is not None and value == str(record.year) else value


@dataclass(frozen=True, slots=True)
class Comparison:
    """The verdict on one pair, with the fields behind it."""

    score: float
    status: LinkStatus
    agreed: tuple[str, ...]
    conflicted: tuple[str, ...]
    reason: str


def author_similarity(left: tuple[str, ...], right: tuple[str, ...]) -> float | None:
    """How far two author lists agree (0..1), or ``None`` when either is missing.

    The first authors must match; beyond that, a truncated list ("et al.") that is contained in the
    longer one counts as full agreement.
    """
    if not left or not right:
        return None
    if not _same_name(left[0], right[0]):
        return Indel.normalized_similarity(" ".join(left), " ".join(right)) * 0.5
    shared = len(set(left) & set(right))
    overlap = shared / min(len(set(left)), len(set(right)))
    return max(overlap, Indel.normalized_similarity(" ".join(left), " ".join(right)))


def title_similarity(left: str | None, right: str | None) -> float | None:
    """Indel similarity of two title keys (0..1); a title contained whole in the other scores at least 0.9.

    Some databases prefix a section heading ("MEDICAL PROGRESS ...") or drop a subtitle; the other
    fields must then carry the match, which the 0.9 (below "same title") leaves to them.

    >>> title_similarity("atypical hemolytic uremic syndrome", "medical progress atypical hemolytic uremic syndrome")
    0.9
    """
    if not left or not right:
        return None
    value = Indel.normalized_similarity(left, right)
    if value < 0.9:
        short, long = (left, right) if len(left) <= len(right) else (right, left)
        if short.count(" ") >= 3 and f" {short} " in f" {long} ":
            return 0.9
    return value


def _same_name(left: str, right: str) -> bool:
    if left == right:
        return True
    if min(len(left), len(right)) >= 4 and (left.startswith(right) or right.startswith(left)):
        return True
    return Indel.normalized_similarity(left, right) >= 0.8


def compare(left: Profile, right: Profile) -> Comparison | None:
    """Score a candidate pair; ``None`` when the two are clearly different works.

    >>> from realreview.records import make_record
    >>> a = make_record((), title="Cardiac genomic response", authors=["Das D. K.", "Maulik N."],
    ...                 year="2006", journal="Cardiovasc Res", volume="70", pages="254-63")
    >>> b = make_record((), title="Cardiac genomic response.", authors=["Das, D. K.", "Maulik, N."],
    ...                 year="2006", journal="Cardiovascular research", volume="70", pages="254-263")
    >>> compare(profile(a), profile(b)).status
    <LinkStatus.DUPLICATE: 'duplicate'>
    >>> c = make_record((), title="Erratum: Cardiac genomic response", authors=["Das, D. K."],
    ...                 year="2006", journal="Cardiovasc Res", volume="70", pages="400")
    >>> compare(profile(a), profile(c)).status
    <LinkStatus.NEEDS_REVIEW: 'needs_review'>
    """
    same_id = (left.doi is not None and left.doi == right.doi) or (
        left.pmid is not None and left.pmid == right.pmid
    )
    title = title_similarity(left.title, right.title)
    if title is not None and title < 0.75 and not same_id:
        return None
    agreed: list[str] = []
    conflicted: list[str] = []
    _identifiers(left, right, agreed, conflicted)
    page_count_only = same_id and _page_count_only(left, right)
    if title is not None and title >= 0.9:
        agreed.append("title")
    if left.kind != right.kind:
        conflicted.append("type")
    elif left.numbers != right.numbers:
        conflicted.append("title")
    authors = author_similarity(left.authors, right.authors)
    if authors is not None and authors >= 0.75:
        agreed.append("authors")
    biblio = _bibliographic(left, right, agreed, conflicted, skip_pages=page_count_only)
    strong = title is not None and title >= 0.95 and authors is not None and authors >= 0.75
    _year(left, right, same_id or biblio >= 2 or (strong and "pages" in agreed), agreed, conflicted)
    if (
        left.conference != right.conference
        and "type" not in conflicted
        and _article_and_abstract(left, right)
    ):
        conflicted.append("type")
    score = _score(title, authors, agreed, conflicted)
    if conflicted:
        if same_id or (title is not None and title >= 0.85):
            return Comparison(
                score, LinkStatus.NEEDS_REVIEW, tuple(agreed), tuple(conflicted), _why(conflicted)
            )
        return None
    reason = _duplicate_reason(
        left, right, title=title, authors=authors, biblio=biblio, same_id=same_id, agreed_fields=agreed
    )
    if reason:
        return Comparison(score, LinkStatus.DUPLICATE, tuple(agreed), (), reason)
    if same_id or (title is not None and title >= 0.85):
        return Comparison(score, LinkStatus.NEEDS_REVIEW, tuple(agreed), (), "similar, but too little agrees")
    return None


def _identifiers(left: Profile, right: Profile, agreed: list[str], conflicted: list[str]) -> None:
    for name in ("doi", "pmid"):
        a, b = getattr(left, name), getattr(right, name)
        if a is not None and b is not None:
            (agreed if a == b else conflicted).append(name)


def _page_count_only(left: Profile, right: Profile) -> bool:
    """Whether one side gives pages "1-N" (a PDF's own numbering) and the other an article number.

    Online journals number articles ("e0245", "81"); some databases give the PDF's pages instead
    ("1-13", which Excel turns into "Jan-13"). With the same DOI that is no conflict.
    """
    for one, other in ((left, right), (right, left)):
        if one.first_page == "1" and one.last_page and other.last_page is None and other.first_page != "1":
            return True
    return False


def _bibliographic(
    left: Profile, right: Profile, agreed: list[str], conflicted: list[str], *, skip_pages: bool = False
) -> int:
    """Compare volume, first page, issue and journal; return how many agree."""
    count = 0
    for name, a, b, hard in (
        ("volume", left.volume, right.volume, True),
        ("pages", None if skip_pages else left.first_page, right.first_page, True),
        ("issue", left.issue, right.issue, False),
    ):
        if a is None or b is None:
            continue
        if a == b:
            agreed.append(name)
            count += 1
        elif hard and not (name == "volume" and (a in right.issue_numbers or b in left.issue_numbers)):
            conflicted.append(name)
    if journals_match(left.journal, right.journal):
        agreed.append("journal")
        count += 1
    return count


def _article_and_abstract(left: Profile, right: Profile) -> bool:
    """Whether the non-conference record of the pair is a full article (three pages or more).

    Journal supplements print conference abstracts as one-page items; a database that drops the
    "Conference:" note from the journal field still gives one page, while the later full paper spans
    several. Records on the same first page are the same item, whatever the databases call them.
    """
    article = right if left.conference else left
    if not article.journal or left.first_page == right.first_page:
        return False
    if article.first_page is None or article.last_page is None:
        return False
    if not (article.first_page.isdigit() and article.last_page.isdigit()):
        return False
    return int(article.last_page) - int(article.first_page) >= 2


def _year(
    left: Profile, right: Profile, corroborated: bool, agreed: list[str], conflicted: list[str]
) -> None:
    if left.year is None or right.year is None:
        return
    gap = abs(left.year - right.year)
    if gap == 0:
        agreed.append("year")
    elif gap > 1 or not corroborated:
        # Online-first and print years differ by one; more than that, or one without identifiers or
        # volume and pages to back it, is more often a conference abstract and its later article.
        conflicted.append("year")


def _duplicate_reason(
    left: Profile,
    right: Profile,
    *,
    title: float | None,
    authors: float | None,
    biblio: int,
    same_id: bool,
    agreed_fields: list[str],
) -> str:
    authors_ok = authors is None or authors >= 0.75
    if same_id and title is not None and title >= 0.9:
        return "same identifier and title"
    if same_id and title is None and authors_ok and biblio >= 2:
        return "same identifier, authors and bibliographic details"
    if title is None:
        if (
            left.title is None
            and right.title is None
            or authors is None
            or authors < 0.9
            or left.year != right.year
            or biblio < 3
            or not _volume_and_page(left, right)
            or "journal" not in agreed_fields
        ):
            return ""
        return "no title, but authors, year, volume, pages and journal agree"
    other_journal = (
        bool(left.journal and right.journal)
        and "journal" not in agreed_fields
        and left.conference != right.conference
    )
    if title >= 0.95 and authors is not None and authors >= 0.75 and left.year == right.year and left.year:
        # A meeting abstract and a paper in another journal share title, authors and year.
        if not other_journal:
            return "same title, authors and year"
    if title >= 0.95 and biblio >= 2 and (authors is None or authors >= 0.5):
        return "same title and bibliographic details"
    if (
        title >= 0.95
        and biblio >= 3
        and left.year == right.year
        and left.year
        and _volume_and_page(left, right)
    ):
        # Volume, first page and journal or issue agree: a mangled author list cannot outweigh that.
        return "same title and all bibliographic details"
    if title >= 0.9 and authors_ok and biblio >= 3:
        return "similar title, same bibliographic details"
    return ""


def _volume_and_page(left: Profile, right: Profile) -> bool:
    return left.volume is not None and left.volume == right.volume and left.first_page == right.first_page


def _score(title: float | None, authors: float | None, agreed: list[str], conflicted: list[str]) -> float:
    value = 0.5 * (title if title is not None else 0.5) + 0.2 * (authors if authors is not None else 0.5)
    value += 0.05 * sum(name in agreed for name in ("doi", "pmid", "year", "volume", "pages", "journal"))
    return round(max(0.0, value - 0.1 * len(conflicted)), 4)


def _why(conflicted: list[str]) -> str:
    return "alike, but " + ", ".join(conflicted) + (" conflict" if len(conflicted) == 1 else " conflict")
