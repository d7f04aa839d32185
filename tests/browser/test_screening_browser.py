"""The screening flow in a real browser: Debian's chromium driven by Playwright.

Log in, screen five records with the keyboard, tag one; a second reviewer disagrees on a record; the
owner resolves the conflict; the agreement page shows kappa.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.browser.conftest import sign_in
from tests.web.conftest import ANA, BEN, OWNER

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402


def sign_out(page: Page) -> None:
    page.click("header button[type=submit]")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_screen_with_the_keyboard_disagree_resolve_and_see_kappa(server: str, page: Page) -> None:
    sign_in(page, server, ANA)
    page.goto(f"{server}/reviews/1/screen/title_abstract")
    record = page.locator("article.record")
    expect(record).to_have_attribute("data-record", "1")
    # Tag the first record, then include it with the keyboard.
    page.locator(".chip", has_text="Socioeconomic status").click()
    page.locator("body").click()
    for expected, key in ((1, "i"), (2, "e"), (3, "m"), (4, "i"), (5, "e")):
        expect(record).to_have_attribute("data-record", str(expected))
        page.keyboard.press(key)
        expect(record).to_have_attribute("data-record", str(expected + 1))
    expect(page.locator(".progress span")).to_contain_text("5 of 10 decided")
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    page.goto(f"{server}/reviews/1/screen/title_abstract?filter=all&tag=Socioeconomic status")
    expect(page.locator(".progress span")).to_contain_text("1 in this list")
    sign_out(page)

    sign_in(page, server, BEN)
    page.goto(f"{server}/reviews/1/screen/title_abstract")
    expect(page.locator("article.record")).to_have_attribute("data-record", "1")
    page.keyboard.press("e")  # ANA included record 1: a conflict
    expect(page.locator("article.record")).to_have_attribute("data-record", "2")
    page.keyboard.press("e")  # agrees with ANA on record 2
    sign_out(page)

    sign_in(page, server, OWNER)
    page.goto(f"{server}/reviews/1/conflicts")
    conflict = page.locator("section.conflict")
    expect(conflict).to_have_count(1)
    expect(conflict).to_have_attribute("data-record", "1")
    conflict.locator("input[name=note]").fill("resolved by discussion")
    conflict.get_by_role("button", name="Include").click()
    expect(page.get_by_text("No open conflicts.")).to_be_visible()
    resolved = page.locator("section.resolved")
    expect(resolved).to_have_attribute("data-record", "1")
    expect(resolved.locator(".resolution")).to_contain_text("include · by owner@example.org")
    expect(resolved.locator(".resolution")).to_contain_text("resolved by discussion")
    page.goto(f"{server}/reviews/1/agreement")
    expect(page.locator(".kappa")).to_contain_text("Cohen's kappa 0.000")
    expect(page.locator(".kappa")).to_contain_text("Agreement 50.0%")


def test_undo_reopens_my_last_decision_from_wherever_i_am(server: str, page: Page) -> None:
    sign_in(page, server, ANA)
    page.goto(f"{server}/reviews/1/screen/title_abstract")
    record = page.locator("article.record")
    expect(record).to_have_attribute("data-record", "1")
    page.keyboard.press("i")
    expect(page.locator("[data-message]")).to_contain_text("Recorded: include · record 1")
    page.keyboard.press("e")
    expect(page.locator("[data-message]")).to_contain_text("Recorded: exclude · record 2")
    page.keyboard.press("j")  # move on: the screen now shows another record
    expect(record).not_to_have_attribute("data-record", "2")
    page.keyboard.press("u")
    expect(record).to_have_attribute("data-record", "2")
    expect(page.locator("[data-message]")).to_contain_text("Undone: your call on record 2")
    page.keyboard.press("u")
    expect(record).to_have_attribute("data-record", "1")
    expect(page.locator("[data-message]")).to_contain_text("record 1")
    expect(page.locator(".progress span")).to_contain_text("0 of 10 decided")


def test_a_full_text_exclusion_without_a_reason_says_so_beside_the_button(server: str, page: Page) -> None:
    sign_in(page, server, ANA)
    page.goto(f"{server}/reviews/1/screen/title_abstract")
    page.keyboard.press("i")
    # Wait for each call to be stored before leaving the page (a busy machine is slow to answer).
    expect(page.locator("article.record")).to_have_attribute("data-record", "2")
    sign_out(page)
    sign_in(page, server, BEN)
    page.goto(f"{server}/reviews/1/screen/title_abstract")
    page.keyboard.press("i")  # both included record 1: it passes to full text
    expect(page.locator("article.record")).to_have_attribute("data-record", "2")
    page.goto(f"{server}/reviews/1/screen/full_text")
    expect(page.locator("article.record")).to_have_attribute("data-record", "1")
    expect(page.locator("#reason-hint")).to_contain_text("needs a reason")
    page.keyboard.press("e")
    expect(page.locator("#reason-hint")).to_have_class("hint error")
    expect(page.locator("article.record")).to_have_attribute("data-record", "1")  # nothing was posted
    page.select_option("select[name=reasons]", "wrong population")
    page.get_by_role("button", name="Exclude (e)").click()
    expect(page.locator("[data-message]")).to_contain_text("Recorded: exclude · record 1")
    expect(page.locator("[data-message]")).to_contain_text("reasons: wrong population")
