"""The permission table itself: every action has owners, viewers never write, the panel never screens."""

from __future__ import annotations

import pytest

from realreview.access import PERMISSIONS, Action, Role, Work, is_allowed, may_see

WRITES = {
    Action.EDIT_SETUP,
    Action.MANAGE_MEMBERS,
    Action.LOG_SEARCHES,
    Action.IMPORT_RECORDS,
    Action.DEDUPLICATE,
    Action.SCREEN,
    Action.IMPORT_DECISIONS,
    Action.RESOLVE_CONFLICTS,
    Action.ADD_DOCUMENTS,
    Action.CODE,
    Action.EDIT_CODEBOOK,
    Action.MERGE_CODES,
    Action.COMMENT,
    Action.APPRAISE,
    Action.REMOVE_OTHERS_WORK,
    Action.EXTRACT,
    Action.SETTLE_VALUES,
    Action.EDIT_FORM,
    Action.IMPORT_PROJECT,
}


def test_every_action_has_a_row_and_the_owner_may_take_it() -> None:
    assert set(PERMISSIONS) == set(Action)
    assert all(is_allowed(Role.OWNER, action) for action in Action)


@pytest.mark.parametrize("action", sorted(WRITES))
def test_a_viewer_or_a_panel_member_never_writes(action: Action) -> None:
    assert not is_allowed(Role.VIEWER, action)
    assert not is_allowed(Role.PANEL, action)


def test_the_panel_sees_the_review_but_no_screening() -> None:
    assert is_allowed(Role.PANEL, Action.VIEW_REVIEW)
    assert not is_allowed(Role.PANEL, Action.VIEW_SCREENING)
    assert not may_see(viewer="p", role=Role.PANEL, author="p", work=Work.SCREENING, blinded=False)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VIEWER])
def test_blinding_hides_others_work_from_everyone_but_the_owner(role: Role) -> None:
    assert not may_see(viewer="a", role=role, author="b", work=Work.SCREENING, blinded=True)
    assert may_see(viewer="a", role=role, author="a", work=Work.SCREENING, blinded=True)
    assert may_see(viewer="a", role=role, author="b", work=Work.SCREENING, blinded=False)
    assert may_see(viewer="o", role=Role.OWNER, author="b", work=Work.SCREENING, blinded=True)
