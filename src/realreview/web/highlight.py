"""Highlight the review's include words (green) and exclude words (red) in a title or abstract.

The words are found in the raw text, which is then escaped piece by piece around our own ``<mark>``
tags. Matching after escaping (as this once did) let a word such as ``lt``, ``amp``, ``39`` or
``quot`` cut into an entity, so ``<script>`` showed as ``&lt;script>`` (issue #11). An imported title
such as ``<script>alert(1)</script>`` stays text either way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["highlight"]


def highlight(text: str | None, include: Sequence[str], exclude: Sequence[str]) -> Markup:
    """``text`` as safe HTML with include/exclude words wrapped in ``<mark class="inc|exc">``.

    >>> str(highlight("Children <b>and</b> adults", ["children"], ["adults"]))
    '<mark class="inc">Children</mark> &lt;b&gt;and&lt;/b&gt; <mark class="exc">adults</mark>'
    >>> str(highlight("a < b & c", ["lt", "amp"], []))
    'a &lt; b &amp; c'
    """
    raw = text or ""
    words = {word.strip().lower(): "inc" for word in include if word.strip()}
    words.update({word.strip().lower(): "exc" for word in exclude if word.strip()})
    if not words or not raw:
        return escape(raw)
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )
    parts: list[str] = []
    end = 0
    for match in pattern.finditer(raw):
        parts.append(escape(raw[end : match.start()]))
        parts.append(f'<mark class="{words[match.group(1).lower()]}">{escape(match.group(1))}</mark>')
        end = match.end()
    parts.append(escape(raw[end:]))
    return Markup("".join(parts))
