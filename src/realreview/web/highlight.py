"""Highlight the review's include words (green) and exclude words (red) in a title or abstract.

The text is escaped first and only our own ``<mark>`` tags are added, so an imported title such as
``<script>alert(1)</script>`` stays text.
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
    """
    safe = str(escape(text or ""))
    words = {word.lower(): "inc" for word in include if word.strip()}
    words.update({word.lower(): "exc" for word in exclude if word.strip()})
    if not words or not safe:
        return Markup(safe)
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(str(escape(w))) for w in sorted(words, key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )
    return Markup(
        pattern.sub(lambda m: f'<mark class="{words[m.group(1).lower()]}">{m.group(1)}</mark>', safe)
    )
