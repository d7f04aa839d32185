"""The characteristics of the included studies, counted: the table and charts a results section shows.

A study with several values (two countries, three PROGRESS-Plus groups) counts once under each, so
a field's counts may add up to more than its number of studies; :attr:`FieldSummary.studies` is the
number of studies with any value and :attr:`FieldSummary.missing` those without one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from realreview import tables
from realreview.characteristics.form import ExtractionForm, FieldKind, FormField, format_value
from realreview.characteristics.study import StudyRow
from realreview.errors import ValidationError

__all__ = ["FieldSummary", "bar_chart_svg", "summarise", "summary_csv"]


@dataclass(frozen=True, slots=True)
class FieldSummary:
    """How many studies have each value of one field.

    Attributes:
        counts: (value as text, number of studies), in the order a table lists them.
        studies: studies with at least one value for the field.
        missing: studies with none.
    """

    key: str
    label: str
    counts: tuple[tuple[str, int], ...]
    studies: int
    missing: int


def _values_of(field: FormField, value: object) -> dict[str, object]:
    """A study's distinct values of a field, as text -> the value (kept for ordering numbers)."""
    if value is None or value == () or value == []:
        return {}
    items = value if isinstance(value, tuple | list) else (value,)
    return {format_value(field, item): item for item in items}


def _ordered(field: FormField, counter: Counter[str], originals: dict[str, object]) -> list[tuple[str, int]]:
    def by_frequency(text: str) -> tuple[int, str, str]:
        return (-counter[text], text.casefold(), text)

    if field.kind.has_choices:
        extra = sorted((t for t in counter if t not in field.choices), key=by_frequency)
        return [(c, counter[c]) for c in field.choices] + [(t, counter[t]) for t in extra]
    if field.kind in (FieldKind.YEAR, FieldKind.NUMBER):

        def by_value(text: str) -> tuple[int, float, str]:
            number = originals[text]
            is_number = isinstance(number, int | float) and not isinstance(number, bool)
            return (0, float(number), text) if is_number else (1, 0.0, text)  # type: ignore[arg-type]

        return [(t, counter[t]) for t in sorted(counter, key=by_value)]
    return [(t, counter[t]) for t in sorted(counter, key=by_frequency)]


def summarise(
    form: ExtractionForm, rows: Sequence[StudyRow], *, keys: Sequence[str] | None = None
) -> tuple[FieldSummary, ...]:
    """Count each value of the chosen fields (all of them by default) across the studies.

    Choice fields list every choice in the form's order, zero counts included (a table that omits
    "increased" hides that no study found it), then any stored value no longer on the form; country
    and text fields go by frequency, then name; years and numbers by value.

    Raises:
        ValidationError: a key that is not on the form.

    >>> from realreview.characteristics.form import default_equity_form
    >>> rows = [StudyRow(1, "A", {"care_setting": ("primary", "community")}), StudyRow(2, "B", {})]
    >>> summarise(default_equity_form(), rows, keys=["care_setting"])[0]
    FieldSummary(key='care_setting', label='Care setting', counts=(('primary', 1), ('secondary', 0), \
('tertiary', 0), ('community', 1)), studies=1, missing=1)
    """
    fields = form.fields if keys is None else tuple(form.field(key) for key in keys)
    summaries = []
    for field in fields:
        counter: Counter[str] = Counter()
        originals: dict[str, object] = {}
        studies = 0
        for row in rows:
            values = _values_of(field, row.values.get(field.key))
            studies += bool(values)
            counter.update(values.keys())
            originals.update(values)
        counts = tuple(_ordered(field, counter, originals))
        summaries.append(FieldSummary(field.key, field.label, counts, studies, len(rows) - studies))
    return tuple(summaries)


def summary_csv(
    summaries: Sequence[FieldSummary],
    *,
    raw: bool = False,
    reported: Sequence[tuple[str, str, int]] = (),
) -> str:
    r"""The summaries as CSV with the columns ``field`` (its label), ``value`` and ``studies``.

    ``reported`` are totals a source gives without per-document values, as (topic, label, n); they
    follow the counted rows with "(reported)" after the topic, so no one mistakes them for counts.
    Written by :func:`realreview.tables.to_csv` with LF line ends; text a spreadsheet would run as a
    formula gets a leading ``'`` unless ``raw`` (for scripts).

    >>> summary_csv([FieldSummary("year", "Year", (("2019", 2), ("2020", 1)), 3, 0)])
    'field,value,studies\nYear,2019,2\nYear,2020,1\n'
    >>> summary_csv([], reported=[("Country", "USA", 29)])
    'field,value,studies\nCountry (reported),USA,29\n'
    """
    rows: list[tuple[str, str, int]] = [
        (summary.label, value, count) for summary in summaries for value, count in summary.counts
    ]
    rows += [(f"{topic} (reported)", label, n) for topic, label, n in reported]
    return tables.to_csv(
        tables.Table(("field", "value", "studies"), rows), lineterminator="\n", defuse_formulas=not raw
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 1)] + "…"


def bar_chart_svg(summary: FieldSummary, *, width: int = 480) -> str:
    """A horizontal bar chart of one field's counts, as a self-contained SVG (no script, no links).

    Each value gets one ``<rect>`` (zero-width for a zero count, so every choice keeps its row) and
    a tooltip with its full text; labels longer than the label column are shortened with "…".

    Args:
        summary: the field to draw.
        width: the chart's width in pixels; at least 200.

    >>> svg = bar_chart_svg(FieldSummary("x", "A <b>", (("yes", 2), ("no", 0)), 2, 0))
    >>> svg.count("<rect"), "&lt;b&gt;" in svg, "<b>" in svg
    (2, True, False)
    """
    if width < 200:
        raise ValidationError(f"chart width {width} is too small (at least 200 pixels)")
    row_height, top, pad = 22, 30, 8
    label_width = int(width * 0.4)
    bar_space = width - label_width - 2 * pad - 40
    biggest = max((count for _, count in summary.counts), default=0) or 1
    height = top + row_height * max(len(summary.counts), 1) + pad
    title = escape(f"{summary.label}: studies per value")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{title}" '
        'font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{title}</title>",
        f'<text x="{pad}" y="18" font-weight="bold" fill="#222">{escape(summary.label)}</text>',
    ]
    if not summary.counts:
        parts.append(f'<text x="{pad}" y="{top + 15}" fill="#555">No values recorded</text>')
    for index, (value, count) in enumerate(summary.counts):
        y = top + index * row_height
        bar = round(bar_space * count / biggest)
        label = escape(_shorten(value, label_width // 7))
        parts += [
            f"<g><title>{escape(value)}: {count}</title>",
            f'<text x="{label_width}" y="{y + 15}" text-anchor="end" fill="#222">{label}</text>',
            f'<rect x="{label_width + pad}" y="{y + 3}" width="{bar}" height="{row_height - 6}" fill="#3b6ea5"/>',
            f'<text x="{label_width + 2 * pad + bar}" y="{y + 15}" fill="#222">{count}</text></g>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)
