"""The REFI-QDA model: counts include nested codes; dataclasses are frozen and compare by value."""

from __future__ import annotations

import dataclasses

import pytest

from realreview.coding import (
    QdaCode,
    QdaCoding,
    QdaCounts,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    count,
    walk_codes,
)


def test_count_includes_nested_codes_and_every_coding() -> None:
    codes = (
        QdaCode("a", "A", children=(QdaCode("b", "B", children=(QdaCode("c", "C"),)),)),
        QdaCode("d", "D"),
    )
    selections = (
        QdaSelection("s1", 0, 1, codings=(QdaCoding("k1", "a"), QdaCoding("k2", "b"))),
        QdaSelection("s2", 1, 2),
    )
    project = QdaProject(
        "p",
        users=(QdaUser("u", "ana"),),
        codes=codes,
        sources=(QdaSource("x", "X", "ab", selections=selections), QdaSource("y", "Y", "")),
    )
    assert count(project) == QdaCounts(
        users=1, codes=4, sources=2, selections=2, codings=2, notes=0, cases=0, variables=0
    )
    assert [code.guid for code in walk_codes(codes)] == ["a", "b", "c", "d"]


def test_models_are_frozen_values() -> None:
    code = QdaCode("a", "A")
    with pytest.raises(dataclasses.FrozenInstanceError):
        code.name = "B"  # type: ignore[misc]
    assert code == QdaCode("a", "A") and code != QdaCode("a", "A", is_codable=False)
    assert not hasattr(code, "__dict__")  # slots
    assert QdaProject("p").notes_on_import == () and QdaProject("p").sets == ()
