"""The RAMESES checklist of a review as a table, as Markdown and as a Word document.

The cells are written by :mod:`realreview.tables`, whose rules (Markdown's ``|`` escaped, the
characters Word's XML cannot hold replaced) apply here as everywhere else. The Markdown and the
Word document group the items under the paper's sections, each section a table, so that the
checklist reads like the one a journal asks for; :func:`rameses_table` is the flat table (a section
column) for other uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from realreview import tables
from realreview.reporting.rameses import ChecklistLine, Coverage

__all__ = ["RAMESES_CITATION", "rameses_docx", "rameses_markdown", "rameses_table"]

RAMESES_CITATION = (
    "Wong G, Greenhalgh T, Westhorp G, Buckingham J, Pawson R. RAMESES publication standards: "
    "realist syntheses. BMC Medicine 2013;11:21."
)
_HEADER = (
    "Item",
    "Topic",
    "What the item asks",
    "Status",
    "From the review's data",
    "Still to write",
    "Reported at",
    "Note",
)


def _row(line: ChecklistLine) -> tuple[str | int, ...]:
    return (
        line.item.number,
        line.item.name,
        line.item.asks,
        line.coverage.value,
        line.from_data,
        line.to_write,
        line.location,
        line.note,
    )


def rameses_table(lines: Sequence[ChecklistLine]) -> tables.Table:
    """Every item in one table, its section in the second column."""
    header = (_HEADER[0], "Section", *_HEADER[1:])
    rows = [(row[0], line.item.section, *row[1:]) for line in lines for row in (_row(line),)]
    return tables.Table(header, rows)


def _sections(lines: Sequence[ChecklistLine]) -> list[tuple[str, tables.Table]]:
    return [
        (section, tables.Table(_HEADER, [_row(line) for line in group]))
        for section, group in groupby(lines, key=lambda line: line.item.section)
    ]


def _tally(lines: Sequence[ChecklistLine]) -> str:
    counts = {coverage: sum(line.coverage is coverage for line in lines) for coverage in Coverage}
    reported = sum(bool(line.location) for line in lines)
    return (
        f"{counts[Coverage.PROVIDED]} items provided by the data, {counts[Coverage.PARTLY]} partly "
        f"provided, {counts[Coverage.AUTHORS]} for the authors to write; {reported} of {len(lines)} "
        "located in the manuscript."
    )


def rameses_markdown(lines: Sequence[ChecklistLine], *, title: str) -> str:
    r"""The checklist as Markdown: a heading, the source and a tally, then a table per section.

    >>> from realreview.reporting.rameses import RamesesFacts
    >>> from realreview.reporting.rameses_assess import assess_rameses
    >>> text = rameses_markdown(assess_rameses(RamesesFacts(title="T")), title="T")
    >>> text.splitlines()[0], "## Methods" in text
    ('# RAMESES checklist: T', True)
    """
    parts = [
        f"# RAMESES checklist: {title}",
        f"RAMESES publication standards for realist syntheses ({RAMESES_CITATION}) "
        "The item descriptions summarise the standard; see the paper for each item in full.",
        _tally(lines),
    ]
    for section, table in _sections(lines):
        parts.append(f"## {section}")
        parts.append(tables.to_markdown(table).rstrip("\n"))
    return "\n\n".join(parts) + "\n"


def rameses_docx(lines: Sequence[ChecklistLine], *, title: str) -> bytes:
    """The checklist as a Word document: the title, then a table per section under its heading."""
    return tables.to_docx(_sections(lines), title=f"RAMESES checklist: {title}")
