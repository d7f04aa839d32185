"""The screening flow in a real browser: Debian's chromium driven by Playwright.

Log in, screen five records with the keyboard, tag one; a second reviewer disagrees on a record; the
owner resolves the conflict; the agreement page shows kappa.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from tests.web.conftest import ANA, BEN, OWNER, PASSWORD

from realreview.settings import Settings
from realreview.web import create_app

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(app_url: str) -> Iterator[str]:
    if not app_url.startswith("sqlite"):
        pytest.skip("one database is enough for the browser flow")
    port = _free_port()
    app = create_app(Settings(database_url=app_url, secret_key="browser-test"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        context = browser.new_context()
        yield context.new_page()
        context.close()
        browser.close()


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="Your reviews")).to_be_visible()


def sign_out(page: Page) -> None:
    page.click("header button[type=submit]")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_screen_with_the_keyboard_disagree_resolve_and_see_kappa(server: str, page: Page) -> None:
    sign_in(page, server, ANA)
    page.goto(f"{server}/reviews/1/screen/title_abstract")
    record = page.locator("article.record")
    expect(record).to_have_attribute("data-record", "1")
    # Tag the first record, then include it with the keyboard.
    page.select_option("select.tag-select >> nth=0", "Socioeconomic status")
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
    expect(page.get_by_text("No conflicts.")).to_be_visible()
    page.goto(f"{server}/reviews/1/agreement")
    expect(page.locator(".kappa")).to_contain_text("Cohen's kappa 0.000")
    expect(page.locator(".kappa")).to_contain_text("Agreement 50.0%")
