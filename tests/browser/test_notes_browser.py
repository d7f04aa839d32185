"""A memo's history in a real browser: write, reword, read the earlier wording (htmx), remove it (issue #10)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.browser.conftest import sign_in
from tests.web.conftest import ANA, BEN

from realreview import services
from realreview.fulltext import FileStore
from realreview.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture
def document(app_url: str) -> str:
    """Document 1 in the review, added by Ana through the services."""
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        ctx = services.review_context(session, review_id=1, email=ANA)
        store = FileStore(Settings(database_url=app_url).file_store_root())
        services.add_document(
            session,
            ctx,
            data=b"Minutes of the audit meeting.",
            name="minutes.txt",
            store=store,
            max_bytes=2**20,
        )
    database.close()
    return app_url


def test_reword_a_memo_read_its_first_wording_and_remove_it(server: str, document: str, page: Page) -> None:
    sign_in(page, server, ANA)
    page.goto(f"{server}/reviews/1/documents/1")
    memos = page.locator("#memos-document-1")
    memos.get_by_label("Memo", exact=True).fill("Trust first")
    memos.get_by_role("button", name="Add memo").click()
    memo = memos.locator("article.memo")
    expect(memo.locator(".memo-text")).to_have_text("Trust first")
    memo.locator("summary", has_text="edit").click()
    memo.get_by_label("Memo text").fill("Trust, then voice")
    memo.get_by_role("button", name="Save memo").click()
    expect(memo.locator(".memo-text")).to_have_text("Trust, then voice")
    expect(memo.locator(".memo-versions-link")).to_have_text("2 versions")
    memo.locator("summary", has_text="earlier wordings").click()  # loads the versions (htmx)
    versions = memo.locator(".memo-version-list li")
    expect(versions).to_have_count(2)
    expect(versions.first.locator(".memo-text")).to_have_text("Trust first")
    expect(versions.first).to_contain_text(f"version 1 · {ANA}")
    memo.locator("summary", has_text="remove").click()
    memo.get_by_role("button", name="Remove memo").click()
    expect(memos.locator("article.memo")).to_have_count(0)
    expect(memos.locator(".memos-removed summary")).to_have_text("1 removed memo")


def test_a_colleague_sees_the_memo_but_no_edit_or_remove(server: str, document: str, page: Page) -> None:
    database = services.connect(document)
    with database.unit_of_work() as session:
        services.add_memo(
            session,
            services.review_context(session, review_id=1, email=ANA),
            target_kind=services.MemoTarget.DOCUMENT,
            target_id=1,
            text="Ana's reading",
        )
    database.close()
    sign_in(page, server, BEN)
    page.goto(f"{server}/reviews/1/documents/1")
    memo = page.locator("#memos-document-1 article.memo")
    expect(memo.locator(".memo-text")).to_have_text("Ana's reading")
    expect(memo.locator("summary", has_text="edit")).to_have_count(0)
    expect(memo.locator("summary", has_text="remove")).to_have_count(0)
