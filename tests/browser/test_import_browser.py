"""Import in a real browser: choose a real export, see what was detected, import, watch it run (issue #14)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.browser.conftest import sign_in
from tests.exports_table import EXPORTS
from tests.web.conftest import OWNER

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402


def test_the_owner_uploads_an_export_sees_its_format_and_imports_it(server: str, page: Page) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, server, OWNER)
    page.goto(f"{server}/reviews/1/import")
    page.set_input_files("input[data-import-files]", [str(EXPORTS / "ris/cff_scopus.ris")])
    preview = page.locator("[data-preview-file='cff_scopus.ris']")
    expect(preview.locator("[data-detected-format]")).to_have_text("ris")
    expect(preview.locator("[data-detected-database]")).to_contain_text("Scopus")
    expect(preview.locator("[data-detected-records]")).to_have_text("10")
    page.get_by_role("button", name="Import", exact=True).click()
    job = page.locator("#import-jobs article.job").first
    expect(job).to_contain_text("import of cff_scopus.ris")
    # The card comes with its progress bar and polls itself until the job has ended.
    page.wait_for_selector("#import-jobs article.job progress", state="attached", timeout=5_000)
    expect(job.locator(".job-report")).to_contain_text(
        "Imported 10 records from cff_scopus.ris", timeout=20_000
    )
    expect(job).to_have_attribute("data-job-status", "done")
    expect(page.locator("#import-previews article")).to_have_count(0)
    page.reload()  # the report outlives the page: it is the job's row
    expect(page.locator("#import-jobs article.job").first.locator(".job-report")).to_contain_text(
        "Imported 10 records"
    )
    assert errors == []


def test_a_broken_file_is_refused_at_the_preview(server: str, page: Page, tmp_path: Path) -> None:
    sign_in(page, server, OWNER)
    page.goto(f"{server}/reviews/1/import")
    notes = tmp_path / "notes.txt"
    notes.write_text("Just some words, no records.\n")
    page.set_input_files("input[data-import-files]", [str(notes)])
    expect(page.locator("[data-preview-file='notes.txt'] .error")).to_contain_text(
        "notes.txt: not a recognised export format"
    )
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-previews .error").last).to_contain_text(
        "Choose an export file that can be imported first"
    )
    expect(page.locator("#import-jobs article.job")).to_have_count(0)
