"""The main pages under the Content-Security-Policy in a real browser: no violation, styles applied (issue #11).

Every inline script, handler or style attribute the policy blocks is reported by the browser as a
``securitypolicyviolation`` event and a console error; the test collects both across the pages and
an htmx decision, and first checks that it does catch one (an inline script it injects itself).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.browser.conftest import sign_in
from tests.web.conftest import OWNER

from realreview import services
from realreview.fulltext import FileStore
from realreview.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""

PAGES = (
    "/",
    "/reviews/1",
    "/reviews/1/setup",
    "/reviews/1/screen/title_abstract",
    "/reviews/1/records/1",
    "/reviews/1/documents",
    "/reviews/1/documents/1",
    "/reviews/1/codes",
    "/reviews/1/codes/1",
    "/reviews/1/matrix",
    "/reviews/1/characteristics",
    "/reviews/1/summary",
    "/reviews/1/excerpts/1",
    "/reviews/1/agreement",
    "/reviews/1/conflicts",
)


@pytest.fixture
def seeded(app_url: str) -> str:
    """A document with an excerpt coded by a coloured code, so swatches and marks are drawn."""
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        ctx = services.trusted_context(session, review_id=1, actor="tester")
        store = FileStore(Settings(database_url=app_url).file_store_root())
        document = services.add_document(
            session, ctx, data=b"Staff trusted the audit data.", name="a.txt", store=store, max_bytes=2**20
        )
        code = services.create_code(session, ctx, name="Trust", color="#3366CC")
        services.add_excerpt(session, ctx, document_id=document.info.id, start=0, end=13, code_ids=[code.id])
    database.close()
    return app_url


def _violations(tab: Page) -> list[str]:
    return list(tab.evaluate("window.__violations"))


def test_main_pages_run_under_the_policy(seeded: str, server: str, page: Page) -> None:
    console: list[str] = []
    missing: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.add_init_script(WATCH)
    sign_in(page, server, OWNER)

    page.goto(f"{server}/reviews/1")
    page.evaluate("document.body.appendChild(document.createElement('script')).textContent = '1'")
    assert any("script-src" in v for v in _violations(page)), "the listener must catch an inline script"
    console.clear()

    seen: dict[str, list[str]] = {}
    for path in PAGES:
        page.goto(f"{server}{path}")
        page.wait_for_load_state("load")
        if found := _violations(page):
            seen[path] = found
    assert seen == {}
    assert console == []
    assert missing == []  # the favicon is served, nothing else is missing

    page.goto(f"{server}/reviews/1/codes")
    swatch = page.locator("#code-tree .swatch").first
    assert swatch.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(51, 102, 204)"
    page.goto(f"{server}/reviews/1/documents/1")
    mark = page.locator(".page mark").first
    assert mark.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(51, 102, 204, 0.5)"

    # htmx under the policy: a decision swaps in the next record, whose progress bar page.js sizes.
    page.goto(f"{server}/reviews/1/screen/title_abstract")
    first = page.locator("#record-panel article.record").get_attribute("data-record")
    page.keyboard.press("i")
    expect(page.locator("#record-panel article.record")).not_to_have_attribute("data-record", first or "")
    width = page.locator(".progress .bar").evaluate("e => e.style.width")
    assert width.endswith("%")  # empty if page.js had not styled the swapped-in panel
    assert _violations(page) == [] and console == []
