"""The screening setup's own rules: known settings, a fraction between 0 and 1, clean tag names."""

from __future__ import annotations

import pytest

from realreview.screening import ScreeningSetup, changed_setup


def test_changes_apply_and_unknown_settings_are_refused() -> None:
    setup = changed_setup(ScreeningSetup(), {"dual_fraction": 0.1, "blinded": False})
    assert (setup.dual_fraction, setup.blinded) == (0.1, False)
    with pytest.raises(ValueError, match="unknown screening settings: colour"):
        changed_setup(ScreeningSetup(), {"colour": "red"})
    with pytest.raises(ValueError, match="between 0 and 1, not 1.5"):
        changed_setup(ScreeningSetup(), {"dual_fraction": 1.5})


def test_a_tag_name_with_a_control_character_is_refused_and_spaces_are_tidied() -> None:
    with pytest.raises(ValueError, match=r"a tag name cannot hold the control character U\+0001"):
        changed_setup(ScreeningSetup(), {"tags": {"Equity": ("gap\x01",)}})
    setup = changed_setup(ScreeningSetup(), {"tags": {" Equity  approach": ("gap ", "targeted")}})
    assert setup.tags == {"Equity approach": ("gap", "targeted")}
