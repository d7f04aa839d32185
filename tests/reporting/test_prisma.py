"""PRISMA 2020 counts: the figure's arithmetic, the PRISMA2020 package's CSV, the drawn figure."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from realreview.reporting import PrismaFlow, check, flow_from_csv, prisma_figure, to_prisma2020_csv

TEMPLATE = Path(__file__).parents[1] / "data" / "prisma" / "PRISMA.csv"

#: Every box non-zero, and every sum holding (a generated review, not a real one).
FULL = PrismaFlow(
    database_specific_results=(("Database A", 700), ("Database B", 300)),
    database_results=1000,
    register_results=50,
    website_results=12,
    organisation_results=5,
    citations_results=8,
    duplicates=240,
    excluded_automatic=30,
    excluded_other=10,
    records_screened=770,
    records_excluded=700,
    dbr_sought_reports=70,
    dbr_notretrieved_reports=4,
    dbr_assessed=66,
    dbr_excluded=(("Wrong population", 20), ("Wrong outcome", 16)),
    other_sought_reports=25,
    other_notretrieved_reports=3,
    other_assessed=22,
    other_excluded=(("Not a study", 10),),
    new_studies=40,
    new_reports=42,
    previous_studies=9,
    previous_reports=11,
)


def test_a_flow_with_every_box_adds_up() -> None:
    assert check(FULL) == []
    assert (FULL.identified, FULL.total_studies, FULL.total_reports) == (1050, 49, 53)


@pytest.mark.parametrize(
    ("change", "names"),
    [
        (
            {"records_screened": 771},
            "records identified and records removed before screening give 770, but records screened says 771",
        ),
        (
            {"dbr_sought_reports": 69},
            "records screened and records excluded give 70, but reports sought for retrieval says 69",
        ),
        (
            {"dbr_assessed": 65},
            "reports sought and reports not retrieved give 66, but reports assessed for eligibility says 65",
        ),
        (
            {"database_results": 999},
            "the databases listed give 1000, but records identified from databases says 999",
        ),
        (
            {"new_reports": 41},
            "reports assessed and reports excluded give 42, but reports of new included studies says 41",
        ),
    ],
)
def test_a_sum_that_does_not_hold_names_its_boxes(change: dict[str, int], names: str) -> None:
    from dataclasses import replace

    problems = [str(problem) for problem in check(replace(FULL, **change))]
    assert names in problems


def test_the_csv_keeps_the_packages_template_and_fills_n() -> None:
    text = to_prisma2020_csv(FULL)
    rows = list(csv.DictReader(io.StringIO(text)))
    template = list(csv.DictReader(TEMPLATE.open(encoding="utf-8")))
    assert [row["data"] for row in rows] == [row["data"] for row in template]
    assert list(rows[0]) == list(template[0])
    n = {row["data"]: row["n"] for row in rows}
    assert n["database_specific_results"] == "Database A, 700; Database B, 300"
    assert n["dbr_excluded"] == "Wrong population, 20; Wrong outcome, 16"
    assert (n["records_screened"], n["total_studies"], n["total_reports"]) == ("770", "49", "53")
    assert n["previous_studies"] == "9" and n["citations_results"] == "8"
    assert flow_from_csv(text).counts() == FULL.counts()


def test_the_template_itself_reads_as_an_empty_flow() -> None:
    flow = flow_from_csv(TEMPLATE.read_text(encoding="utf-8"))
    assert (flow.records_screened, flow.dbr_excluded, flow.updated) == (0, (), False)


def test_entered_counts_are_marked_in_the_figure() -> None:
    flow = FULL.with_entered(duplicates=240)
    assert flow.entered == frozenset({"duplicates"})
    svg = prisma_figure(flow, fmt="svg").decode()
    texts = ["".join(node.itertext()) for node in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    joined = "\n".join(texts)
    assert "Duplicate records (n = 240)†" in joined and "entered by hand" in joined
    for words in (
        "Records screened (n = 770)",
        "Wrong population (n = 20)",
        "Citation searching (n = 8)",
        "Studies included in previous version of review (n = 9)",
        "Total studies included in review (n = 49)",
    ):
        assert words in joined, words


def test_png_and_pdf_read_back() -> None:
    image = Image.open(io.BytesIO(prisma_figure(FULL, fmt="png")))
    assert image.format == "PNG" and image.width > 1000
    pdf = pypdfium2.PdfDocument(prisma_figure(FULL, fmt="pdf"))
    text = pdf[0].get_textpage().get_text_range()
    assert "Records screened (n = 770)" in text and "Reports not retrieved (n = 4)" in text
    with pytest.raises(ValueError, match="use svg, png or pdf"):
        prisma_figure(FULL, fmt="gif")
