"""The programme theory drawn: SVG from matplotlib, Mermaid text; both from the data, both stable."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.synthesis.conftest import theory

from realreview.synthesis import Direction, Relation, RelationKind
from realreview.synthesis.diagram import COLOURS, mermaid, svg

SVG = "{http://www.w3.org/2000/svg}"


def _texts(document: str) -> list[str]:
    root = ET.fromstring(document)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def test_the_svg_holds_every_cluster_and_cmoc_as_text_coloured_by_direction() -> None:
    drawn = svg(theory())
    texts = _texts(drawn)
    for title in ("Values and understanding", "Resources", "Design"):
        assert any(title in text for text in texts), title
    for mark in ("1A ↓", "2 ?", "5 ↑", "7A ?"):
        assert mark in texts, mark
    assert any("contrasts with" in text for text in texts)  # the recorded relation's arrow label
    assert COLOURS[Direction.WORSENS] in drawn and COLOURS[Direction.REDUCES] in drawn
    assert "<script" not in drawn and 'xlink:href="http' not in drawn


def test_the_svg_is_the_same_for_the_same_theory() -> None:
    assert svg(theory()) == svg(theory())


def test_sixty_cmocs_fit_in_a_grid_of_cluster_columns() -> None:
    from realreview.synthesis import CMOC, Cluster

    clusters = tuple(Cluster(f"c{i}", f"Cluster {i}") for i in range(6))
    cmocs = tuple(CMOC(str(n), f"c{n % 6}", outcome=f"outcome number {n}") for n in range(1, 61))
    relations = tuple(Relation(str(n), RelationKind.DEPENDS_ON, str(n - 1)) for n in range(2, 61, 7))
    drawn = svg(theory(clusters=clusters, cmocs=cmocs, relations=relations, links=()))
    texts = _texts(drawn)
    assert all(f"{n} ?" in texts for n in range(1, 61))
    assert sum(text == "depends on" for text in texts) == len(relations)


def test_mermaid_has_a_subgraph_per_cluster_and_an_edge_per_relation() -> None:
    text = mermaid(theory())
    assert text.splitlines()[0] == "flowchart TB"
    assert text.count("subgraph ") == 3 and text.count("\n  end") == 3
    assert "  cmoc_2 <-->|contrasts with| cmoc_1A" in text
    assert 'cmoc_1A["1A ↓<br/>When staff see unequal outcomes as unjust' in text
