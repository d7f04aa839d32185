"""The CMOC table and the evidence appendix, in the review's cluster order."""

from __future__ import annotations

from tests.synthesis.conftest import theory

from realreview.synthesis.table import CMOC_TABLE_HEADER, cmoc_table, evidence_appendix


def test_rows_follow_the_cluster_order_and_name_direction_in_words() -> None:
    table = cmoc_table(theory(), documents={"1A": ["Smith 2020", "Jones 2021"]})
    assert table.header == CMOC_TABLE_HEADER
    assert [(row[0], row[1]) for row in table.rows] == [
        ("Values and understanding", "1A"),
        ("Values and understanding", "2"),
        ("Resources", "5"),
        ("Design", "7A"),
    ]
    assert table.rows[0][3] == "↓ reduces inequalities" and table.rows[2][3] == "↑ worsens inequalities"
    assert table.rows[0][4] == "Smith 2020; Jones 2021" and table.rows[1][4] == ""


def test_the_appendix_has_a_table_per_cmoc_even_without_evidence() -> None:
    parts = evidence_appendix(theory(), evidence={"5": [("outcome", "refines", "Smith 2020", 3, "text", "")]})
    assert [heading.split(":")[0] for heading, _ in parts] == ["CMOC 1A", "CMOC 2", "CMOC 5", "CMOC 7A"]
    assert list(parts[2][1].rows) == [("outcome", "refines", "Smith 2020", 3, "text", "")]
    assert list(parts[0][1].rows) == []
