"""The characteristics-of-included-documents tables a paper prints, built from the settled values.

A review chooses the columns and may split the table by one field: the worked example prints gap
and targeted interventions as two tables (Johnson et al. 2025). Each table is a plain
:class:`realreview.tables.Table`, so the one table writer makes it CSV, XLSX or DOCX.
"""

from __future__ import annotations

from collections.abc import Sequence

from realreview.characteristics.form import ExtractionForm, format_value
from realreview.characteristics.study import StudyRow
from realreview.tables import Table

__all__ = ["characteristics_tables"]

NOT_RECORDED = "not recorded"


def characteristics_tables(
    form: ExtractionForm,
    rows: Sequence[StudyRow],
    *,
    columns: Sequence[str] = (),
    split_by: str | None = None,
) -> list[tuple[str, Table]]:
    """One table (or one per value of ``split_by``), a row per study, the chosen columns after the study.

    Args:
        form: the review's form (it names and orders the fields).
        rows: the studies with their settled values.
        columns: field keys to show, in this order; all the form's fields when empty.
        split_by: a field key; each of its values gets its own table, in the form's choice order,
            with the studies where it is blank last, under "not recorded". A study with several
            values appears under each.

    Raises:
        ValidationError: a column or ``split_by`` that is not a field of the form.

    >>> from realreview.characteristics import default_equity_form
    >>> form = default_equity_form()
    >>> rows = [StudyRow(1, "Smith 2020", {"country": ("United Kingdom",), "year": 2020})]
    >>> [(heading, table.rows) for heading, table in characteristics_tables(form, rows, columns=["year", "country"])]
    [('', [('Smith 2020', '2020', 'United Kingdom')])]
    """
    keys = list(columns) or [field.key for field in form.fields]
    fields = [form.field(key) for key in keys]
    header = ("study", *(field.label for field in fields))

    def table(studies: Sequence[StudyRow]) -> Table:
        return Table(
            header, [(s.label, *(format_value(f, s.values.get(f.key)) for f in fields)) for s in studies]
        )

    if split_by is None:
        return [("", table(rows))]
    split = form.field(split_by)
    groups: dict[str, list[StudyRow]] = {choice: [] for choice in split.choices}
    for study in rows:
        value = study.values.get(split.key)
        values = value if isinstance(value, tuple) else (value,) if value not in (None, "") else ()
        for item in values or (NOT_RECORDED,):
            groups.setdefault(str(item), []).append(study)
    if NOT_RECORDED in groups:
        groups[NOT_RECORDED] = groups.pop(NOT_RECORDED)
    return [(f"{split.label}: {name}", table(studies)) for name, studies in groups.items() if studies]
