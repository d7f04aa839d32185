"""A stored version reads back as the version that was stored."""

from __future__ import annotations

import json

import pytest
from tests.synthesis.conftest import theory

from realreview.synthesis import CMOCError
from realreview.synthesis.serial import theory_from_dict, theory_to_dict


def test_a_version_survives_json() -> None:
    version = theory()
    assert theory_from_dict(json.loads(json.dumps(theory_to_dict(version)))) == version


def test_a_stored_version_is_held_to_the_same_rules() -> None:
    data = theory_to_dict(theory())
    data["cmocs"].append(dict(data["cmocs"][0]))  # the same label twice
    with pytest.raises(CMOCError):
        theory_from_dict(data)
