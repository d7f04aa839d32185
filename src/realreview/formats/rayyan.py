"""Rayyan's screening notes, turned into structured raw fields.

Rayyan serialises a record's screening state into its notes (the CSV ``notes`` column, the RIS ``N1``
tag) as sections joined by ``" | "``::

    RAYYAN-INCLUSION: {"Emily"=>"Included", "Sam"=>"Maybe"} | RAYYAN-LABELS: equity,rural |
    RAYYAN-EXCLUSION-REASONS: wrong population | free text a reviewer wrote

We keep every part as its own raw field, so the screening issue can replay them as decisions
attributed to the named reviewers without parsing notes again:

* ``("rayyan:inclusion:Emily", "Included")`` one per reviewer,
* ``("rayyan:label", "equity")`` one per label,
* ``("rayyan:exclusion-reason", "wrong population")`` one per reason,
* ``("rayyan:note", "free text")`` for anything else.
"""

from __future__ import annotations

import re

__all__ = ["has_rayyan_notes", "parse_rayyan_notes"]

_SECTION = re.compile(r"RAYYAN-(INCLUSION|LABELS|EXCLUSION-REASONS|NOTES):\s*", re.IGNORECASE)
_VERDICT = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=>\s*"((?:[^"\\]|\\.)*)"')


def has_rayyan_notes(text: str) -> bool:
    """Whether ``text`` carries any ``RAYYAN-...:`` section."""
    return _SECTION.search(text) is not None


def parse_rayyan_notes(text: str) -> list[tuple[str, str]]:
    """Split a Rayyan notes value into structured ``(field, value)`` pairs (see the module docstring).

    >>> parse_rayyan_notes('RAYYAN-INCLUSION: {"Emily"=>"Included"}')
    [('rayyan:inclusion:Emily', 'Included')]
    >>> parse_rayyan_notes('RAYYAN-LABELS: a,b | RAYYAN-EXCLUSION-REASONS: wrong population')
    [('rayyan:label', 'a'), ('rayyan:label', 'b'), ('rayyan:exclusion-reason', 'wrong population')]
    """
    pairs: list[tuple[str, str]] = []
    matches = list(_SECTION.finditer(text))
    leading = text[: matches[0].start()] if matches else text
    _add_notes(pairs, leading)
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = text[match.end() : end].strip().rstrip("|").strip()
        kind = match.group(1).upper()
        if kind == "INCLUSION":
            brace_end = body.find("}")
            verdicts = body[: brace_end + 1] if brace_end >= 0 else body
            pairs.extend((f"rayyan:inclusion:{who}", verdict) for who, verdict in _VERDICT.findall(verdicts))
            _add_notes(pairs, body[brace_end + 1 :] if brace_end >= 0 else "")
        elif kind == "LABELS":
            labels, _, rest = body.partition(" | ")
            pairs.extend(("rayyan:label", label.strip()) for label in labels.split(",") if label.strip())
            _add_notes(pairs, rest)
        elif kind == "EXCLUSION-REASONS":
            reasons, _, rest = body.partition(" | ")
            pairs.extend(
                ("rayyan:exclusion-reason", reason.strip()) for reason in reasons.split(",") if reason.strip()
            )
            _add_notes(pairs, rest)
        else:
            _add_notes(pairs, body)
    return pairs


def _add_notes(pairs: list[tuple[str, str]], text: str) -> None:
    for part in text.split(" | "):
        part = part.strip().strip("|").strip()
        if part:
            pairs.append(("rayyan:note", part))
