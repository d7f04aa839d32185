"""Names people give things (codes, tags, memo titles): one rule for what a name may hold.

A control character in a name breaks what the name travels into later (an XLSX cell refuses it, a
CSV reader may split on it, a terminal may act on it), so it is refused where the name is typed,
with the position of the character, rather than at the download.
"""

from __future__ import annotations

import unicodedata

__all__ = ["clean_name"]


def clean_name(text: str, *, what: str) -> str:
    r"""``text`` with runs of white space made one space; refused when blank or holding a control character.

    >>> clean_name("  Trust   in data ", what="code name")
    'Trust in data'
    >>> clean_name("Trust\x01", what="code name")
    Traceback (most recent call last):
    ...
    ValueError: a code name cannot hold the control character U+0001 (at position 6): 'Trust\x01'
    """
    for position, char in enumerate(text, 1):
        if unicodedata.category(char) == "Cc" and char not in "\t\n\r":
            raise ValueError(
                f"a {what} cannot hold the control character U+{ord(char):04X} (at position {position}): {text!r}"
            )
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValueError(f"a {what} cannot be blank")
    return cleaned
