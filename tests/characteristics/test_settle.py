"""When a value is the study's: settled, agreed, the only extractor's; the rest flagged (issue #10)."""

from __future__ import annotations

import pytest

from realreview.characteristics import CONSENSUS, Settled, Standing, settle, settlement


@pytest.mark.parametrize(
    ("entries", "sole", "expected"),
    [
        ({"a": "UK"}, True, Settled("UK", Standing.SOLE)),
        ({"a": "UK"}, False, Settled("UK", Standing.ONE_ONLY)),
        ({"a": "UK", "b": None, "c": ()}, False, Settled("UK", Standing.ONE_ONLY)),  # blanks enter nothing
        ({"a": ("UK", "France"), "b": ["France", "UK"]}, False, Settled(("UK", "France"), Standing.AGREED)),
        ({"a": 2019, "b": 2020}, False, Settled(None, Standing.DIFFERENT)),
        ({"a": 2019, "b": 2020, CONSENSUS: 2020}, False, Settled(2020, Standing.CONSENSUS)),
        ({"a": 2019, CONSENSUS: None}, False, Settled(None, Standing.CONSENSUS)),  # settled as "not reported"
        ({"a": None}, False, None),
    ],
)
def test_settle(entries: dict[str, object], sole: bool, expected: Settled | None) -> None:
    assert settle(entries, sole=sole) == expected  # type: ignore[arg-type]


def test_a_blind_viewer_gets_only_the_consensus_or_pending() -> None:
    assert settle({"me": "UK"}, blind=True) == Settled(None, Standing.PENDING)
    assert settle({"me": "UK", CONSENSUS: "France"}, blind=True) == Settled("France", Standing.CONSENSUS)
    assert not Standing.PENDING.is_settled and Standing.SOLE.is_settled


def test_settlement_counts_studies_not_fields() -> None:
    one, differ = Settled("UK", Standing.ONE_ONLY), Settled(None, Standing.DIFFERENT)
    agreed, pending = Settled(1, Standing.AGREED), Settled(None, Standing.PENDING)
    found = settlement([{"a": one, "b": differ}, {"a": agreed}, {"a": pending}, {}])
    assert (found.studies, found.settled, found.unsettled) == (3, 1, 2)
    assert (found.one_extractor, found.different, found.pending) == (1, 1, 1)
