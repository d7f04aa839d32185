"""Study characteristics: the extraction form, typed values, the XLSX round trip, settling, the summary.

What a realist review with an equity focus records for each included study (country, care setting,
year, topic, design, PROGRESS-Plus groups, gap or targeted intervention, effect on inequalities),
checked the same way whether typed into the web form, a spreadsheet or a REFI-QDA project.
"""

from realreview.characteristics.countries import country_names, normalise_country
from realreview.characteristics.form import (
    ExtractionForm,
    FieldKind,
    FormField,
    default_equity_form,
    format_value,
    parse_value,
)
from realreview.characteristics.reconcile import (
    FieldAgreement,
    FieldDifference,
    agreement_summary,
    compare_extractions,
    is_same_value,
)
from realreview.characteristics.settle import (
    CONSENSUS,
    Settled,
    Settlement,
    Standing,
    is_blank,
    settle,
    settlement,
)
from realreview.characteristics.study import StudyRow
from realreview.characteristics.summary import FieldSummary, bar_chart_svg, summarise, summary_csv
from realreview.characteristics.tables import characteristics_tables
from realreview.characteristics.values import Value
from realreview.characteristics.xlsx import write_sheet
from realreview.characteristics.xlsx_read import Change, Rejection, SheetImport, read_sheet

__all__ = [
    "CONSENSUS",
    "Change",
    "ExtractionForm",
    "FieldAgreement",
    "FieldDifference",
    "FieldKind",
    "FieldSummary",
    "FormField",
    "Rejection",
    "Settled",
    "Settlement",
    "SheetImport",
    "Standing",
    "StudyRow",
    "Value",
    "agreement_summary",
    "bar_chart_svg",
    "characteristics_tables",
    "compare_extractions",
    "country_names",
    "default_equity_form",
    "format_value",
    "is_blank",
    "is_same_value",
    "normalise_country",
    "parse_value",
    "read_sheet",
    "settle",
    "settlement",
    "summarise",
    "summary_csv",
    "write_sheet",
]
