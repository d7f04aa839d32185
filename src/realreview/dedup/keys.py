"""Comparable keys for matching: each field reduced to what two exports of one paper share.

Databases write the same paper differently: titles with ``"[Article in French]"`` or HTML markup, DOIs
with figure suffixes, a correction notice as "Erratum: ..." or as the title with a citation. Authors
are in :mod:`realreview.dedup.names`; venue, volume, issue and pages in :mod:`realreview.dedup.places`.
Every function here is pure and idempotent on its own output, so keys can be computed once per record
and compared cheaply many times (issue #3).
"""

from __future__ import annotations

import html
import re
import unicodedata

from realreview.records import normalise_doi, normalise_pmid

__all__ = [
    "cochrane_key",
    "doi_key",
    "doi_match_key",
    "fold",
    "is_supplement",
    "kind_free_title",
    "main_title",
    "pmid_key",
    "title_key",
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


# A subtitle follows a colon, a question mark or a dash; one database keeps it, another drops it.
_SUBTITLE = re.compile(r"\s*(?::|\?|\s[-\u2013\u2014]\s|\u2013|\u2014)\s*")


def main_title(text: str | None) -> str | None:
    """The key of a title's main part when it has a subtitle (issue #10), else ``None``.

    >>> main_title("Sleep in adolescents: a cohort study")
    'sleep in adolescents'
    >>> main_title("Does sleep matter? A cohort study")
    'does sleep matter'
    >>> main_title("Editorial: sleep") is None, main_title("Sleep in adolescents") is None
    (True, True)
    """
    if not text:
        return None
    parts = _SUBTITLE.split(text, maxsplit=1)
    if len(parts) < 2 or not parts[1].strip(" .?!"):
        return None
    key = title_key(parts[0])
    return key if key is not None and key.count(" ") >= 1 else None


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
