"""Comparable keys for matching: each field reduced to what two exports of one paper share.

Databases write the same paper differently: ``"Plast Reconstr Surg"`` vs ``"Plastic and Reconstructive
Surgery"``, pages ``"H384-91"`` vs ``"H384-H391"`` (or ``"01-Oct"`` after a trip through Excel),
authors ``"Yamada K.Matsui K."`` vs ``"Yamada, K. and Matsui, K."``, titles with ``"[Article in French]"``
or HTML markup. Every function here is pure and idempotent on its own output, so keys can be computed
once per record and compared cheaply many times (issue #3).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from realreview.records import Author, normalise_doi, normalise_pmid

__all__ = [
    "author_keys",
    "cochrane_key",
    "doi_key",
    "doi_match_key",
    "fold",
    "journal_key",
    "issue_numbers",
    "journals_match",
    "kind_free_title",
    "number_key",
    "page_keys",
    "pmid_key",
    "split_embedded_citation",
    "title_key",
    "is_conference",
    "is_supplement",
    "title_kind",
    "title_numbers",
]


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (``"Müri"`` and ``"Muri"`` are one name in different exports).

    >>> fold("Müri Çelik ÆON")
    'muri celik aeon'
    >>> fold("BayÃ©s")
    'bayes'
    """
    if not text.isascii():
        if "\u00c3" in text or "\u00c2" in text:
            text = _unmojibake(text)
        text = unicodedata.normalize("NFKD", text.replace("æ", "ae").replace("Æ", "AE").replace("ß", "ss"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


def _unmojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1 ("BayÃ©s" for "Bayés"), which some exports carry; else keep ``text``.

    >>> _unmojibake("BayÃ©s")
    'Bayés'
    """
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return text


def doi_key(text: str | None) -> str | None:
    """The bare lower-case DOI, or ``None`` (see :func:`realreview.records.normalise_doi`).

    >>> doi_key("https://doi.org/10.1590/0001-3765201620150575")
    '10.1590/0001-3765201620150575'
    """
    return normalise_doi(text)


# "10.1371/journal.pone.0094853.g001" names figure 1 of the article; ".t001" a table, ".s001" a supplement.
_DOI_PART = re.compile(r"\.[gts]\d{3}$")
_DOI_PUNCTUATION = re.compile(r"[^0-9a-z]+")


def doi_match_key(text: str | None) -> str | None:
    """A DOI reduced for comparison: no figure or table suffix, no punctuation after the prefix.

    Databases mangle DOIs in small ways ("fnr.v57i0.21245" and "fnrv57i0.21245", "1646-3_12" and
    "1646-3-12"); two DOIs that differ only there name one item.

    >>> doi_match_key("10.3402/fnr.v57i0.21245") == doi_match_key("https://doi.org/10.3402/FNRv57i0.21245")
    True
    >>> doi_match_key("10.1371/journal.pone.0094853.g001")
    '10.1371/journalpone0094853'
    >>> doi_match_key("10.1210/endrev/bnz002") == doi_match_key("10.1210/endrevbnz002")
    True
    """
    doi = normalise_doi(text)
    if doi is None:
        return None
    if "::" in doi and ">" in doi:
        # A SICI ("...38:2<164::aid-ajim7>3.0.co;2-2"): the part after ">" is a check code that
        # databases rewrite ("3.3.co;2-u"); the part before it names the item.
        doi = doi[: doi.index(">")]
    prefix, _, suffix = doi.partition("/")
    return prefix + "/" + _DOI_PUNCTUATION.sub("", _DOI_PART.sub("", suffix))


def pmid_key(text: str | None) -> str | None:
    """The PubMed id as digits without leading zeros, or ``None``.

    >>> pmid_key("PMID: 0012345")
    '12345'
    """
    return normalise_pmid(text)


_TAG = re.compile(r"<[^>]{0,40}>")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")
# "[Chinese]", "[Article in French]", "[Review] [16 refs]", "[Erratum appears in N Engl J Med ...]":
# notes some databases add to titles; they describe the record, not the work.
_BRACKET_NOTE = re.compile(
    r"\[(?:[A-Za-z][A-Za-z ,.'-]{2,40}|\d{1,2}|\d+ refs?|(?:published )?"
    r"(?:erratum|comment|retraction|update|corrected|republished)"
    r" (?:appears?|in|of|and|on)[^\]]*)(?:\]|$)",
    re.IGNORECASE,
)
# Ovid appends the original-language title after the English one: "Donor heart preservation. Japanese",
# "Muscle cell transplantations. Polish Transplantacje komorek ...". The language name stands alone or
# before a capitalised word; "Smoking cessation. French recommendations" keeps its tail.
_LANGUAGES = (
    "Chinese|Czech|Danish|Dutch|Finnish|French|German|Greek|Hebrew|Hungarian|Italian|Japanese|Korean|"
    "Norwegian|Persian|Polish|Portuguese|Romanian|Russian|Serbian|Slovak|Spanish|Swedish|Turkish|Ukrainian"
)
_LANGUAGES += "|" + _LANGUAGES.upper()
_LANGUAGE_TAIL = re.compile(rf"(?<=[.?!])\s*(?:{_LANGUAGES})(?:\s+\S*[A-Z\u00c0-\u024f].*)?\s*$", re.DOTALL)
# Notes about the item, not its title: "(REPRINTED FROM JOURNAL OF ... VOL 40 PG S1-S7 2013)",
# "REPRINT OF: ...", "(RETRACTED ARTICLE. SEE ART NO 3860745 2018)".
_REPRINT_NOTE = re.compile(
    r"\((?:reprinted from|retracted article)[^)]*\)?|^\s*reprint of\s*:\s*", re.IGNORECASE
)
_TRANSL = re.compile(r"\(\s*(?:authors?'?s?'? transl\.?|multiple letters)\s*\)", re.IGNORECASE)
# A letter's record may end with the article it answers: "... syndrome... N Engl J Med. 2009 Jan 29;360(5):544-6".
_TRAILING_CITATION = re.compile(
    r"\.{2,3}\s*[A-Z][A-Za-z .&]{2,80}?\.?\s+(?:1[89]|20)\d\d\b[^;]{0,20};\s*\d.*$"
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Spreadsheet artefacts that replace a title with an error value: treat as no title at all.
_TITLE_ARTEFACTS = {"#name?", "#value!", "#ref!", "#n/a", "null", "none", "untitled", "no title"}


def title_key(text: str | None) -> str | None:
    r"""Lower-case words of a title without markup, accents, punctuation or translation notes.

    Returns ``None`` when nothing comparable is left (empty, ``"#NAME?"``), so that a missing title is
    never mistaken for an agreeing one.

    >>> title_key("Effects of <i>HDAC</i> inhibitors &amp; mood. [Article in French]")
    'effects of hdac inhibitors mood'
    >>> title_key("[Treatment of dry age-related macular degeneration]. [Turkish]")
    'treatment of dry age related macular degeneration'
    >>> title_key("Current aspects of HUS. [Review] [16 refs] [Romanian]")
    'current aspects of hus'
    >>> title_key("Eculizumab for aHUS.[Erratum appears in N Engl J Med. 2009 Jun 4;360(23):2487]")
    'eculizumab for ahus'
    >>> title_key("Muscle cell transplantations. Polish Transplantacje komorek miesniowych")
    'muscle cell transplantations'
    >>> title_key("CONTROVERSIES IN NEONATAL RESUSCITATION. PORTUGUESE")
    'controversies in neonatal resuscitation'
    >>> title_key("Donor heart preservation. Japanese")
    'donor heart preservation'
    >>> title_key("Smoking cessation. French recommendations")
    'smoking cessation french recommendations'
    >>> title_key('Die {\\"U}bersicht (author\'s transl)')
    'die ubersicht'
    >>> title_key("Atypical HUS with group A streptococcus (multiple letters) [1]")
    'atypical hus with group a streptococcus'
    >>> title_key("More on eculizumab for aHUS... N Engl J Med. 2009 Jan 29;360(5):544-6")
    'more on eculizumab for ahus'
    >>> title_key("Infection mechanisms (REPRINTED FROM J CLIN PERIODONTOL VOL 40 PG S1-S7 2013)")
    'infection mechanisms'
    >>> title_key("#NAME?") is None
    True
    """
    if not text:
        return None
    if text.strip().lower() in _TITLE_ARTEFACTS:
        return None
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub("", text)
    if "\\" in text:
        text = _LATEX_COMMAND.sub("", text)
    if "{" in text:
        text = text.replace("{", "").replace("}", "")
    if "[" in text:
        text = _strip_notes(text)
    if "." in text or "?" in text:
        text = _LANGUAGE_TAIL.sub("", text) or text
    if "transl" in text or "letters" in text:
        text = _TRANSL.sub(" ", text)
    if ".." in text:
        text = _TRAILING_CITATION.sub("", text)
    if "EPRINT" in text or "eprint" in text or "ETRACTED" in text or "etracted" in text:
        text = _REPRINT_NOTE.sub(" ", text)
    words = _NON_ALNUM.sub(" ", fold(text)).split()
    return " ".join(words) or None


def _strip_notes(text: str) -> str:
    stripped = _BRACKET_NOTE.sub(" ", text)
    if stripped.strip(" ."):
        return stripped
    # Only notes: "[Translated title]. [Article in French]". The longest is the title; keep its words.
    notes = [match.group(0) for match in _BRACKET_NOTE.finditer(text)]
    longest = max(notes, key=len) if notes else ""
    return " ".join(note[1:-1] for note in notes if note is longest) or text


_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}
_DIGITS = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_ROMAN_WORD = re.compile(r"\b(?:" + "|".join(_ROMAN) + r")\b")


def title_numbers(key: str | None) -> str:
    """The digits of a title key in order (Roman numerals from II up read as digits).

    Two titles that differ only in a number ("Part 1" / "Part 2", "2019 update" / "2021 update") are
    different works, however similar their strings are. Only the digit sequence is kept, because
    exports write "alpha 1", "alpha1" and "A(1)" for one receptor, and "[11C]" or "C-11" for one tracer.

    >>> title_numbers("type ii diabetes part 2 in 2019")
    '222019'
    >>> title_numbers("role of beta 1 and beta 2 receptors") == title_numbers("role of beta1 and beta2 receptors")
    True
    """
    if not key:
        return ""
    if _DIGIT.search(key) is None and _ROMAN_WORD.search(key) is None:
        return ""
    return "".join(_ROMAN.get(word, "".join(_DIGITS.findall(word))) for word in key.split())


# "ChenJ.JohnsonR.W." and "Yamada K.Matsui K." glue several authors into one string.
# "Fohr CPascoe DWilliams" (initials without stops) and "Ingawa KodaiAruga Nozomi" (given names) too.
_GLUED = re.compile(r"[a-z][A-Z]\.|\.[A-Z][a-z]| [A-Z]{1,3}[A-Z][a-z]|[a-z]{2}[A-Z][a-z]+ [A-Z]")
_NAME_WORD = re.compile(
    r"(?:[A-Z]')?(?:Mc|Mac)?[A-Z][a-z]+(?:['-][A-Za-z][a-z]+)*|(?<![A-Za-z])[a-z]{2,}(?=[A-Z])"
)
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")


def author_keys(authors: Iterable[Author]) -> tuple[str, ...]:
    """Comparable family names (folded, letters only), one per author, in order.

    Handles the usual ``Family, Given`` form and the glued strings some exports write
    (``"ChenJ.JohnsonR.W."``, ``"Slavin S. A.Lin S. J."``).

    >>> author_keys([Author("Zuber", "J"), Author("Le Quintrec", "M")])
    ('zuber', 'lequintrec')
    >>> author_keys([Author("Slavin S. A.Lin S.", "J.")])
    ('slavin', 'lin')
    >>> author_keys([Author("LucasM.MirzaeiF.O'ReillyE.J.")])
    ('lucas', 'mirzaei', 'oreilly')
    >>> author_keys([Author("Fohr CPascoe DWilliams", "HC")])
    ('fohr', 'pascoe', 'williams')
    """
    keys: list[str] = []
    for author in authors:
        family = author.family
        if _GLUED.search(family) or (not author.given and "." in family):
            keys.extend(_glued_keys(str(author)))
            continue
        key = _letters(family)
        if key:
            keys.append(key)
    return tuple(keys)


def _glued_keys(text: str) -> list[str]:
    keys = []
    for token in _NAME_WORD.findall(text.replace(" ", ".")):
        if _INITIALS.match(token):
            continue
        key = _letters(token)
        # A lone capital followed by lower case is a name; "Mc"/"De" prefixes join the next word.
        if key:
            keys.append(key)
    return keys


_NOT_LETTER = re.compile(r"[^a-z]+")


def _letters(text: str) -> str:
    return _NOT_LETTER.sub("", fold(text))


_JOURNAL_STOP = {
    "of",
    "the",
    "and",
    "for",
    "in",
    "on",
    "de",
    "la",
    "le",
    "der",
    "und",
    "et",
    "a",
    "an",
    # "and", "of" in other languages: "Farmakologiya i Toksikologiya", "Archiv fur ...".
    "i",
    "e",
    "y",
    "du",
    "des",
    "di",
    "del",
    "da",
    "do",
    "fur",
    # Edition notes, not names: "J Rheumatol Suppl", "Cochrane database of systematic reviews (Online)".
    "suppl",
    "supplement",
    "supplements",
    "online",
    "print",
    "internet",
}
# Embase/Ovid fold the citation into the journal field: "Am J Clin Nutr.93 (6) ()(pp 1337-1343) 2011."
_EMBEDDED = re.compile(
    r"^(.*?)\.\s?(\d+[^()]*?)?\s*(?:\(([^()]*)\)\s*)?"
    r"(?:\(\)\s*\(pp\s*([^)]*)\)|\(no pagination\)[^()]*?Article Number:\s*([A-Za-z0-9]+))"
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
    >>> split_embedded_citation("Brain")
    ('Brain', None, None, None)
    """
    if not journal or ("(pp" not in journal and "Article Number" not in journal):
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


_MONTHS = {
    m: str(i)
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_PAGE_PART = re.compile(r"[a-z]*0*(\d+)[a-z]*|([a-z]{3})[a-z]*")


# "S-647" (a supplement page) is one page, not a range from "S" to 647.
_LETTER_DASH = re.compile(r"^\s*([A-Za-z])-(?=\d)")


def page_keys(text: str | None) -> tuple[str | None, str | None]:
    """First and last page as bare numbers, undoing abbreviated ranges and spreadsheet dates.

    >>> page_keys("H384-91")
    ('384', '391')
    >>> page_keys("H384-H391")
    ('384', '391')
    >>> page_keys("01-Oct")
    ('1', '10')
    >>> page_keys("70s-85s")
    ('70', '85')
    >>> page_keys("S498")
    ('498', None)
    >>> page_keys("S-647")
    ('647', None)
    >>> page_keys("December")
    (None, None)
    >>> page_keys("May-June")
    (None, None)
    >>> page_keys("Jan-19")
    ('1', '19')
    """
    if not text:
        return None, None
    text = _LETTER_DASH.sub(r"\1", text)
    parts = re.split(r"\s*[-\u2010-\u2015]+\s*|\s*,\s*", fold(text.strip()), maxsplit=1)
    numbers: list[str | None] = []
    for part in parts:
        match = _PAGE_PART.fullmatch(part.strip(" .;"))
        if match is None:
            numbers.append(None)
        elif match.group(1) is not None:
            numbers.append(match.group(1) or "0")
        else:
            numbers.append(_MONTHS.get(match.group(2)))
    first = numbers[0]
    last = numbers[1] if len(numbers) > 1 else None
    if first is None or _DIGIT.search(text) is None:
        # "May-June", "October-December": a publication date in the pages field, not pages
        # ("Jan-19" and "01-Oct" are pages 1-19 and 1-10 after a trip through a spreadsheet).
        return None, None
    if last is not None and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return first, last


_LEADING_NUMBER = re.compile(r"\d+")
# Embase writes "(SUPPL. 1)" so that some exports keep only "1)" in the volume field.
_TRUNCATED = re.compile(r"^\s*\d+\)\s*$")


def issue_numbers(text: str | None) -> frozenset[str]:
    """Every number in an issue field (``"5 SUPPL. 1"`` gives 5 and 1).

    A volume that equals one of these is a supplement number that slipped into the volume field, not a
    conflicting volume.

    >>> sorted(issue_numbers("i5 SUPPL. 1"))
    ['1', '5']
    """
    if not text:
        return frozenset()
    return frozenset(n.lstrip("0") or "0" for n in _LEADING_NUMBER.findall(text))


def number_key(text: str | None) -> str | None:
    """The leading number of a volume or issue field, without leading zeros.

    A bare ``"1)"`` is the tail of a supplement note that lost its volume, so it gives ``None``.

    >>> number_key("152 (5 Supplement 1)")
    '152'
    >>> number_key("SUPPL. 3")
    '3'
    >>> number_key("1)") is None
    True
    >>> number_key("Pt 11")
    '11'
    >>> number_key("Suppl") is None
    True
    """
    if not text or _TRUNCATED.match(text):
        return None
    match = _LEADING_NUMBER.search(text)
    if match is None:
        return None
    return match.group(0).lstrip("0") or "0"


_KIND_PREFIXES = (
    ("erratum", ("erratum", "errata", "corrigendum", "correction", "author correction", "publisher s note")),
    ("retraction", ("retraction", "retracted", "notice of retraction", "expression of concern", "withdrawn")),
    ("reply", ("reply", "in reply", "authors reply", "author s reply", "authors response", "response to")),
    (
        "comment",
        ("comment on", "commentary on", "comments on", "re ", "letter to the editor", "editorial comment"),
    ),
)
_KIND_INFIXES = (
    ("erratum", (" erratum", " corrigendum", "correction to ")),
    ("retraction", ("retraction note", "retraction notice")),
    ("reply", (" reply", " response to comment", " author reply", " author response", " authors response")),
    ("comment", ("comment on ", "commentary on ", " a comment")),
)


def title_kind(key: str | None) -> str:
    """What sort of item a title announces: ``"erratum"``, ``"retraction"``, ``"reply"``, ``"comment"`` or ``""``.

    An erratum or a reply often repeats the article's title word for word; a different kind is a
    different item that must never be merged with the article automatically.

    >>> title_kind("erratum effects of sitagliptin on coronary atherosclerosis")
    'erratum'
    >>> title_kind("effects of sitagliptin reply")
    'reply'
    >>> title_kind("effects of sitagliptin on coronary atherosclerosis")
    ''
    """
    if not key:
        return ""
    for kind, prefixes in _KIND_PREFIXES:
        if key.startswith(prefixes):
            return kind
    padded = f" {key} "
    for kind, infixes in _KIND_INFIXES:
        if any(infix in padded for infix in infixes):
            return kind
    return ""


def kind_free_title(key: str | None) -> str | None:
    """A title key without the words that announce its kind ("erratum", "reply to", "comment on").

    Two records of one correction notice are compared on what they correct: one database writes
    "Erratum: Severe deficiency of ...", another the bare title with the citation of the corrected
    article. The kind itself is compared separately (:func:`title_kind`), so an erratum stays apart
    from its article.

    >>> kind_free_title("erratum severe deficiency of adamts 13")
    'severe deficiency of adamts 13'
    >>> kind_free_title("effects of sitagliptin")
    'effects of sitagliptin'
    """
    if not key:
        return key
    found = [
        prefix
        for _kind, prefixes in _KIND_PREFIXES
        for prefix in prefixes
        if key.startswith(prefix)
        and (prefix.endswith(" ") or key[len(prefix) : len(prefix) + 1] in (" ", ""))
    ]
    if not found:
        return key
    rest = key[len(max(found, key=len)) :].strip()
    for joining in ("to ", "of ", "on "):
        if rest.startswith(joining):
            rest = rest[len(joining) :]
    return rest or key


_CONFERENCE_WORDS = re.compile(
    r"conference|congress|meeting|symposium|proceedings|abstracts? of", re.IGNORECASE
)


_SUPPLEMENT = re.compile(r"suppl|^\s*s\s?\d|\(\s*s\d", re.IGNORECASE)


def is_supplement(*fields: str | None) -> bool:
    """Whether a volume or issue field names a supplement ("Suppl. 1", "s2", "4 Suppl").

    A supplement of meeting abstracts can carry the page range of the whole supplement, so its
    "article" spans hundreds of pages without being a full paper.

    >>> is_supplement("9", "s2"), is_supplement("98", "Suppl 2"), is_supplement("19", "8")
    (True, True, False)
    """
    return any(field and _SUPPLEMENT.search(field) for field in fields)


_COCHRANE = re.compile(r"(?<![a-z0-9])cd(\d{6})(?![0-9])", re.IGNORECASE)


def cochrane_key(*fields: str | None) -> str | None:
    """The Cochrane review number ("CD002273") named by a DOI, pages or issue field, or ``None``.

    Cochrane republishes a review under its number at every update (``10.1002/14651858.CD002273.pub2``,
    ``.pub3``); databases put the number in the DOI, the pages or the issue field.

    >>> cochrane_key("10.1002/14651858.cd002273.pub2"), cochrane_key(None, "Cd002273")
    ('cd002273', 'cd002273')
    >>> cochrane_key("10.1016/j.cell.2020.01.001") is None
    True
    """
    for field in fields:
        if field and ("cd" in field or "CD" in field or "Cd" in field):
            match = _COCHRANE.search(field)
            if match:
                return "cd" + match.group(1)
    return None


def is_conference(*, publication_type: str | None, journal: str | None) -> bool:
    """Whether a record is a conference paper or abstract rather than a journal article.

    >>> is_conference(publication_type="inproceedings", journal=None)
    True
    >>> is_conference(publication_type="article", journal="Cancer Research. Conference: 107th Annual Meeting")
    True
    >>> is_conference(publication_type="article", journal="Brain")
    False
    """
    if publication_type and fold(publication_type) in {
        "inproceedings",
        "conference",
        "proceedings",
        "cpaper",
    }:
        return True
    return bool(journal and _CONFERENCE_WORDS.search(journal))
