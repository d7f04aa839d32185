"""Text positions in UTF-16 code units (as REFI-QDA files count them) and as Python ``str`` indices.

NVivo, like the other .NET and Java tools, counts a selection's ``startPosition``/``endPosition`` in
UTF-16 code units, so every character outside the Basic Multilingual Plane (an emoji, say) counts
twice. Python indexes code points. The two agree up to the first such character and drift by one
after each (the NVivo sample's coded text holds 892 emoji: the last selections are ~890 apart).

:class:`Utf16Map` records where those characters are, once per text, so that converting the hundreds
of selections of a 600,000-character text costs a binary search each, not a re-encoding.
"""

from __future__ import annotations

import re
from bisect import bisect_left

__all__ = ["Utf16Map", "index_to_utf16", "utf16_to_index"]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Map:
    """Converts between ``str`` indices and UTF-16 offsets of one text.

    >>> m = Utf16Map("a😀b")
    >>> m.units, m.to_utf16(2), m.to_index(3)
    (4, 3, 2)
    >>> m.to_index(2)
    Traceback (most recent call last):
    ValueError: UTF-16 offset 2 falls inside a surrogate pair (the character at index 1)
    """

    __slots__ = ("_astral", "_astral_units", "length", "units")

    def __init__(self, text: str) -> None:
        self._astral = [match.start() for match in _ASTRAL.finditer(text)]
        # where the k-th astral character's first (high) surrogate sits in UTF-16 units
        self._astral_units = [index + k for k, index in enumerate(self._astral)]
        #: the text's length in code points and in UTF-16 code units
        self.length = len(text)
        self.units = len(text) + len(self._astral)

    def to_utf16(self, index: int) -> int:
        """The UTF-16 offset of ``str`` index ``index`` (0 to ``len(text)`` inclusive).

        Raises:
            ValueError: If ``index`` is negative or beyond the end of the text.
        """
        if not 0 <= index <= self.length:
            raise ValueError(f"index {index} is outside the text (0 to {self.length})")
        return index + bisect_left(self._astral, index)

    def to_index(self, unit: int) -> int:
        """The ``str`` index at UTF-16 offset ``unit`` (0 to :attr:`units` inclusive).

        Raises:
            ValueError: If ``unit`` is out of range or points between the two halves of a surrogate
                pair (no character starts there).
        """
        if not 0 <= unit <= self.units:
            raise ValueError(f"UTF-16 offset {unit} is outside the text (0 to {self.units})")
        before = bisect_left(self._astral_units, unit)
        if before and self._astral_units[before - 1] + 1 == unit:
            raise ValueError(
                f"UTF-16 offset {unit} falls inside a surrogate pair "
                f"(the character at index {self._astral[before - 1]})"
            )
        return unit - before


def utf16_to_index(text: str, unit: int) -> int:
    """The ``str`` index of UTF-16 offset ``unit`` in ``text`` (use :class:`Utf16Map` for many).

    >>> utf16_to_index("😀 x", 3)
    2

    Raises:
        ValueError: If ``unit`` is out of range or inside a surrogate pair.
    """
    return Utf16Map(text).to_index(unit)


def index_to_utf16(text: str, index: int) -> int:
    """The UTF-16 offset of ``str`` index ``index`` in ``text`` (use :class:`Utf16Map` for many).

    >>> index_to_utf16("😀 x", 2)
    3

    Raises:
        ValueError: If ``index`` is out of range.
    """
    return Utf16Map(text).to_utf16(index)
