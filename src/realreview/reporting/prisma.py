"""The PRISMA 2020 flow diagram's counts, their arithmetic, and the PRISMA2020 package's input CSV.

The boxes are those of the template of Page et al. (BMJ 2021;372:n71), named by the ``data`` keys
of the PRISMA2020 R package and Shiny app (Haddaway et al. 2022), whose input template ships here
as ``prisma2020_template.csv`` (MIT, from prisma-flowdiagram/PRISMA2020). A count either comes
from the review's data or was entered by hand (a database searched but not imported, a count the
paper reports); an entered count is marked wherever it appears (:attr:`PrismaFlow.entered`).

:func:`check` states the arithmetic a reader of the figure relies on (identified − removed =
screened, and so on) and names the boxes of each sum that does not hold.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, fields, replace
from importlib import resources

__all__ = [
    "BOX_LABELS",
    "OTHER_METHODS",
    "SOURCE_KINDS",
    "Disagreement",
    "PrismaFlow",
    "check",
    "flow_from_csv",
    "to_prisma2020_csv",
]

#: A list of named counts (a database and its records, an exclusion reason and its reports).
Named = tuple[tuple[str, int], ...]

#: Each box's wording in the figure (the template's), by its PRISMA2020 ``data`` key.
BOX_LABELS = {
    "previous_studies": "Studies included in previous version of review",
    "previous_reports": "Reports of studies included in previous version of review",
    "database_results": "Databases",
    "register_results": "Registers",
    "website_results": "Websites",
    "organisation_results": "Organisations",
    "citations_results": "Citation searching",
    "duplicates": "Duplicate records removed",
    "excluded_automatic": "Records marked as ineligible by automation tools",
    "excluded_other": "Records removed for other reasons",
    "records_screened": "Records screened",
    "records_excluded": "Records excluded",
    "dbr_sought_reports": "Reports sought for retrieval",
    "dbr_notretrieved_reports": "Reports not retrieved",
    "other_sought_reports": "Reports sought for retrieval (other methods)",
    "other_notretrieved_reports": "Reports not retrieved (other methods)",
    "dbr_assessed": "Reports assessed for eligibility",
    "dbr_excluded": "Reports excluded",
    "other_assessed": "Reports assessed for eligibility (other methods)",
    "other_excluded": "Reports excluded (other methods)",
    "new_studies": "New studies included in review",
    "new_reports": "Reports of new included studies",
    "total_studies": "Total studies included in review",
    "total_reports": "Reports of total included studies",
}

#: Where a search looked, as the template sorts sources: its two identification columns.
SOURCE_KINDS = ("database", "register", "website", "organisation", "citation")
#: The "identification via other methods" sources, each with its box.
OTHER_METHODS = {
    "website": "website_results",
    "organisation": "organisation_results",
    "citation": "citations_results",
}


@dataclass(frozen=True, slots=True)
class PrismaFlow:
    """Every box of the flow diagram, by the PRISMA2020 package's ``data`` keys.

    ``None`` is a box the review does not use (previous studies of a new review, other methods when
    there were none); ``entered`` names the boxes typed in by hand.

    ``database_specific_results`` lists each database with its records; ``dbr_excluded`` each
    full-text exclusion reason with its reports.
    """

    database_specific_results: Named = ()
    register_specific_results: Named = ()
    database_results: int | None = None
    register_results: int | None = None
    website_results: int | None = None
    organisation_results: int | None = None
    citations_results: int | None = None
    duplicates: int = 0
    excluded_automatic: int = 0
    excluded_other: int = 0
    records_screened: int = 0
    records_excluded: int = 0
    dbr_sought_reports: int = 0
    dbr_notretrieved_reports: int = 0
    dbr_assessed: int = 0
    dbr_excluded: Named = ()
    other_sought_reports: int | None = None
    other_notretrieved_reports: int | None = None
    other_assessed: int | None = None
    other_excluded: Named = ()
    new_studies: int = 0
    new_reports: int = 0
    previous_studies: int | None = None
    previous_reports: int | None = None
    entered: frozenset[str] = field(default_factory=frozenset)

    @property
    def identified(self) -> int:
        """Records identified from databases and registers (the specific counts when no total is given)."""
        databases = self.database_results
        if databases is None:
            databases = sum(n for _, n in self.database_specific_results)
        return databases + (self.register_results or 0)

    @property
    def other_methods(self) -> bool:
        """Whether the "identification via other methods" column is drawn."""
        return any(
            value is not None
            for value in (
                self.website_results,
                self.organisation_results,
                self.citations_results,
                self.other_sought_reports,
            )
        )

    @property
    def updated(self) -> bool:
        """Whether the previous-studies boxes of an updated review are drawn."""
        return self.previous_studies is not None

    @property
    def total_studies(self) -> int:
        """Studies included in the review: new plus those of the previous version."""
        return self.new_studies + (self.previous_studies or 0)

    @property
    def total_reports(self) -> int:
        """Reports of the included studies: new plus those of the previous version."""
        return self.new_reports + (self.previous_reports or 0)

    def counts(self) -> dict[str, object]:
        """Every box's count by its ``data`` key (lists of ``[name, n]`` for the named ones), for ``--json``."""
        out: dict[str, object] = {}
        for item in fields(self):
            if item.name == "entered":
                continue
            value = getattr(self, item.name)
            out[item.name] = [[name, n] for name, n in value] if isinstance(value, tuple) else value
        out["identified"] = self.identified
        out["total_studies"], out["total_reports"] = self.total_studies, self.total_reports
        out["entered"] = sorted(self.entered)
        return out

    def with_entered(self, **counts: object) -> PrismaFlow:
        """The flow with ``counts`` typed in by hand, marked as entered."""
        return replace(self, **counts, entered=self.entered | frozenset(counts))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A sum of the figure that does not hold: which boxes, what they add up to, what the box says."""

    boxes: tuple[str, ...]
    expected: int
    found: int

    def __str__(self) -> str:
        *given, result = self.boxes
        return f"{' and '.join(given)} give {self.expected}, but {result} says {self.found}"


def _total(named: Named) -> int:
    return sum(n for _, n in named)


def check(flow: PrismaFlow) -> list[Disagreement]:
    """The sums of the figure that do not hold; empty when the diagram adds up.

    >>> check(PrismaFlow(database_results=10, duplicates=2, records_screened=8, records_excluded=5,
    ...     dbr_sought_reports=3, dbr_assessed=3, dbr_excluded=(("Wrong population", 1),),
    ...     new_studies=2, new_reports=2))
    []
    >>> str(check(PrismaFlow(database_results=10, duplicates=2, records_screened=7))[0])
    'records identified and records removed before screening give 8, but records screened says 7'
    """
    problems: list[Disagreement] = []

    def expect(boxes: tuple[str, ...], expected: int, found: int) -> None:
        if expected != found:
            problems.append(Disagreement(boxes, expected, found))

    if flow.database_results is not None and flow.database_specific_results:
        expect(
            ("the databases listed", "records identified from databases"),
            _total(flow.database_specific_results),
            flow.database_results,
        )
    removed = flow.duplicates + flow.excluded_automatic + flow.excluded_other
    expect(
        ("records identified", "records removed before screening", "records screened"),
        flow.identified - removed,
        flow.records_screened,
    )
    expect(
        ("records screened", "records excluded", "reports sought for retrieval"),
        flow.records_screened - flow.records_excluded,
        flow.dbr_sought_reports,
    )
    expect(
        ("reports sought", "reports not retrieved", "reports assessed for eligibility"),
        flow.dbr_sought_reports - flow.dbr_notretrieved_reports,
        flow.dbr_assessed,
    )
    kept = flow.dbr_assessed - _total(flow.dbr_excluded)
    if flow.other_sought_reports is not None:
        expect(
            (
                "reports sought (other methods)",
                "reports not retrieved (other methods)",
                "reports assessed (other methods)",
            ),
            flow.other_sought_reports - (flow.other_notretrieved_reports or 0),
            flow.other_assessed or 0,
        )
        kept += (flow.other_assessed or 0) - _total(flow.other_excluded)
    expect(
        ("reports assessed", "reports excluded", "reports of new included studies"), kept, flow.new_reports
    )
    if flow.new_studies > flow.new_reports:
        problems.append(
            Disagreement(
                ("new studies", "reports of new included studies"), flow.new_reports, flow.new_studies
            )
        )
    return problems


def _named(named: Named) -> str:
    return "; ".join(f"{name}, {n}" for name, n in named)


def _n(flow: PrismaFlow, key: str) -> str:
    named = {
        "database_specific_results": flow.database_specific_results,
        "register_specific_results": flow.register_specific_results,
        "dbr_excluded": flow.dbr_excluded,
        "other_excluded": flow.other_excluded,
    }
    if key in named:
        return _named(named[key]) if named[key] else "0"
    if key == "database_results":
        return str(flow.identified - (flow.register_results or 0))
    return str(getattr(flow, key, None) or 0)


def _template() -> list[dict[str, str]]:
    text = (
        resources.files("realreview.reporting")
        .joinpath("prisma2020_template.csv")
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(io.StringIO(text)))


def to_prisma2020_csv(flow: PrismaFlow) -> str:
    """The PRISMA2020 package's input CSV: its template's rows and columns, with this review's ``n``.

    Boxes the review does not use stay 0, as in the template; the package and the Shiny app hide
    them. Named lists follow the template's form, ``"Name, n; Name, n"``.
    """
    rows = _template()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        key = row["data"]
        if key and key != "NA" and (hasattr(flow, key) or key in ("total_studies", "total_reports")):
            row = {**row, "n": _n(flow, key)}
        writer.writerow(row)
    return out.getvalue()


def _parse_named(text: str) -> Named:
    pairs = []
    for part in text.split(";"):
        name, _, number = part.strip().rpartition(",")
        if name.strip() and number.strip().isdigit():
            pairs.append((name.strip(), int(number)))
    return tuple(pairs)


def flow_from_csv(text: str) -> PrismaFlow:
    """Read a PRISMA2020 input CSV back (what :func:`to_prisma2020_csv` wrote, or one filled in by hand)."""
    values: dict[str, object] = {}
    optional = {
        "register_results",
        "website_results",
        "organisation_results",
        "citations_results",
        "other_sought_reports",
        "other_notretrieved_reports",
        "other_assessed",
        "previous_studies",
        "previous_reports",
    }
    known = {item.name for item in fields(PrismaFlow)}
    for row in csv.DictReader(io.StringIO(text)):
        key, n = row.get("data", ""), (row.get("n") or "0").strip()
        if key not in known or key == "entered":
            continue
        if key in (
            "database_specific_results",
            "register_specific_results",
            "dbr_excluded",
            "other_excluded",
        ):
            values[key] = _parse_named(n)
        elif n.isdigit():
            values[key] = None if key in optional and n == "0" else int(n)
    return PrismaFlow(**values)  # type: ignore[arg-type]
