"""The worked example in a real browser: its overview, its PRISMA page and figure, its programme theory diagram."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.browser.conftest import sign_in
from tests.web.conftest import PASSWORD

from realreview import services
from realreview.fulltext import FileStore
from realreview.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture
def example(app_url: str) -> int:
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        review_id, _ = services.load_example(
            session,
            actor="tester",
            store=FileStore(Settings(database_url=app_url).file_store_root()),
            max_bytes=2**24,
        )
        services.set_password(session, email="jf@example.org", password=PASSWORD, actor="tester")
    database.close()
    return review_id


def _svg_text(page: Page, url: str) -> str:
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")
    return response.text()


def test_example_overview_prisma_and_diagram(example: int, server: str, page: Page) -> None:
    sign_in(page, server, "jf@example.org")
    page.get_by_role("link", name="a realist review of quality improvement", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("realist review of quality improvement")
    page.get_by_role("link", name="PRISMA flow").click()
    expect(page.get_by_role("heading", name="PRISMA 2020 flow diagram")).to_be_visible()
    expect(page.locator("tr[data-box=records_screened]")).to_contain_text("6259 †")
    expect(page.locator("tr[data-box=new_studies]")).to_contain_text("36 †")
    figure = page.get_by_role("img", name="PRISMA 2020 flow diagram of the review")
    expect(figure).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", figure.element_handle()) > 300
    svg = _svg_text(page, f"{server}/reviews/{example}/prisma.svg")
    assert "9,859" in svg or "9859" in svg
    page.goto(f"{server}/reviews/{example}")
    page.get_by_role("link", name="programme theory").click()
    diagram = page.locator("img.diagram")
    expect(diagram).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", diagram.element_handle()) > 300
    theory = _svg_text(page, f"{server}/reviews/{example}/theory/diagram.svg")
    for cluster in ("Values and understanding", "Resources", "Data", "Design"):
        assert cluster in theory
