"""Author names reduced to what two exports of one paper share, and compared whatever their form.

Databases write one person as ``"Smith, John"``, ``"Smith J."``, ``"John Smith"`` or glued into one
string with the co-authors (``"SmithJ.JonesM."``). Which word of ``"John Smith"`` is the family name
is not written down (``"Wang Wei"`` puts it first), so a name is kept as its *words*: the family
name's words when the export says which they are (a comma, trailing initials), all the words when it
does not. Two names are one person when they share a word, whatever the order (issue #10: "Given
Family" in one database, "Family G." in another). Initials are left out: they are the part that
databases abbreviate differently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz.distance import Indel

from realreview.dedup.keys import fold
from realreview.records import Author

__all__ = ["author_keys", "author_overlap", "family_key", "same_name"]

# "ChenJ.JohnsonR.W." and "Yamada K.Matsui K." glue several authors into one string.
# "Fohr CPascoe DWilliams" (initials without stops) and "Ingawa KodaiAruga Nozomi" (given names) too.
_GLUED = re.compile(r"[a-z][A-Z]\.|\.[A-Z][a-z]| [A-Z]{1,3}[A-Z][a-z]|[a-z]{2}[A-Z][a-z]+ [A-Z]")
_NAME_WORD = re.compile(
    r"(?:[A-Z]')?(?:Mc|Mac)?[A-Z][a-z]+(?:['-][A-Za-z][a-z]+)*|(?<![A-Za-z])[a-z]{2,}(?=[A-Z])"
)
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
# Words that are part of a name but name no one: particles ("van der", "de la") and "et al.".
_PARTICLES = frozenset(
    "van von der den de del della di da dos das du le la el al ten ter st et others".split()
)
_NOT_LETTER = re.compile(r"[^a-z]+")


def author_keys(authors: Iterable[Author]) -> tuple[str, ...]:
    """One key per author: the words of the name that can be a family name, folded, space-separated.

    >>> author_keys([Author("Zuber", "J"), Author("Le Quintrec", "M")])
    ('zuber', 'quintrec')
    >>> author_keys([Author("John Smith"), Author("Burton-Jones", "A.")])
    ('john smith', 'burtonjones')
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
        key = _name_words(family)
        if key:
            keys.append(key)
    return tuple(keys)


def _name_words(text: str) -> str:
    # Hyphens and apostrophes join ("Burton-Jones", "O'Reilly"); spaces separate.
    words = (_NOT_LETTER.sub("", word) for word in fold(text).split())
    return " ".join(word for word in words if len(word) >= 2 and word not in _PARTICLES)


def _glued_keys(text: str) -> list[str]:
    keys = []
    for token in _NAME_WORD.findall(text.replace(" ", ".")):
        if _INITIALS.match(token):
            continue
        key = _NOT_LETTER.sub("", fold(token))
        # A lone capital followed by lower case is a name; "Mc"/"De" prefixes join the next word.
        if key and key not in _PARTICLES:
            keys.append(key)
    return keys


def family_key(key: str) -> str:
    """The word of an author key most likely to be the family name: the last one.

    Blocking needs one word per author; "John Smith" and "Smith J." then share "smith".

    >>> family_key("john smith"), family_key("quintrec")
    ('smith', 'quintrec')
    """
    return key.rpartition(" ")[2]


def same_name(left: str, right: str) -> bool:
    """Whether two author keys can be one person: a shared word, or one spelling of one name.

    >>> same_name("john smith", "smith"), same_name("wei li", "li"), same_name("smith", "jones")
    (True, True, False)
    >>> same_name("clarkwayne", "clark"), same_name("muller", "mueller")
    (True, True)
    """
    if left == right:
        return True
    if " " in left or " " in right:
        if not set(left.split()).isdisjoint(right.split()):
            return True
        left, right = left.replace(" ", ""), right.replace(" ", "")
    return _same_spelling(left, right)


def _same_spelling(left: str, right: str) -> bool:
    if min(len(left), len(right)) >= 4 and (
        left.startswith(right) or right.startswith(left) or left.endswith(right) or right.endswith(left)
    ):
        # "clarkwayne" / "clark" (given name glued after), "agatamulak" / "mulak" (before).
        return True
    return Indel.normalized_similarity(left, right) >= 0.8


# Names beyond the first ten add cost, not evidence.
AUTHORS_COMPARED = 10


def author_overlap(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[float, bool] | None:
    """The share of the shorter author list found in the longer one, and whether the first authors agree.

    Order does not matter (databases reorder, and glued strings give given names as extra "authors");
    ``None`` when either list is empty.

    >>> author_overlap(("john smith", "mary jones"), ("jones", "smith"))
    (1.0, False)
    >>> author_overlap(("wei li", "hua zhang", "ng"), ("li", "zhang", "ng"))
    (1.0, True)
    """
    if not left or not right:
        return None
    first = same_name(left[0], right[0])
    short, long = (left, right) if len(left) <= len(right) else (right, left)
    short, long = short[:AUTHORS_COMPARED], long[: 2 * AUTHORS_COMPARED]
    words = {word for name in long for word in name.split()}
    found = 0
    for name in short:
        if any(word in words for word in name.split()) or any(same_name(name, other) for other in long):
            found += 1
    return found / len(short), first
