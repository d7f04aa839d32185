"""Where a work appeared: the journal or conference series, compared across the ways databases name it.

Databases name one journal ``"Plast Reconstr Surg"`` and ``"Plastic and Reconstructive Surgery"``, one
conference series ``"ICIS 2019 Proceedings"`` and ``"40th International Conference on Information
Systems"``; Embase folds the whole citation into the journal field and marks a meeting abstract by
appending "Conference: <meeting>". Every function here is pure.
"""

from __future__ import annotations

import re
from functools import lru_cache

from realreview.dedup.keys import fold

__all__ = [
    "is_conference",
    "is_proceedings",
    "journal_key",
    "journals_match",
    "split_embedded_citation",
    "venues_match",
]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DIGIT = re.compile(r"\d")
_JOURNAL_STOP = frozenset(
    # "and", "of" in other languages too: "Farmakologiya i Toksikologiya", "Archiv fur ...".
    "of the and for in on de la le der und et a an i e y du des di del da do fur".split()
    # Edition notes, not names: "J Rheumatol Suppl", "Cochrane database of systematic reviews (Online)".
    + "suppl supplement supplements online print internet".split()
)
# Embase/Ovid fold the citation into the journal field: "Am J Clin Nutr.93 (6) ()(pp 1337-1343) 2011."
_EMBEDDED = re.compile(
    r"^(.*?)\.\s?(\d+[^()]*?)?\s*(?:\(([^()]*)\)\s*)?"
    r"(?:\(\)\s*\(pp\s*([^)]*)\)|\(no pagination\)(?:[^()]*?Article Number:\s*([A-Za-z0-9]+))?)"
)
_CONFERENCE = re.compile(r"\.?\s*conference\s*:.*$", re.IGNORECASE)


def split_embedded_citation(journal: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """Split a journal field that carries its own citation into (journal, volume, issue, pages).

    >>> split_embedded_citation("American Journal of Clinical Nutrition.93 (6) ()(pp 1337-1343) 2011.")
    ('American Journal of Clinical Nutrition', '93', '6', '1337-1343')
    >>> split_embedded_citation("CNS drugs.23 Suppl 2 ()(pp 1-2) 2009.Date of Publication: 2009.")
    ('CNS drugs', '23 Suppl 2', None, '1-2')
    >>> split_embedded_citation("British Journal of Clinical Pharmacology.19 (Suppl 1) ()(pp 45S-56S) 1985.")
    ('British Journal of Clinical Pharmacology', '19', 'Suppl 1', '45S-56S')
    >>> split_embedded_citation("PLoS ONE.9 (5) (no pagination) 2014.Article Number: e97778.Date of Publication: 2014.")
    ('PLoS ONE', '9', '5', 'e97778')
    >>> split_embedded_citation("PLoS Medicine.11 (11) (no pagination) 2014.Date of Publication: 2014.")
    ('PLoS Medicine', '11', '11', None)
    >>> split_embedded_citation("Brain")
    ('Brain', None, None, None)
    """
    if not journal or ("(pp" not in journal and "(no pagination)" not in journal):
        return journal, None, None, None
    match = _EMBEDDED.match(journal)
    if match is None:
        return journal, None, None, None
    name, volume, issue, pages, article = match.groups()
    return name, volume or None, issue or None, pages or article or None


_PLACE_QUALIFIER = re.compile(r"\s*\([A-Za-z .]{2,20}\)$")


@lru_cache(maxsize=1 << 16)
def journal_key(text: str | None) -> tuple[str, ...]:
    """Journal words, folded, without stop-words or the ``Conference: ...`` tail Embase appends.

    >>> journal_key("Journal of Thrombosis and Haemostasis.Conference: 22nd Congress")
    ('journal', 'thrombosis', 'hemostasis')
    >>> journal_key("Neurocirugia (Astur)")
    ('neurocirugia',)
    >>> journal_key("Can.J.Physiol Pharmacol.")
    ('can', 'j', 'physiol', 'pharmacol')
    """
    if not text:
        return ()
    if "onference" in text:
        text = _CONFERENCE.sub("", text)
    if text.endswith(")"):
        # NLM's place qualifier: "Neurocirugia (Astur)", "Ann Biol Clin (Paris)", "... (Online)".
        text = _PLACE_QUALIFIER.sub("", text)
    words = _NON_ALNUM.sub(" ", fold(text)).split()
    return tuple(_american(word) for word in words if word not in _JOURNAL_STOP)


def _american(word: str) -> str:
    """One spelling for British and American journal words: "anaesth" and "anesthesia", "oesophagus".

    >>> _american("anaesth"), _american("haematology"), _american("oesophagus"), _american("aerosol")
    ('anesth', 'hematology', 'esophagus', 'aerosol')
    """
    if "ae" in word[1:]:
        word = word[0] + word[1:].replace("ae", "e")
    if word.startswith("oe"):
        word = word[1:]
    return word


def journals_match(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Whether one journal key abbreviates the other, word by word and in order.

    Each abbreviated word must start with the same letter as its full word and its letters must appear
    in order in it (``"natl"`` in ``"national"``, ``"reconstr"`` in ``"reconstructive"``).

    >>> journals_match(("plast", "reconstr", "surg"), ("plastic", "reconstructive", "surgery"))
    True
    >>> journals_match(("j", "thromb", "haemost"), ("journal", "thrombosis", "haemostasis"))
    True
    >>> journals_match(("brain",), ("brain", "research"))
    False
    >>> journals_match(("zhurnal", "nevrologii", "psihiatrii"), ("zhurnal", "nevrologii", "psihiatrii", "korsakova"))
    True
    >>> journals_match(journal_key("Philos Trans R Soc Lond B Biol Sci"),
    ...                journal_key("PHILOSOPHICAL TRANSACTIONS OF THE ROYAL SOCIETY B-BIOLOGICAL SCIENCES"))
    True
    """
    if not left or not right:
        return False
    if left == right:
        return True
    if len(left) != len(right):
        # A long name cut short by a field limit ("Zhurnal Nevrologii i Psihiatrii imeni S.S" for
        # "... imeni S.S. Korsakova") still names the journal; "Brain" is not "Brain Research".
        short, long = (left, right) if len(left) < len(right) else (right, left)
        if len(short) < 3:
            return False
        if all(_abbreviates(a, b) or _abbreviates(b, a) for a, b in zip(short, long, strict=False)):
            return True
        return _aligned_skipping_one(short, long)
    return all(_abbreviates(a, b) or _abbreviates(b, a) for a, b in zip(left, right, strict=True))


def _aligned_skipping_one(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Every word of ``short`` matches the next words of ``long`` in order, one word of ``long`` skipped.

    "Philos Trans R Soc Lond B Biol Sci" against "Philosophical Transactions of the Royal Society B -
    Biological Sciences": the abbreviation adds "Lond".
    """
    if len(long) - len(short) != 1 or not (
        _abbreviates(short[0], long[0]) or _abbreviates(long[0], short[0])
    ):
        return False
    skipped = 0
    position = 0
    for word in short:
        while position < len(long) and not (
            _abbreviates(word, long[position]) or _abbreviates(long[position], word)
        ):
            position += 1
            skipped += 1
        if position == len(long) or skipped > 1:
            return False
        position += 1
    return True


def _abbreviates(short: str, full: str) -> bool:
    if len(short) > len(full) or short[0] != full[0]:
        return False
    position = 0
    for ch in short:
        position = full.find(ch, position) + 1
        if position == 0:
            return False
    return True


def venues_match(left: tuple[str, ...], right: tuple[str, ...], *, proceedings: bool = False) -> bool:
    """Whether two venue keys name one journal, or (``proceedings``) one conference series.

    Proceedings are named with their year, edition and sponsor in any order, and often by acronym
    ("Proceedings of the 40th International Conference on Information Systems", "ICIS 2019
    Proceedings"); their distinctive words, without numbers and generic words, must then be contained
    one in the other, or one be the acronym of the other's words.

    >>> venues_match(journal_key("Proceedings of the 40th International Conference on Information Systems"),
    ...              journal_key("ICIS 2019 Proceedings"), proceedings=True)
    True
    >>> venues_match(journal_key("Americas Conference on Information Systems"),
    ...              journal_key("Amcis 2017 Proceedings"), proceedings=True)
    True
    >>> venues_match(journal_key("ICIS 2019 Proceedings"),
    ...              journal_key("40th International Conference on Information Systems, ICIS 2019"), proceedings=True)
    True
    >>> venues_match(journal_key("Hawaii Conference on System Sciences"),
    ...              journal_key("Conference on Information Systems"), proceedings=True)
    False
    """
    if journals_match(left, right):
        return True
    if not proceedings:
        return False
    a, b = _distinctive(left), _distinctive(right)
    if a and b and (a <= b or b <= a):
        return True
    return any(_is_acronym(word, right) for word in a if word not in b) or any(
        _is_acronym(word, left) for word in b if word not in a
    )


_GENERIC_VENUE = frozenset(
    "proceedings proc conference conf international intl annual meeting symposium workshop congress "
    "ieee acm aaai ifip".split()
)


def _distinctive(key: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for w in key if len(w) > 2 and not _DIGIT.search(w) and w not in _GENERIC_VENUE)


def _is_acronym(word: str, key: tuple[str, ...]) -> bool:
    """Whether ``word`` spells the leading letters of three or more consecutive words of ``key``.

    >>> _is_acronym("hicss", journal_key("Annual Hawaii International Conference on System Sciences"))
    True
    >>> _is_acronym("ecis", journal_key("European Conference on Information Systems"))
    True
    """
    if not 3 <= len(word) <= 8 or not word.isalpha():
        return False
    words = tuple(w for w in key if not _DIGIT.search(w))
    return any(_spells(word, words, start, 0) for start in range(len(words)))


def _spells(acronym: str, words: tuple[str, ...], start: int, used: int) -> bool:
    if not acronym:
        return used >= 3
    if start >= len(words):
        return False
    word = words[start]
    for size in range(min(len(word), len(acronym)), 0, -1):
        if acronym[:size] == word[:size] and _spells(acronym[size:], words, start + 1, used + 1):
            return True
    return False


_CONFERENCE_WORDS = re.compile(r"conference|congress|meeting|symposium|workshop|abstracts? of", re.IGNORECASE)
# "Proceedings" alone names journals too ("Proceedings of the National Academy of Sciences"): only with
# an edition (a year, "40th") does it name a conference.
_EDITION = re.compile(r"\b(?:1[89]|20)\d\d\b|\d(?:st|nd|rd|th)\b")
_PROCEEDINGS_TYPES = frozenset({"inproceedings", "conference", "proceedings", "cpaper"})


def is_conference(*, publication_type: str | None, journal: str | None) -> bool:
    """Whether a record is a conference paper or abstract rather than a journal article.

    >>> is_conference(publication_type="inproceedings", journal=None)
    True
    >>> is_conference(publication_type="article", journal="Cancer Research. Conference: 107th Annual Meeting")
    True
    >>> is_conference(publication_type="article", journal="Brain")
    False
    >>> is_conference(publication_type="article", journal="Proceedings of the National Academy of Sciences")
    False
    >>> is_conference(publication_type=None, journal="AMCIS 2017 Proceedings")
    True
    """
    if publication_type and fold(publication_type) in _PROCEEDINGS_TYPES:
        return True
    if not journal:
        return False
    if _CONFERENCE_WORDS.search(journal):
        return True
    return ("roceedings" in journal or "ROCEEDINGS" in journal) and _EDITION.search(journal) is not None


def is_proceedings(*, publication_type: str | None, journal: str | None, conference: bool) -> bool:
    """Whether a conference record (``conference``, see :func:`is_conference`) is a proceedings paper.

    A meeting abstract in a journal is not: Embase appends "Conference: <meeting>" to the journal's name.

    >>> is_proceedings(publication_type="inproceedings", journal="ICIS 2019 Proceedings", conference=True)
    True
    >>> is_proceedings(publication_type="article", journal="Cancer Res. Conference: 107th Meeting", conference=True)
    False
    """
    if not conference:
        return False
    if publication_type and fold(publication_type) in _PROCEEDINGS_TYPES:
        return True
    return "onference:" not in (journal or "")
