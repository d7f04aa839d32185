"""The browser tests use the web tests' review (one review, real records, four members).

A server over it runs in a thread on a free port (``server``), and ``page`` is a tab of Debian's
chromium driven by Playwright; ``sign_in`` logs a member in.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn
from tests.web.conftest import PASSWORD, app_url  # noqa: F401

from realreview.settings import Settings
from realreview.web import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(app_url: str) -> Iterator[str]:  # noqa: F811
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
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("Debian's chromium is not installed here (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        context = browser.new_context()
        yield context.new_page()
        context.close()
        browser.close()


def sign_in(page: Page, base: str, email: str) -> None:
    """Log ``email`` in through the login form and wait for their list of reviews."""
    from playwright.sync_api import expect

    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    # Generous: signing in hashes the password (argon2), slow on a busy 2-core CI machine.
    expect(page.get_by_role("heading", name="Your reviews")).to_be_visible(timeout=20_000)


def drag_over(tab: Page, sentence: str) -> None:
    """Select ``sentence`` in the reading view as a reader does: press on its first character, release on its last."""
    box = tab.evaluate(
        """(sentence) => {
            const walker = document.createTreeWalker(document.querySelector(".reader"), NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(sentence);
                if (at < 0) continue;
                const rect = (from, to) => {
                    const r = document.createRange();
                    r.setStart(walker.currentNode, from);
                    r.setEnd(walker.currentNode, to);
                    return r.getBoundingClientRect();
                };
                const first = rect(at, at + 1), last = rect(at + sentence.length - 1, at + sentence.length);
                return {x1: first.left + 1, y1: first.top + first.height / 2,
                        x2: last.right - 1, y2: last.top + last.height / 2};
            }
            return null;
        }""",
        sentence,
    )
    assert box is not None, "sentence not on the page"
    tab.mouse.move(box["x1"], box["y1"])
    tab.mouse.down()
    tab.mouse.move(box["x2"], box["y2"], steps=8)
    tab.mouse.up()
