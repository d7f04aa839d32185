"""Coding an excerpt in a real browser: select a sentence with the mouse, code it, find it on the code's page.

The text puts an emoji before the sentence, on the second page: the browser counts UTF-16 units, the
server code points, so a wrong offset in coding.js would be refused by the server's text check.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.browser.conftest import drag_over, sign_in
from tests.web.conftest import ANA, member_ctx

from realreview import services
from realreview.fulltext import FileStore
from realreview.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402

SENTENCE = "Trust grew when managers listened."
TEXT = f"Page one.\fA smile 😀 opened the meeting.\n{SENTENCE}\nThen the audit began."


@pytest.fixture
def seeded(app_url: str) -> str:
    """Document 1 (TEXT) and the code "Trust" (1) in the review, made through the services."""
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        ctx = services.trusted_context(session, review_id=1, actor="tester")
        store = FileStore(Settings(database_url=app_url).file_store_root())
        services.add_document(
            session, ctx, data=TEXT.encode(), name="minutes.txt", store=store, max_bytes=2**20
        )
        services.create_code(session, ctx, name="Trust", color="#3366CC")
    database.close()
    return app_url


def test_select_a_sentence_code_it_and_see_it_on_the_code_page(server: str, seeded: str, page: Page) -> None:
    sign_in(page, server, ANA)
    page.goto(f"{server}/reviews/1/documents/1")
    expect(page.locator("div.page")).to_have_count(2)
    panel = page.locator("#code-panel")
    expect(panel).to_be_hidden()
    drag_over(page, SENTENCE)
    expect(panel).to_be_visible()
    expect(panel.locator(".code-panel-quote")).to_have_text(SENTENCE)
    panel.get_by_label("Trust").check()
    panel.get_by_role("button", name="Code it").click()
    mark = page.locator("div.page mark[data-excerpt]")
    expect(mark).to_have_text(SENTENCE)
    expect(page.locator(".excerpt-list blockquote")).to_have_text(SENTENCE)
    expect(page.locator("#code-panel")).to_be_hidden()
    # A second excerpt after the first one's <mark>, with a new code named in the panel.
    drag_over(page, "the audit")
    page.locator("#code-panel input[name=new_code]").fill("Audit")
    page.locator("#code-panel").get_by_role("button", name="Code it").click()
    expect(page.locator("div.page mark[data-excerpt]")).to_have_count(2)

    page.goto(f"{server}/reviews/1/codes/1")
    expect(page.locator(".excerpt-text")).to_have_text(SENTENCE)

    database = services.connect(seeded)
    with database.unit_of_work() as session:
        (excerpt,) = services.excerpts_of_code(session, member_ctx(session, ANA), code_id=1)
        (_, second) = services.excerpts_of_document(session, member_ctx(session, ANA), document_id=1)
    database.close()
    start = TEXT.index(SENTENCE)
    assert (excerpt.start, excerpt.end, excerpt.text, excerpt.page) == (
        start,
        start + len(SENTENCE),
        SENTENCE,
        2,
    )
    assert excerpt.created_by == ANA
    assert (second.start, second.text) == (TEXT.index("the audit"), "the audit")
