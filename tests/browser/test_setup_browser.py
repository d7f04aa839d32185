"""The owner's setup in a real browser (issue #14): create a review, invite a member who joins through
the link in a browser of their own, and log a search."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from tests.browser.conftest import sign_in
from tests.web.conftest import OWNER

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402


def _new_review(page: Page, base: str) -> str:
    """Create a review through the form; the review's URL."""
    page.get_by_role("link", name="New review").click()
    page.get_by_label("Title").fill("Equity in diabetes care")
    page.get_by_label("Review question").fill("What works, for whom, in which contexts?")
    page.get_by_label("Protocol registration").fill("PROSPERO CRD42023381062")
    page.get_by_label("Inclusion criteria (one per line)").fill("Quality improvement\nPrimary care")
    page.get_by_role("button", name="Create review").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}/reviews/\d+$"))
    return page.url


def test_owner_creates_a_review_and_a_member_joins_through_the_link(server: str, page: Page) -> None:
    sign_in(page, server, OWNER)
    review = _new_review(page, server)
    page.goto(f"{review}/members")
    expect(page.locator("table.members")).to_contain_text(OWNER)
    invite = page.locator("form[action$='/invitations']")
    invite.get_by_label("E-mail").fill("nia@example.org")
    invite.get_by_label("Role").select_option("reviewer")
    invite.get_by_role("button", name="Make invitation link").click()
    link = page.get_by_label("Invitation link").input_value()
    assert link.startswith(f"{server}/invite/")
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()

    assert page.context.browser is not None
    theirs = page.context.browser.new_context()  # the newcomer's own browser: no cookie of the owner's
    tab = theirs.new_page()
    tab.goto(link)
    expect(tab.get_by_role("heading", name="Join Equity in diabetes care")).to_be_visible()
    tab.get_by_label("Your name").fill("Nia")
    tab.get_by_label("Password", exact=True).fill("correct horse")
    tab.get_by_label("Password again").fill("correct horse")
    tab.get_by_role("button", name="Create account and join").click()
    expect(tab).to_have_url(review, timeout=20_000)  # argon2 hashing is slow on a small CI machine
    expect(tab.locator("header .who")).to_have_text("nia@example.org")
    tab.goto(link)
    expect(tab.get_by_role("alert")).to_contain_text("already used")
    theirs.close()

    page.goto(f"{review}/members")
    expect(page.locator("tr[data-member='nia@example.org']")).to_contain_text("Nia")
    expect(page.locator("table.invitations")).to_contain_text("used")


def test_owner_logs_a_search_and_sees_it_in_the_table(server: str, page: Page) -> None:
    sign_in(page, server, OWNER)
    page.goto(f"{server}/reviews/1/searches")
    page.get_by_label("Database", exact=True).fill("CINAHL")
    page.get_by_label("Platform").fill("EBSCOhost")
    page.get_by_label("Date run").fill("2024-05-01")
    page.get_by_label("Query").fill("(equity OR inequalit*) AND quality improvement")
    page.get_by_label("Hits reported").fill("120")
    page.get_by_label("Kind").select_option("database")
    page.get_by_role("button", name="Log search").click()
    row = page.locator("table.searches tbody tr", has_text="CINAHL")
    expect(row).to_contain_text("EBSCOhost")
    expect(row).to_contain_text("2024-05-01")
    expect(row.locator("td.num").nth(0)).to_have_text("120")
    expect(row.locator("td.num").nth(2)).to_have_text("-120")
    row.locator("details.query summary").click()
    expect(row.locator("details.query pre")).to_have_text("(equity OR inequalit*) AND quality improvement")
