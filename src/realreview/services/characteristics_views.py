"""What the characteristics pages show: one page dataclass per screen, within the actor's permissions.

The characteristics page (settled values per study, the actor's own extraction, an owner's
reconciliation of two extractors) and the summary page (a table and a bar chart per field, and how
many studies are unsettled). Flags such as ``can_extract`` come from the permission table through
the review context; what of colleagues' values is shown, from the blinding rule
(:func:`realreview.services.characteristics.extractions`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from realreview import tables
from realreview.access import Action, Role, is_allowed
from realreview.characteristics import (
    ExtractionForm,
    FieldDifference,
    FieldSummary,
    FormField,
    Settled,
    Settlement,
    SheetImport,
    Value,
    bar_chart_svg,
    format_value,
    summarise,
    summary_csv,
)
from realreview.characteristics.tables import characteristics_tables
from realreview.errors import ValidationError
from realreview.services.accounts import members_of
from realreview.services.audit import reads
from realreview.services.characteristics import Study, extractions, require_sees
from realreview.services.context import ReviewContext
from realreview.services.reported_figures import ReportedTopic, reported_figures
from realreview.services.reviews import ReviewInfo

__all__ = [
    "CharacteristicsPage",
    "SummaryPage",
    "characteristics_page",
    "characteristics_table",
    "summary_page",
]


@dataclass(frozen=True, slots=True)
class CharacteristicsPage:
    """The characteristics page: settled values per study, the actor's own, two extractors' differences.

    ``first``/``second`` and ``differences`` are filled for those who may settle values; ``errors``
    (record id -> field key -> message), ``report``/``sheet`` and ``error`` report the write that led
    here. ``standings`` says per study and field how far its values are settled; ``blind`` that the
    actor sees only their own values and the settled ones.
    """

    review: ReviewInfo
    actor: str
    role: Role
    can_extract: bool
    can_settle: bool
    form: ExtractionForm
    studies: list[Study]
    labels: dict[int, str]
    settled: dict[int, dict[str, Value]]
    mine: dict[int, dict[str, Value]]
    standings: dict[int, dict[str, Settled]]
    settlement: Settlement
    blind: bool
    extractors: list[str]
    first: str | None
    second: str | None
    differences: dict[int, tuple[FieldDifference, ...]]
    errors: Mapping[int, Mapping[str, str]] = field(default_factory=dict)
    report: SheetImport | None = None
    sheet: str | None = None
    error: str | None = None
    #: An answer to a settling (htmx): the table and the settlement line come along, out of band,
    #: so the page shows the settled values without a reload.
    refresh: bool = False
    #: How the page shows a value (:func:`realreview.characteristics.format_value`).
    fmt: Callable[[FormField, Value], str] = format_value


@reads(Action.VIEW_CHARACTERISTICS)
def characteristics_page(
    session: Session,
    ctx: ReviewContext,
    *,
    first: str | None = None,
    second: str | None = None,
    errors: Mapping[int, Mapping[str, str]] | None = None,
    report: SheetImport | None = None,
    sheet: str | None = None,
    error: str | None = None,
) -> CharacteristicsPage:
    """The characteristics page; the extractors compared default to the review's first two reviewers."""
    members = members_of(session, ctx)
    can_settle = ctx.can(Action.SETTLE_VALUES)
    if can_settle:
        reviewers = [m.user.email for m in members if m.role is Role.REVIEWER]
        first = first or (reviewers[0] if reviewers else None)
        second = second or (reviewers[1] if len(reviewers) > 1 else None)
    else:
        first = second = None
    found = extractions(session, ctx)
    differences = {}
    if first and second and first != second:
        require_sees(ctx, first, second)
        differences = found.differences(first, second)
    return CharacteristicsPage(
        review=ctx.review,
        actor=ctx.actor,
        role=ctx.role,
        can_extract=ctx.can(Action.EXTRACT),
        can_settle=can_settle,
        form=found.form,
        studies=found.studies,
        labels={study.record_id: study.label for study in found.studies},
        settled=found.by_study(),
        mine=found.by_study(ctx.actor),
        standings={study.record_id: found.standings(study.record_id) for study in found.studies},
        settlement=found.settlement(),
        blind=found.blind,
        extractors=[m.user.email for m in members if is_allowed(m.role, Action.EXTRACT)],
        first=first,
        second=second,
        differences=differences,
        errors=errors or {},
        report=report,
        sheet=sheet,
        error=error,
    )


@dataclass(frozen=True, slots=True)
class SummaryPage:
    """Per summarised field, its counts and its bar chart (SVG that escapes its own labels).

    The counts are of settled values only; ``settlement`` says how many studies still hold values
    that are not, and ``blind`` that the actor's own unsettled values are all they can know of.
    """

    review: ReviewInfo
    charts: list[tuple[FieldSummary, str]]
    settlement: Settlement
    blind: bool
    can_settle: bool
    #: Totals a source reports without per-document values, shown apart and marked as reported.
    reported: list[ReportedTopic] = field(default_factory=list)

    def csv(self, *, raw: bool = False) -> str:
        """The summary tables as one CSV (``field``, ``value``, ``studies``), as the download has them.

        ``raw`` keeps formula-like text as it is (for scripts); by default such a cell gets a ``'``.
        Reported totals follow, their topic marked "(reported)".
        """
        reported = [(t.topic, f.label, f.value) for t in self.reported for f in t.figures]
        return summary_csv([summary for summary, _svg in self.charts], raw=raw, reported=reported)

    def unsettled_note(self) -> str:
        """One line saying how far the values are settled (what the page says above the charts)."""
        done = self.settlement
        if self.blind:
            return f"your values in {done.pending} studies are not settled yet"
        return (
            f"{done.settled} of {done.studies} studies with values settled; {done.unsettled} unsettled "
            f"({done.one_extractor} with a value only one extractor entered, "
            f"{done.different} where the extractors differ)"
        )


@reads(Action.VIEW_CHARACTERISTICS)
def summary_page(session: Session, ctx: ReviewContext) -> SummaryPage:
    """The summary page: a table and a bar chart per field, and what is not settled yet."""
    found = extractions(session, ctx)
    charts = [(summary, bar_chart_svg(summary)) for summary in summarise(found.form, found.rows())]
    return SummaryPage(
        ctx.review,
        charts,
        found.settlement(),
        found.blind,
        ctx.can(Action.SETTLE_VALUES),
        reported_figures(session, ctx),
    )


@reads(Action.EXPORT_TABLES)
def characteristics_table(
    session: Session,
    ctx: ReviewContext,
    *,
    fmt: str,
    columns: tuple[str, ...] = (),
    split_by: str | None = None,
) -> str | bytes:
    """The characteristics of the included documents (settled values) as ``csv``, ``xlsx`` or ``docx``.

    Split by a field, DOCX has a table per value; CSV and XLSX keep one table with the split value
    in a first column, so that a spreadsheet can filter it.

    Raises:
        ValidationError: another format, or a column or split that is not a field of the form.
    """
    found = extractions(session, ctx)
    parts = characteristics_tables(found.form, found.rows(), columns=columns, split_by=split_by)
    if fmt == "docx":
        return tables.to_docx(parts, title=f"{ctx.review.title}: characteristics of included documents")
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(f"table format {fmt!r}: use csv, xlsx or docx")
    if split_by is None:
        table = parts[0][1]
    else:
        label = found.form.field(split_by).label
        first = parts[0][1] if parts else characteristics_tables(found.form, [], columns=columns)[0][1]
        rows = [(heading.split(": ", 1)[1], *row) for heading, part in parts for row in part.rows]
        table = tables.Table((label, *first.header), rows)
    return tables.to_csv(table) if fmt == "csv" else tables.to_xlsx(table, title="Characteristics")
