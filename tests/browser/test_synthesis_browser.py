"""From coded passages to a versioned CMOC in a real browser (issue #12).

Two excerpts are coded with the mouse in two documents; one CMOC is built from them (its context
from the first, its mechanism and outcome from the second), both are seen under it, a version is
taken, the CMOC is reworded, and the diff of the version with the synthesis as it stands shows it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.browser.conftest import drag_over, sign_in
from tests.web.conftest import ANA

from realreview import services
from realreview.fulltext import FileStore
from realreview.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402

CONTEXT = "Audit data were split by ethnicity for the first time."
MECHANISM = "Managers saw the gap and felt they had to act."
TEXTS = {
    "audit.txt": f"Background.\n{CONTEXT}\nThe rest of the report.",
    "interviews.txt": f"Interview notes.\n{MECHANISM}\nOutreach was funded.",
}


@pytest.fixture
def seeded(app_url: str) -> str:
    """Two documents and the code "Data" in review 1."""
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        ctx = services.trusted_context(session, review_id=1, actor="tester")
        store = FileStore(Settings(database_url=app_url).file_store_root())
        for name, text in TEXTS.items():
            services.add_document(session, ctx, data=text.encode(), name=name, store=store, max_bytes=2**20)
        services.create_code(session, ctx, name="Data", color="#3366CC")
    database.close()
    return app_url


def _code(page: Page, server: str, document: int, sentence: str) -> None:
    page.goto(f"{server}/reviews/1/documents/{document}")
    drag_over(page, sentence)
    panel = page.locator("#code-panel")
    expect(panel).to_be_visible()
    panel.get_by_label("Data").check()
    panel.get_by_role("button", name="Code it").click()
    expect(page.locator("div.page mark[data-excerpt]")).to_have_count(1)


def _link(page: Page, sentence: str, component: str, note: str = "") -> None:
    form = page.locator("#evidence-form")
    option = form.locator("select[name=excerpt_id] option", has_text=sentence[:40])
    form.locator("select[name=excerpt_id]").select_option(option.get_attribute("value"))
    form.locator("select[name=component]").select_option(component)
    if note:
        form.locator("textarea[name=interpretation]").fill(note)
    form.get_by_role("button", name="Link excerpt").click()


def test_build_a_cmoc_from_two_documents_and_diff_a_version(server: str, seeded: str, page: Page) -> None:
    page.set_viewport_size({"width": 800, "height": 900})
    sign_in(page, server, ANA)
    _code(page, server, 1, CONTEXT)
    _code(page, server, 2, MECHANISM)

    page.goto(f"{server}/reviews/1/synthesis")
    cluster = page.locator("#cluster-form")
    cluster.get_by_label("Key").fill("data")
    cluster.get_by_label("Title").fill("Data and its use")
    cluster.get_by_role("button", name="Add cluster").click()
    cmoc = page.locator("#cmoc-form")
    cmoc.get_by_label("Label").fill("1A")
    cmoc.get_by_label("Context").fill("audit data are split by ethnicity")
    cmoc.get_by_label("Mechanism").fill("managers feel they must act")
    cmoc.get_by_label("Outcome").fill("outreach is funded")
    cmoc.get_by_label("Direction").select_option("reduces")
    cmoc.get_by_role("button", name="Add CMOC").click()
    expect(page).to_have_url(f"{server}/reviews/1/cmocs/1A")
    expect(page.locator(".gaps")).to_contain_text("context, mechanism, outcome")

    _link(page, CONTEXT, "context", note="the split is the new context")
    _link(page, MECHANISM, "mechanism")
    _link(page, MECHANISM, "outcome")
    expect(page.locator(".gaps")).to_have_count(0)
    expect(page.locator("[data-component=context] .evidence blockquote")).to_have_text(CONTEXT)
    expect(page.locator("[data-component=mechanism] .evidence blockquote")).to_have_text(MECHANISM)
    expect(page.locator("[data-component=outcome] .evidence blockquote")).to_have_text(MECHANISM)
    expect(page.locator("[data-component=context] .evidence")).to_contain_text("audit.txt")
    expect(page.locator("[data-component=mechanism] .evidence")).to_contain_text("interviews.txt")
    assert page.evaluate("document.documentElement.scrollWidth") <= 800  # no sideways scrolling at 800 px

    page.goto(f"{server}/reviews/1/theory")
    form = page.locator("#snapshot-form")
    form.get_by_label("Name").fill("initial")
    form.get_by_label("What changed").fill("first CMOC from two documents")
    form.get_by_role("button", name="Take version").click()
    expect(page.locator("tr[data-version=initial]")).to_contain_text("1 clusters, 1 CMOCs")

    page.goto(f"{server}/reviews/1/cmocs/1A")
    page.locator("#cmoc-edit").get_by_label("Outcome").fill("outreach is funded for the groups left out")
    page.locator("#cmoc-edit").get_by_role("button", name="Save wording").click()
    expect(page.locator(".history li")).to_have_count(2)

    page.goto(f"{server}/reviews/1/theory")
    diff = page.locator("section.diff")
    expect(diff).to_contain_text("initial → as it stands")
    expect(diff.locator("li.reworded")).to_contain_text("outreach is funded for the groups left out")
    for path in ("/reviews/1/theory", "/reviews/1/synthesis"):  # no sideways scrolling at 800 px
        page.goto(f"{server}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 800, path
    expect(page.locator("tr[data-cmoc='1A'] .evidence-count")).to_have_text("2 excerpts, 2 documents")
