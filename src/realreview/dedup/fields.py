"""The comparison vector of a pair: for each field, a *level* that names what the two records share.

Levels are fixed, discrete and few (``"same"``, ``"differ"``, ``"missing"``, ...), chosen for what
they mean, never tuned to a dataset. How much each level says for or against a duplicate is not
decided here: :mod:`realreview.dedup.scoring` weighs them with weights learned from labelled pairs
(issue #10). The principles live in the levels themselves:

* **A place in print is one value.** A different volume, or a different issue within one volume, is
  the same evidence (``place="conflict"``), and a conflict that no shared page or identifier resolves
  rules out a merge (:func:`realreview.dedup.match.vetoed`): a journal prints a recurring item
  ("Editorial", "Editor's comments") with one title and one author in every issue.
* **A page field's form is read first** (:mod:`realreview.dedup.places`). An article number or
  eLocator against print pages is ``pages="form"`` (two ways to locate one item), an end page alone
  is ``"end"``, ranges that share pages ``"overlap"``; only disjoint ranges (companion papers printed
  one after the other) or two pages of one form ``"differ"``.
* **Names in any order.** Authors agree by shared name words, "Given Family" or "Family G."
  (:mod:`realreview.dedup.names`).
* **Publication lag within one venue.** A year apart in one journal (``year="lag"``: online first and
  print) is not a year apart between a meeting abstract and a later article in another venue
  (``year="one"``); in one conference series, a proceedings paper dated by its meeting in one database
  and by its volume in another is one year (``year="same"``).
* **A subtitle is optional, a word is not.** A title without its subtitle is ``title="subtitle"``; a
  title with one word replaced by another ("in vitro", "in vivo") is ``"edited"``, not ``"near"``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from realreview.dedup.keys import kind_free_title
from realreview.dedup.names import author_overlap
from realreview.dedup.places import page_agreement
from realreview.dedup.profile import Profile
from realreview.dedup.venues import venues_match

__all__ = [
    "FIELDS",
    "INTERACTIONS",
    "STRATA",
    "Evidence",
    "evidence",
    "features",
    "partial_evidence",
    "stratum",
    "stratum_of",
    "title_similarity",
    "with_authors",
]

FIELDS = (
    "title",
    "numbers",
    "kind",
    "id",
    "cochrane",
    "authors",
    "first_author",
    "year",
    "venue",
    "place",
    "pages",
    "type",
)

# Fields whose levels mean something only together, weighed as a pair as well as one by one: volume,
# issue and pages are one place in print (pages that differ within one issue are two papers; within
# two volumes they say nothing new); two page ranges in one issue under one title are one paper, under
# two nearly equal titles ("in vitro", "in vivo") two.
INTERACTIONS = (("place", "pages"), ("title", "pages"))
_PAIRS = tuple((FIELDS.index(a), FIELDS.index(b)) for a, b in INTERACTIONS)
_ID, _AUTHORS, _FIRST = FIELDS.index("id"), FIELDS.index("authors"), FIELDS.index("first_author")

# The title and the identifier decide which other evidence matters (two records with one title are
# told apart by their place in print, two with different titles by little else; under one DOI a
# conflicting volume is a slip, with none it is another item), so each title stratum and identifier
# level has its own weights: the model is a small logistic regression per stratum.
STRATA = {
    "exact": "same",
    "near": "same",
    "edited": "close",
    "subtitle": "close",
    "contained": "close",
    "similar": "close",
    "weak": "far",
    "different": "far",
    "missing": "none",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """A pair's comparison vector: ``levels[i]`` is the level of ``FIELDS[i]``."""

    levels: tuple[str, ...]
    title: float | None
    authors: float | None

    def level(self, name: str) -> str:
        """The level of one field."""
        return self.levels[FIELDS.index(name)]


def features(levels: tuple[str, ...]) -> list[str]:
    """The one-hot features of a comparison vector: ``field=level`` and ``a*b=level/level``.

    >>> features(("exact",) + ("same",) * 11)[-3:]
    ['type=same', 'place*pages=same/same', 'title*pages=exact/same']
    """
    names = [f"{name}={level}" for name, level in zip(FIELDS, levels, strict=True)]
    names += [f"{FIELDS[a]}*{FIELDS[b]}={levels[a]}/{levels[b]}" for a, b in _PAIRS]
    return names


def stratum_of(levels: tuple[str, ...]) -> str:
    """The stratum whose weights score a comparison vector: title stratum and identifier level.

    >>> stratum_of(("near", "same", "same", "missing") + ("same",) * 8)
    'same/missing'
    """
    return f"{STRATA[levels[0]]}/{levels[_ID]}"


def stratum(item: Evidence) -> str:
    """The stratum whose weights score ``item`` (see :func:`stratum_of`)."""
    return stratum_of(item.levels)


def title_similarity(left: str | None, right: str | None) -> float | None:
    """Indel similarity of two title keys (0..1), or ``None`` when either is missing."""
    if not left or not right:
        return None
    return 1.0 if left == right else Indel.normalized_similarity(left, right)


def evidence(left: Profile, right: Profile) -> Evidence:
    """Compare two profiles field by field.

    >>> from realreview.dedup.profile import profile
    >>> from realreview.records import make_record
    >>> a = make_record((), title="Sleep in adolescents: a cohort", authors=["Ng, A."], year="2020",
    ...                 journal="J Sleep", volume="3", issue="1", pages="e12")
    >>> b = make_record((), title="Sleep in adolescents", authors=["Anna Ng"], year="2021",
    ...                 journal="Journal of Sleep", volume="3", issue="2", pages="40-49")
    >>> dict(zip(FIELDS, evidence(profile(a), profile(b)).levels))  # doctest: +NORMALIZE_WHITESPACE
    {'title': 'subtitle', 'numbers': 'same', 'kind': 'same', 'id': 'missing', 'cochrane': 'missing',
     'authors': 'all', 'first_author': 'same', 'year': 'lag', 'venue': 'same', 'place': 'conflict',
     'pages': 'form', 'type': 'same'}
    """
    return with_authors(partial_evidence(left, right), left, right)


def partial_evidence(left: Profile, right: Profile) -> Evidence:
    """Every level but the authors' (left as ``""``).

    The author lists are the costliest to compare, and the other fields often settle that a pair
    cannot reach review whatever they say (:meth:`realreview.dedup.scoring.Model.bound`).
    """
    title, similarity = _title(left, right)
    venue = _venue(left, right)
    levels = (
        title,
        _numbers(left.numbers, right.numbers),
        "same" if left.kind == right.kind else "differ",
        _identifier(left, right),
        _pair(left.cochrane, right.cochrane),
        "",
        "",
        _year(left.year, right.year, venue == "same", proceedings=left.proceedings and right.proceedings),
        venue,
        _place(left, right),
        page_agreement(
            (left.first_page, left.last_page, left.locator),
            (right.first_page, right.last_page, right.locator),
        ),
        _type(left, right),
    )
    return Evidence(levels, similarity, None)


def with_authors(item: Evidence, left: Profile, right: Profile) -> Evidence:
    """``item`` with the author levels filled in."""
    overlap = author_overlap(left.authors, right.authors)
    levels = list(item.levels)
    levels[_AUTHORS] = _authors(overlap)
    levels[_FIRST] = "missing" if overlap is None else ("same" if overlap[1] else "differ")
    return Evidence(tuple(levels), item.title, None if overlap is None else overlap[0])


def _title(left: Profile, right: Profile) -> tuple[str, float | None]:
    similarity = title_similarity(left.title, right.title)
    if similarity is None:
        return "missing", None
    if similarity == 1.0:
        return "exact", similarity
    if left.kind or right.kind:
        # Compare what notices are about, not the word "Erratum" one adds (the kind is its own field).
        bare = title_similarity(kind_free_title(left.title), kind_free_title(right.title)) or 0.0
        similarity = max(similarity, bare)
    if similarity >= 0.95:
        assert left.title is not None and right.title is not None
        return ("edited" if _word_replaced(left.title, right.title) else "near"), similarity
    if _drops_subtitle(left, right) or _drops_subtitle(right, left):
        return "subtitle", similarity
    assert left.title is not None and right.title is not None
    short, long = (
        (left.title, right.title) if len(left.title) <= len(right.title) else (right.title, left.title)
    )
    if short.count(" ") >= 3 and (f" {short} " in f" {long} " or long.startswith(short)):
        # Contained whole (a section heading added), or cut off by a field-length limit.
        return "contained", similarity
    if similarity >= 0.85:
        return "similar", similarity
    return ("weak" if similarity >= 0.7 else "different"), similarity


def _word_replaced(left: str, right: str) -> bool:
    """Whether one title has a word where the other has a different word, not a respelling of it.

    "... sheep rumen in vitro" and "... in vivo" are two companion papers; "ischaemic" and "ischemic",
    "ethoxycarbonyl" and "ethoxy carbonyl" are one word written two ways; words under three letters
    ("is" typed for "as") and numbers do not count.

    >>> _word_replaced("adrenergic reactions in vitro", "adrenergic reactions in vivo")
    True
    >>> _word_replaced("ischaemic heart", "ischemic heart"), _word_replaced("ethoxycarbonyl x", "ethoxy carbonyl x")
    (False, False)
    """
    # Short words and numbers are left to the typo and to the ``numbers`` field ("is" for "as", "ii").
    words_l = {word for word in left.split() if len(word) >= 3 and word.isalpha()}
    words_r = {word for word in right.split() if len(word) >= 3 and word.isalpha()}
    only_l, only_r = words_l - words_r, words_r - words_l
    if not only_l or not only_r:
        return False
    joined_l, joined_r = "".join(sorted(only_l)), "".join(sorted(only_r))
    return any(_unmatched(word, only_r, joined_r) for word in only_l) and any(
        _unmatched(word, only_l, joined_l) for word in only_r
    )


def _unmatched(word: str, others: set[str], joined: str) -> bool:
    if word in joined or any(other in word for other in others if len(other) >= 3):
        return False
    return all(Indel.normalized_similarity(word, other) < 0.75 for other in others)


def _drops_subtitle(full: Profile, other: Profile) -> bool:
    """Whether ``other``'s title is ``full``'s main title, its subtitle left out (issue #10)."""
    if full.main is None or other.title is None:
        return False
    return full.main == other.title or Indel.normalized_similarity(full.main, other.title) >= 0.95


def _numbers(left: str, right: str) -> str:
    if left == right:
        return "same"
    # Digits only left out ("Ca2+" exported as "Ca", "[F-18]" dropped) are not digits that differ
    # ("part 1", "part 2"): the first is an export's loss, the second another work.
    short, long = (left, right) if len(left) <= len(right) else (right, left)
    position = 0
    for digit in short:
        position = long.find(digit, position) + 1
        if position == 0:
            return "differ"
    return "dropped"


def _identifier(left: Profile, right: Profile) -> str:
    """``same`` when an identifier names both records, ``differ`` when they carry different ones.

    A Cochrane review number names the review across its versions (each update has a new DOI and
    year: ``10.1002/14651858.CD003311.pub2``, ``.pub3``), so it decides before the DOIs do.
    """
    if left.cochrane is not None and right.cochrane is not None:
        return "same" if left.cochrane == right.cochrane else "differ"
    found = "missing"
    for a, b in ((left.doi, right.doi), (left.pmid, right.pmid)):
        if a is None or b is None:
            continue
        if a == b or (a.startswith("10.") and _same_doi_suffix(a, b)):
            return "same"
        found = "differ"
    return found


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


def _pair(left: str | None, right: str | None) -> str:
    if left is None or right is None:
        return "missing"
    return "same" if left == right else "differ"


def _authors(overlap: tuple[float, bool] | None) -> str:
    if overlap is None:
        return "missing"
    share = overlap[0]
    if share >= 0.9:
        return "all"
    if share >= 0.6:
        return "most"
    return "some" if share > 0 else "none"


def _year(left: int | None, right: int | None, one_venue: bool, *, proceedings: bool) -> str:
    if left is None or right is None:
        return "missing"
    gap = abs(left - right)
    if gap == 0:
        return "same"
    if gap == 1:
        # A proceedings volume is dated by its meeting in one database and by its publication in
        # another (ICIS 2019, published 2020): in one series, that is one year (issue #10).
        return ("same" if proceedings else "lag") if one_venue else "one"
    return "far"


def _venue(left: Profile, right: Profile) -> str:
    if not left.journal or not right.journal:
        return "missing"
    proceedings = left.conference and right.conference
    return "same" if venues_match(left.journal, right.journal, proceedings=proceedings) else "differ"


def _place(left: Profile, right: Profile) -> str:
    """Volume and issue as one location: ``issue``, ``volume``, ``conflict``, ``issue_only``, ``issue_differs``."""
    same_issue = _issues(left, right)
    if left.volume is not None and right.volume is not None and not _volume_slip(left, right):
        if left.volume != right.volume or same_issue is False:
            return "conflict"
        return "volume" if same_issue is None else "issue"
    if same_issue is None:
        return "missing"
    return "issue_only" if same_issue else "issue_differs"


def _issues(left: Profile, right: Profile) -> bool | None:
    a, b = left.issue_numbers, right.issue_numbers
    if not a or not b:
        return None
    return left.issue == right.issue or a <= b or b <= a


def _volume_slip(left: Profile, right: Profile) -> bool:
    """Whether two different volume keys are one volume written two ways.

    A supplement number slips into the volume field ("1" beside "59" with issue "Suppl. 1"), or a
    journal name spills into it ("Korsakova. Part 2. 117" beside "117").
    """
    a, b = left.volume, right.volume
    if a == b:
        return False
    return (
        a in right.issue_numbers
        or b in left.issue_numbers
        or a in right.volume_numbers
        or b in left.volume_numbers
    )


def _type(left: Profile, right: Profile) -> str:
    """``abstract_article``: a meeting abstract beside a full article; ``conference``: other mixes."""
    if left.conference == right.conference and _abstract_like(left) == _abstract_like(right):
        return "same"
    if _article_and_abstract(left, right) or _article_and_abstract(right, left):
        return "abstract_article"
    return "conference" if left.conference != right.conference else "same"


def _abstract_like(item: Profile) -> bool:
    """Whether a record looks like a meeting abstract: a conference record, or one page of a supplement."""
    return item.conference or (item.supplement and item.first_page is not None and item.last_page is None)


def _article_and_abstract(abstract: Profile, article: Profile) -> bool:
    """Whether ``abstract`` looks like a meeting abstract and ``article`` like a full article (3+ pages)."""
    if not _abstract_like(abstract) or _abstract_like(article) or article.supplement:
        return False
    if abstract.first_page is not None and abstract.first_page == article.first_page:
        # Records on the same first page are the same item, whatever the databases call them.
        return False
    first, last = article.first_page, article.last_page
    if first is None or last is None or not (first.isdigit() and last.isdigit()):
        return False
    return int(last) - int(first) >= 2
