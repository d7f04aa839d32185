"""The pair review in a real browser: decide with the keyboard, the next pair arrives, unmerge a group."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.browser.conftest import sign_in
from tests.dedup_kit import add_uncertain_pairs
from tests.web.conftest import OWNER

from realreview import services

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture
def app_url(app_url: str, tmp_path: Path) -> str:
    """The web tests' review with ten uncertain pairs, before the server starts."""
    database = services.connect(app_url)
    add_uncertain_pairs(database, 1, tmp_path)
    database.close()
    return app_url


def test_merge_with_the_keyboard_then_unmerge_the_group(server: str, page: Page) -> None:
    sign_in(page, server, OWNER)
    page.goto(f"{server}/reviews/1/dedup?pair=1-11")
    pair = page.locator("article.pair")
    expect(pair).to_have_attribute("data-pair", "1-11")
    conflict = page.locator('tr[data-field="volume"]')
    expect(conflict).to_have_class("field conflict")
    expect(page.locator(".dedup-counts")).to_contain_text("10 pairs waiting")
    page.locator("body").click()
    page.keyboard.press("m")
    expect(page.locator("[data-message]")).to_contain_text("Merged: records 1 and 11")
    expect(page.locator(".dedup-counts")).to_contain_text("9 pairs waiting")
    shown = pair.get_attribute("data-pair")
    assert shown and shown != "1-11"
    expect(page).to_have_url(f"{server}/reviews/1/dedup?pair={shown}")
    page.keyboard.press("?")
    expect(page.locator("#dedup-help")).to_be_visible()

    page.goto(f"{server}/reviews/1/dedup/groups")
    group = page.locator('section.group[data-root="1"]')
    expect(group.locator('li[data-member="11"]')).to_be_visible()
    group.get_by_role("button", name="Unmerge record 11").click()
    expect(page.locator("[data-message]")).to_contain_text("Record 11 taken out of its group.")
    expect(page.get_by_text("No duplicate groups.")).to_be_visible()
