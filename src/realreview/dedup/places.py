"""Where in a volume a work was printed: volume, issue and pages, each in one comparable form.

Databases write one location differently: pages ``"H384-91"`` and ``"H384-H391"`` (or ``"01-Oct"``
after a trip through Excel), an article number ``"e1754"`` where another gives print pages, issue
``"02-Mar"`` for ``"2-3"``, Embase's ``"7 (1) (no pagination)"`` volume. A field's *form* is read before
it is compared (issue #10): an article number and a page range are two ways of locating one item, not
two locations. Journals and conference series are in :mod:`realreview.dedup.venues`.
"""

from __future__ import annotations

import re

from realreview.dedup.keys import fold

__all__ = [
    "is_locator",
    "issue_numbers",
    "number_key",
    "page_agreement",
    "page_keys",
    "unfold_volume",
]

_DIGIT = re.compile(r"\d")

_MONTHS = {
    m: str(i)
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_PAGE_PART = re.compile(r"[a-z]*0*(\d+)[a-z]*|([a-z]{3})[a-z]*")
# "S-647" (a supplement page) and "t-12" are one page, not a range from a letter to a number.
_LETTER_DASH = re.compile(r"^\s*([A-Za-z]{1,2})-(?=\d)")
_RANGE_SPLIT = re.compile(r"\s*[-\u2010-\u2015]+\s*|\s*,\s*")


def page_keys(text: str | None) -> tuple[str | None, str | None]:
    """First and last page as bare numbers, undoing abbreviated ranges and spreadsheet dates.

    A single page (or article number) gives ``(page, None)``; an end page written alone ("-1760") is
    a single page too, which :func:`page_agreement` compares with either end of a range.

    >>> page_keys("H384-91"), page_keys("H384-H391"), page_keys("70s-85s")
    (('384', '391'), ('384', '391'), ('70', '85'))
    >>> page_keys("01-Oct"), page_keys("Jan-19")
    (('1', '10'), ('1', '19'))
    >>> page_keys("S498"), page_keys("S-647"), page_keys("t-1754"), page_keys("-1760"), page_keys("e1754")
    (('498', None), ('647', None), ('1754', None), ('1760', None), ('1754', None))
    >>> page_keys("December"), page_keys("May-June"), page_keys("12-12")
    ((None, None), (None, None), ('12', None))
    """
    if not text:
        return None, None
    text = _LETTER_DASH.sub(r"\1", text).strip().lstrip("-\u2010\u2011\u2012\u2013\u2014\u2015 ")
    parts = _RANGE_SPLIT.split(fold(text), maxsplit=1)
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
    return first, (None if last == first else last)


# An article number or eLocator: "e0245", "a1754", Embase's "t-12", or five digits or more ("782321").
_LOCATOR = re.compile(r"^\s*(?:[AaEeTt]-?\d+|\d{5,})\s*$")


def is_locator(text: str | None) -> bool:
    """Whether a pages field holds an article number or eLocator, not print pages.

    >>> is_locator("e0245"), is_locator("a1754"), is_locator("t-12"), is_locator("782321")
    (True, True, True, True)
    >>> is_locator("S12"), is_locator("H384-H391"), is_locator("45")
    (False, False, False)
    """
    return bool(text and _LOCATOR.match(text))


def page_agreement(
    left: tuple[str | None, str | None, bool], right: tuple[str | None, str | None, bool]
) -> str:
    """Compare two pages fields given as ``(first, last, is_locator)``; the level names the evidence.

    ``"same"``: one first page (or one single page); ``"end"``: one end page, the first differs or is
    not given; ``"form"``: two forms of one location, not comparable (an article number against print
    pages or a page, print pages "1-N" of a PDF against an article number); ``"single"``: a page
    against a range that it is no end of; ``"overlap"``: two ranges that share pages (one item, a
    page or two out); ``"differ"``: two disjoint ranges (two items, such as companion papers printed
    one after the other), or two pages of one form that differ; ``"missing"``: either has none.

    >>> page_agreement(("1754", None, True), ("1754", "1760", False))
    'same'
    >>> page_agreement(("1760", None, False), ("1754", "1760", False))
    'end'
    >>> page_agreement(("1754", None, True), ("213", "220", False))
    'form'
    >>> page_agreement(("81", None, False), ("1", "13", False))
    'form'
    >>> page_agreement(("190", None, False), ("28", "29", False))
    'single'
    >>> page_agreement(("728", "740", False), ("729", "741", False))
    'overlap'
    >>> page_agreement(("341", "348", False), ("349", "356", False))
    'differ'
    """
    (l_first, l_last, l_locator), (r_first, r_last, r_locator) = left, right
    if l_first is None or r_first is None:
        return "missing"
    if l_first == r_first:
        return "same"
    if l_last is not None and r_last is not None:
        if l_last == r_last:
            return "end"
        return "overlap" if _overlap(l_first, l_last, r_first, r_last) else "differ"
    if l_last is None and r_last is None:
        return "form" if l_locator != r_locator else "differ"
    single, locator, first, last = (
        (l_first, l_locator, r_first, r_last) if l_last is None else (r_first, r_locator, l_first, l_last)
    )
    if single == last:
        return "end"
    return "form" if locator or first == "1" else "single"


def _overlap(l_first: str, l_last: str, r_first: str, r_last: str) -> bool:
    numbers = (l_first, l_last, r_first, r_last)
    if not all(n.isdigit() for n in numbers):
        return False
    a, b, c, d = (int(n) for n in numbers)
    return a <= d and c <= b


_PAGES_IN_ISSUE = re.compile(r"^\s*pp\.?\s*(?=\S)", re.IGNORECASE)
_YEAR = re.compile(r"^\s*(?:1[89]|20)\d\d\s*$")
_NO_PAGINATION = re.compile(r"\(\s*no pagination\s*\)", re.IGNORECASE)
_VOLUME_ISSUE = re.compile(r"^\s*(\d*)\s*\(([^()]*)\)\s*$")


def unfold_volume(
    volume: str | None, issue: str | None, pages: str | None
) -> tuple[str | None, str | None, str | None]:
    """Read volume and issue fields that carry another field: the issue, or the pages.

    Embase writes ``"7 (1) (no pagination)"`` in the volume field and the article number in the issue
    field; another database gives volume 7, issue 1, pages 46. The issue in parentheses becomes the
    issue, and with "(no pagination)" the issue field becomes the pages. Some exports write the pages
    in the issue field ("pp 29") and the year in the pages field. (Issue #10: a field's form is read
    before it is compared.)

    >>> unfold_volume("7 (1) (no pagination)", "46", None)
    ('7', '1', '46')
    >>> unfold_volume("57 (no pagination)", "126417", None), unfold_volume("52 (2 Supplement 1)", None, "22-23")
    (('57', None, '126417'), ('52', '2 Supplement 1', '22-23'))
    >>> unfold_volume("17", "pp 29", "2010"), unfold_volume("12", "3", "5-9")
    (('17', None, '29'), ('12', '3', '5-9'))
    """
    if issue and _PAGES_IN_ISSUE.match(issue) and (not pages or _YEAR.match(pages)):
        pages = _PAGES_IN_ISSUE.sub("", issue, count=1)
        issue = None
    if not volume or "(" not in volume:
        return volume, issue, pages
    unpaginated = bool(_NO_PAGINATION.search(volume))
    stripped = _NO_PAGINATION.sub("", volume).strip()
    match = _VOLUME_ISSUE.match(stripped)
    number, inner = (
        (match.group(1) or None, match.group(2).strip() or None) if match else (stripped or None, None)
    )
    if unpaginated and issue and not pages:
        return number, inner, issue
    return number, issue or inner, pages


_LEADING_NUMBER = re.compile(r"\d+")
# Embase writes "(SUPPL. 1)" so that some exports keep only "1)" in the volume field.
_TRUNCATED = re.compile(r"^\s*\d+\)\s*$")
_MONTH_WORD = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?\b",
    re.IGNORECASE,
)


def issue_numbers(text: str | None) -> frozenset[str]:
    """Every number in an issue field (``"5 SUPPL. 1"`` gives 5 and 1; ``"02-Mar"``, Excel's "2-3", 2 and 3).

    A volume that equals one of these is a supplement number that slipped into the volume field, not a
    conflicting volume.

    >>> sorted(issue_numbers("i5 SUPPL. 1")), sorted(issue_numbers("02-Mar"))
    (['1', '5'], ['2', '3'])
    """
    if not text:
        return frozenset()
    if _MONTH_WORD.search(text):
        text = _MONTH_WORD.sub(lambda m: " " + _MONTHS[m.group(1).lower()] + " ", text)
    return frozenset(n.lstrip("0") or "0" for n in _LEADING_NUMBER.findall(text))


def number_key(text: str | None) -> str | None:
    """The leading number of a volume or issue field, without leading zeros.

    A bare ``"1)"`` is the tail of a supplement note that lost its volume, so it gives ``None``.

    >>> number_key("152 (5 Supplement 1)"), number_key("SUPPL. 3"), number_key("Pt 11")
    ('152', '3', '11')
    >>> number_key("1)") is None, number_key("Suppl") is None
    (True, True)
    """
    if not text or _TRUNCATED.match(text):
        return None
    if _MONTH_WORD.search(text):
        text = _MONTH_WORD.sub(lambda m: " " + _MONTHS[m.group(1).lower()] + " ", text)
    match = _LEADING_NUMBER.search(text)
    if match is None:
        return None
    return match.group(0).lstrip("0") or "0"
