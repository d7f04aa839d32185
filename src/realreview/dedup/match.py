"""Scoring one candidate pair: which fields agree, which conflict, and what that means.

The matcher is conservative by design (issue #3): a false merge silently drops a study from a review,
while a missed duplicate only costs screening time. So any hard conflict (different DOIs, volumes,
first pages or years, an erratum or reply beside its article, a conference abstract beside a journal
article) turns a pair that looks alike into "needs review" instead of a merge, and a merge needs
agreement on several independent fields, not just a similar title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from realreview.dedup.keys import (
    author_keys,
    cochrane_key,
    doi_match_key,
    is_conference,
    is_supplement,
    issue_numbers,
    journal_key,
    journals_match,
    kind_free_title,
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
    volume_numbers: frozenset[str]
    first_page: str | None
    last_page: str | None
    conference: bool
    supplement: bool
    cochrane: str | None


def profile(record: Record) -> Profile:
    """Compute the matching keys of ``record``."""
    journal, volume, issue, pages = split_embedded_citation(record.journal)
    first_page, last_page = page_keys(record.pages or pages)
    if last_page is None and record.year is not None and first_page == str(record.year):
        # Some exports (Ovid) fill the pages field with the year when the pages are unknown.
        first_page = None
    cited_correction = bool(record.title and "(" in record.title and _CITED_CORRECTION.search(record.title))
    # The citation says what is corrected; the title without it is the corrected article's.
    title = title_key(_CITED_CORRECTION.sub("", record.title or "") if cited_correction else record.title)
    return Profile(
        title=title,
        numbers=title_numbers(title),
        # A cited correction is an erratum whatever it corrects ("A commentary on ... (VOL 49 PG 1624 2019)").
        kind="erratum" if cited_correction else title_kind(title),
        doi=doi_match_key(record.doi),
        pmid=record.pmid,
        authors=author_keys(record.authors)[:_AUTHORS_KEPT],
        year=record.year,
        journal=journal_key(journal),
        volume=_volume(record, volume),
        issue=number_key(record.issue or issue),
        issue_numbers=issue_numbers(record.issue or issue),
        volume_numbers=_volume_numbers(record.volume),
        first_page=first_page,
        last_page=last_page,
        conference=is_conference(publication_type=record.publication_type, journal=record.journal),
        supplement=is_supplement(record.volume or volume, record.issue or issue),
        cochrane=cochrane_key(record.doi, record.pages, record.issue, record.volume),
    )


# A correction notice that cites the corrected article instead of saying "Erratum": Web of Science
# writes "Title (vol 142, pg 310, 2003)" (or "(VOL 4 170633 2017)", with an article number), Embase
# "Title (New England Journal of Medicine (2009) 360 (542-544))".
_CITED_CORRECTION = re.compile(
    r"\((?:(?i:vol) \d+,? (?:(?i:pg) )?\w+,? \d{4}|[A-Z][^()]*\(\d{4}\)\s*\d+\s*\([\w-]+\))\)\s*$"
)

_NO_NUMBERS: frozenset[str] = frozenset()


def _volume_numbers(volume: str | None) -> frozenset[str]:
    # "Korsakova. Part 2. 117": a journal name spilled into the volume; any of its numbers may be the volume.
    numbers = issue_numbers(volume)
    return numbers if len(numbers) > 1 else _NO_NUMBERS


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

    The first authors must match; beyond that, the share of the shorter list's names found in the
    longer one (spelling variants allowed), so that a truncated list ("et al.") or a glued string that
    also yields given names ("Ingawa KodaiAruga Nozomi...") still agrees.
    """
    if not left or not right:
        return None
    if not _same_name(left[0], right[0]):
        return Indel.normalized_similarity(" ".join(left), " ".join(right)) * 0.5
    short, long = (left, right) if len(left) <= len(right) else (right, left)
    short, long = short[:_AUTHORS_COMPARED], long[: 2 * _AUTHORS_COMPARED]
    others = set(long)
    found = sum(name in others or any(_same_name(name, other) for other in long) for name in short)
    overlap = found / len(short)
    if overlap >= 0.75:
        return overlap
    return max(overlap, Indel.normalized_similarity(" ".join(left), " ".join(right)))


# Names beyond the first ten add cost, not evidence.
_AUTHORS_COMPARED = 10
_AUTHORS_KEPT = 2 * _AUTHORS_COMPARED


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
        if short.count(" ") >= 3 and (f" {short} " in f" {long} " or long.startswith(short)):
            # Contained whole, or cut off by a field-length limit ("... inflammatory statesthe examples").
            return 0.9
    return value


def _same_name(left: str, right: str) -> bool:
    if left == right:
        return True
    if min(len(left), len(right)) >= 4 and (
        left.startswith(right) or right.startswith(left) or left.endswith(right) or right.endswith(left)
    ):
        # "clarkwayne" / "clark" (given name glued after), "agatamulak" / "mulak" (before).
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
    if left.kind and left.kind == right.kind and title is not None:
        # Two notices of one kind: compare what they are about, not the word "Erratum" one of them adds.
        title = max(title, title_similarity(kind_free_title(left.title), kind_free_title(right.title)) or 0.0)
    if left.cochrane is not None and right.cochrane is not None:
        return _cochrane_versions(left, right, title)
    if title is not None and title < 0.75 and not same_id:
        return _same_authors_same_pages(left, right, title)
    agreed: list[str] = []
    conflicted: list[str] = []
    _identifiers(left, right, agreed, conflicted)
    page_count_only = _page_count_only(left, right) and (same_id or (title is not None and title >= 0.95))
    if title is not None and title >= 0.9:
        agreed.append("title")
    if left.kind != right.kind:
        conflicted.append("type")
    elif left.numbers != right.numbers:
        # Digits only left out ("Ca2+" exported as "Ca", "[F-18]" dropped) are a weaker conflict than
        # digits that differ ("part 1", "part 2").
        conflicted.append("title digits" if _digits_dropped(left.numbers, right.numbers) else "title")
    authors = author_similarity(left.authors, right.authors)
    if authors is not None and authors >= 0.75:
        agreed.append("authors")
    biblio = _bibliographic(left, right, agreed, conflicted, skip_pages=page_count_only)
    strong = title is not None and title >= 0.95 and authors is not None and authors >= 0.75
    # Online first and print a year apart, in one journal, the same title and author list to the letter.
    in_print_later = (
        title is not None
        and title >= 0.98
        and authors is not None
        and authors >= 0.9
        and "journal" in agreed
        and not (_abstract_like(left) or _abstract_like(right))
    )
    corroborated = same_id or biblio >= 2 or (strong and "pages" in agreed) or in_print_later
    _year(left, right, corroborated, agreed, conflicted)
    if (
        left.conference != right.conference
        and "type" not in conflicted
        and _article_and_abstract(left, right)
    ):
        conflicted.append("type")
    score = _score(title, authors, agreed, conflicted)
    settled = _settled_conflicts(left, right, title, authors, agreed, conflicted, same_id=same_id)
    if settled:
        conflicted = [name for name in conflicted if name not in settled]
    if conflicted and set(conflicted) <= {"title", "title digits"} and title is not None and title < 0.9:
        # "... Part 1. Corrected" beside the paper's other title, on the same pages.
        reworded = _same_authors_same_pages(left, right, title)
        if reworded is not None:
            return reworded
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
        if settled:
            reason += f"; {', '.join(settled)} differ{'s' if len(settled) == 1 else ''}, but " + (
                "the identifier settles it" if same_id else "journal, volume and pages locate one item"
            )
        return Comparison(score, LinkStatus.DUPLICATE, tuple(agreed), tuple(settled), reason)
    if title is not None and title < 0.9:
        reworded = _same_authors_same_pages(left, right, title)
        if reworded is not None:
            return reworded
    if same_id or (title is not None and title >= 0.85):
        return Comparison(score, LinkStatus.NEEDS_REVIEW, tuple(agreed), (), "similar, but too little agrees")
    return None


def _settled_conflicts(
    left: Profile,
    right: Profile,
    title: float | None,
    authors: float | None,
    agreed: list[str],
    conflicted: list[str],
    *,
    same_id: bool,
) -> list[str]:
    """The conflicts that stronger evidence explains away; empty when any conflict stays decisive.

    Each case needs the same title (0.95; 0.9 where the whole page range agrees), agreeing authors,
    no clash of item type and a year no more than one apart (any year, with one identifier);
    conflicts explained by different cases add up:

    * **One DOI or PMID, one journal, different volume or pages.** The identifier names one item; a
      volume of "11" beside "242" or pages "129-133" beside "131-133" are data-entry slips (or a
      journal's second numbering), not a second paper. In another journal the shared DOI is more
      likely one wrongly attached to a meeting abstract.
    * **Two DOIs, or digits lost from the title, one print location.** Journal (or issue), volume,
      first page and year all agree. Publishers re-register back catalogues under new DOIs (Springer's
      ``10.1007/bf...`` and ``10.1007/s...``; Academic Press and Elsevier), and some databases drop
      the digits of chemical names ("Ca2+" becomes "Ca"); two different papers cannot share one place
      in print.
    * **Different first page, same last page,** in one volume of one journal: a typo in the first page.
    * **Different pages, same journal, volume, issue, year, authors and (0.98) title:** one issue does
      not print one paper twice; the pages come from another pagination or a date in the wrong field.

    A conflict the evidence does not cover (an erratum, a conference abstract, years two apart)
    keeps the pair in "needs review".
    """
    if not conflicted or "type" in conflicted or title is None or title < 0.9:
        return []
    located_by_id = same_id and title >= 0.95 and ("volume" in agreed or "issue" in agreed)
    if authors is not None and authors < 0.75 and not located_by_id:
        # (Under one DOI, title and volume or issue, a garbled author string cannot veto.)
        return []
    same_journal = (
        "journal" in agreed
        or "volume" in agreed
        or "pages" in agreed
        or not left.journal
        or not right.journal
    )
    by_identifier = same_id and same_journal and title >= 0.95
    if (
        not by_identifier
        and left.year is not None
        and right.year is not None
        and abs(left.year - right.year) > 1
    ):
        return []
    same_page_range = (
        left.first_page is not None
        and left.first_page == right.first_page
        and left.last_page is not None
        and left.last_page == right.last_page
    )
    softened: set[str] = set()
    if same_id and same_journal:
        # Dropped digits under one DOI: a subject code or note appended ("... MODELS 11 MEDICAL AND
        # HEALTH SCIENCES"), "Incubation-1".
        softened.add("title digits")
    if by_identifier and "doi" not in conflicted and "pmid" not in conflicted:
        # The identifier outweighs even a year far off: "1754" is an issue number in the year field,
        # 2016 and 2018 the online and the print year.
        softened |= {"volume", "pages", "issue", "year", "title digits"}
    if (
        (title >= 0.95 or same_page_range)
        and left.first_page is not None
        and left.first_page == right.first_page
        and "volume" not in conflicted
        and left.year == right.year
        and ("journal" in agreed or "issue" in agreed)
        and (left.last_page is None or right.last_page is None or left.last_page == right.last_page)
    ):
        softened |= {"doi", "pmid", "title digits"}
        if same_id and same_page_range and left.volume is not None and left.volume == right.volume:
            # One identifier and one page range: digits that differ are garbled ("Op6" for "O2-").
            softened.add("title")
    if (
        left.volume is not None
        and left.volume == right.volume
        and left.last_page is not None
        and left.last_page == right.last_page
        and left.year == right.year
        and ("journal" in agreed or "issue" in agreed)
    ):
        # "2297-2108" beside "2097-2108", "2141-2147" beside "2142-2147": a typo in the first page.
        softened.add("pages")
    article_numbers = left.last_page is None and right.last_page is None
    if (
        title >= 0.98
        and authors is not None
        and {"journal", "volume", "year"} <= set(agreed)
        and ("issue" in agreed or article_numbers)
    ):
        # One issue of one journal does not print one paper twice: "209-214" beside "211-216" (print
        # and online pagination), "22" beside "11573-11578" (the day of the month in the pages field).
        # Online journals number articles, and databases number them differently ("8" and "1290").
        # Companion papers do share an issue, so the titles must be the same to the letter (0.98):
        # "... sheep rumen in vitro" and "... in vivo" (0.965) stay apart.
        softened.add("pages")
    return list(conflicted) if set(conflicted) <= softened else []


def _digits_dropped(left: str, right: str) -> bool:
    """Whether one title's digits are the other's with some left out ("Ca2+" exported as "Ca").

    A changed digit ("part 1" and "part 2", "delta-8" and "delta-9") is a different work or a
    typo that a person should look at; only lost digits are explained by the print location.
    """
    short, long = (left, right) if len(left) <= len(right) else (right, left)
    position = 0
    for digit in short:
        position = long.find(digit, position) + 1
        if position == 0:
            return False
    return True


def _identifiers(left: Profile, right: Profile, agreed: list[str], conflicted: list[str]) -> None:
    for name in ("doi", "pmid"):
        a, b = getattr(left, name), getattr(right, name)
        if a is not None and b is not None:
            (agreed if a == b or (name == "doi" and _same_doi_suffix(a, b)) else conflicted).append(name)


def _same_doi_suffix(left: str, right: str) -> bool:
    """One DOI written two ways.

    One long suffix under two prefixes (a journal that changed publisher: 10.1080 and 10.3109), or a
    section DOI beside its article's (eLife's ``10.7554/elife.06487.001``; keys have no dots, so
    ``elife06487001`` beside ``elife06487``).
    """
    left_suffix, right_suffix = left.partition("/")[2], right.partition("/")[2]
    if len(left_suffix) >= 10 and left_suffix == right_suffix:
        return True
    short, long = (left, right) if len(left) < len(right) else (right, left)
    return len(short) >= 12 and long.startswith(short) and len(long) - len(short) == 3 and long[-3:].isdigit()


def _page_count_only(left: Profile, right: Profile) -> bool:
    """Whether one side gives pages "1-N" (a PDF's own numbering) and the other an article number.

    Online journals number articles ("e0245", "81"); some databases give the PDF's pages instead
    ("1-13", which Excel turns into "Jan-13"). With the same DOI or the same title that is no conflict.
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
        elif hard and not (name == "volume" and _volume_explained(left, right)):
            conflicted.append(name)
    if journals_match(left.journal, right.journal):
        agreed.append("journal")
        count += 1
    return count


def _volume_explained(left: Profile, right: Profile) -> bool:
    """Whether two different volume keys are one volume written two ways.

    A supplement number slips into the volume field ("1" beside "59" with issue "Suppl. 1"), or a
    journal name spills into it ("Korsakova. Part 2. 117" beside "117").
    """
    a, b = left.volume, right.volume
    return (
        a in right.issue_numbers
        or b in left.issue_numbers
        or a in right.volume_numbers
        or b in left.volume_numbers
    )


def _abstract_like(item: Profile) -> bool:
    """Whether a record looks like a meeting abstract: printed in a supplement or on one page ("43-43")."""
    return item.supplement or (item.first_page is not None and item.first_page == item.last_page)


def _article_and_abstract(left: Profile, right: Profile) -> bool:
    """Whether the non-conference record of the pair is a full article (three pages or more).

    Journal supplements print conference abstracts as one-page items; a database that drops the
    "Conference:" note from the journal field still gives one page, while the later full paper spans
    several. Records on the same first page are the same item, whatever the databases call them.
    """
    article = right if left.conference else left
    if not article.journal or article.supplement or left.first_page == right.first_page:
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
    if (
        same_id
        and title is not None
        and title >= 0.85
        and _same_print_range(left, right)
        and "journal" in agreed_fields
        and left.year == right.year
    ):
        # One DOI and one page range: a reordered title or a garbled author list cannot outweigh it.
        return "same identifier and place in print; title or authors garbled"
    if (
        same_id
        and title is not None
        and authors is not None
        and authors >= 0.75
        and "journal" in agreed_fields
        and left.year == right.year
    ):
        # Reworded titles ("oxytocin's effects" / "the effects of oxytocin", a translated title).
        return "same identifier, authors, journal and year; the titles are worded differently"
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
        and (left.conference != right.conference or _abstract_like(left) != _abstract_like(right))
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
    if title >= 0.9 and biblio >= 4 and left.year == right.year and left.year:
        # Journal, volume, issue and first page all agree: a garbled author list cannot outweigh that.
        return "similar title and every bibliographic detail"
    return ""


def _cochrane_versions(left: Profile, right: Profile, title: float | None) -> Comparison | None:
    """Two records of Cochrane reviews: one review (any version) when the review number agrees.

    Cochrane publishes each update of a review under the same number with a new DOI and year;
    a review team screens the review once, so the versions are duplicates of one another and the
    group keeps them all as links. An update keeps its title under a new team, or its team under a new
    title; when both change ("... for the treatment of ..." by Iorio et al., "... for treating ..." by
    Matino et al.) it goes to review. Different numbers are different reviews, however alike their titles.
    """
    if left.cochrane != right.cochrane:
        if title is not None and title >= 0.85:
            return Comparison(
                _score(title, None, [], ["cochrane"]),
                LinkStatus.NEEDS_REVIEW,
                ("title",),
                ("cochrane",),
                "alike, but different Cochrane review numbers",
            )
        return None
    if left.title and right.title:
        title = title_similarity(_cochrane_title(left.title), _cochrane_title(right.title))
    authors = author_similarity(left.authors, right.authors)
    same_team = authors is not None and authors >= 0.9 and _same_name(left.authors[0], right.authors[0])
    if title is not None and title < 0.75 and not same_team:
        return None
    # Cochrane titles follow a fixed pattern; a reworded one ("for the treatment of" becoming "for
    # treating") marks a revised review, so only spelling-level differences count as the same title.
    agreed = ["cochrane"] + (["title"] if title is not None and title >= 0.98 else [])
    agreed += ["authors"] if authors is not None and authors >= 0.75 else []
    if "title" not in agreed and not same_team:
        # A new title and a new first author or team: a new review under an old number, for a person.
        return Comparison(
            _score(title, authors, agreed, []),
            LinkStatus.NEEDS_REVIEW,
            tuple(agreed),
            (),
            f"one Cochrane review ({left.cochrane}), but its title or authors changed",
        )
    conflicted = [
        name
        for name in ("doi", "year")
        if getattr(left, name) and getattr(right, name) and getattr(left, name) != getattr(right, name)
    ]
    versions = "; versions differ in " + ", ".join(conflicted) if conflicted else ""
    reason = f"one Cochrane review ({left.cochrane}){versions}"
    return Comparison(
        _score(title, None, agreed, []), LinkStatus.DUPLICATE, tuple(agreed), tuple(conflicted), reason
    )


_COCHRANE_DECORATION = re.compile(r"^withdrawn |( review| protocol| art no cd\d{6}( pub\d+)?)+$")


def _cochrane_title(key: str) -> str:
    """A Cochrane title key without the version's decorations: "WITHDRAWN:", "(Review)", "Art. No. CD...".

    >>> _cochrane_title("withdrawn immunoglobulin for preventing rsv infection review")
    'immunoglobulin for preventing rsv infection'
    """
    return _COCHRANE_DECORATION.sub("", key)


def _same_authors_same_pages(left: Profile, right: Profile, title: float) -> Comparison | None:
    """Two titles that do not match, but the same authors on the same page range of one journal volume.

    Non-English papers reach the databases with different English translations of their title
    ("Action of dibunol isoptin ..." and "Study of effects of dibunol isoptine ..."; MEDLINE's
    "[Pets for the mentally ill]" beside "The pet for the psychiatric patient"), and a title can be cut
    to its section heading ("Motherisk update"). A page range (not one page) in one volume of one
    journal, by the same authors, in the same year, is one item whatever its title says: two papers
    cannot occupy the same pages. Issues must not conflict (a journal that numbers the pages of each
    issue from 1 repeats a page range within a volume). A supplement of meeting abstracts can give
    every abstract the supplement's whole page range, so there a person decides unless the range is
    one paper's (30 pages at most).
    """
    if not _same_print_range(left, right) or left.year is None or left.year != right.year:
        return None
    if left.doi is not None and right.doi is not None and left.doi != right.doi:
        return None
    if left.kind != right.kind or left.conference != right.conference:
        return None
    if not journals_match(left.journal, right.journal):
        return None
    one_issue = left.issue is not None and left.issue == right.issue
    if not (one_issue or left.issue is None or right.issue is None):
        return None
    authors = author_similarity(left.authors, right.authors)
    if authors is None or authors < 0.9:
        return None
    agreed = (
        ("authors", "volume", "pages", "issue", "journal", "year")
        if one_issue
        else ("authors", "volume", "pages", "journal", "year")
    )
    score = _score(title, authors, list(agreed), ["title"])
    if (left.supplement or right.supplement) and _page_span(left) > _LONGEST_PAPER:
        reason = "titles differ, but the same authors on the same pages of one supplement"
        return Comparison(score, LinkStatus.NEEDS_REVIEW, agreed, ("title",), reason)
    reason = "titles differ (a translation?), but the same authors on the same pages of one journal volume"
    return Comparison(score, LinkStatus.DUPLICATE, agreed, ("title",), reason)


# A supplement page range longer than this is the supplement's, not one paper's.
_LONGEST_PAPER = 30


def _page_span(item: Profile) -> int:
    first, last = item.first_page, item.last_page
    if first is None or last is None or not first.isdigit() or not last.isdigit():
        return _LONGEST_PAPER + 1
    return int(last) - int(first) + 1


def _same_print_range(left: Profile, right: Profile) -> bool:
    return (
        left.volume is not None
        and left.volume == right.volume
        and left.first_page is not None
        and left.first_page == right.first_page
        and left.last_page is not None
        and left.last_page == right.last_page
        and left.last_page != left.first_page
    )


def _volume_and_page(left: Profile, right: Profile) -> bool:
    return left.volume is not None and left.volume == right.volume and left.first_page == right.first_page


def _score(title: float | None, authors: float | None, agreed: list[str], conflicted: list[str]) -> float:
    value = 0.5 * (title if title is not None else 0.5) + 0.2 * (authors if authors is not None else 0.5)
    value += 0.05 * sum(name in agreed for name in ("doi", "pmid", "year", "volume", "pages", "journal"))
    return round(max(0.0, value - 0.1 * len(conflicted)), 4)


def _why(conflicted: list[str]) -> str:
    return "alike, but " + ", ".join(conflicted) + (" conflict" if len(conflicted) == 1 else " conflict")
