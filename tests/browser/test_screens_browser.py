"""Screens that feel like Rayyan, Covidence and NVivo (issue #14), in a real browser.

Screening at 800 px: nothing overflows, a tag is one click, Esc hands the keys back, the address
follows the record and a reload returns to it. Coding: each code its own colour, named on hover;
the matrix in code-tree order with a parent's total.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.browser.conftest import sign_in
from tests.web.conftest import ANA, OWNER

from realreview import services
from realreview.fulltext import FileStore
from realreview.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402

OVERFLOW = "document.documentElement.scrollWidth"


def test_screening_at_800_px_chips_escape_and_the_address(server: str, page: Page) -> None:
    page.set_viewport_size({"width": 800, "height": 900})
    sign_in(page, server, ANA)
    page.goto(f"{server}/reviews/1/screen/title_abstract")
    record = page.locator("article.record")
    expect(record).to_have_attribute("data-record", "1")
    assert page.evaluate(OVERFLOW) <= 800
    # The address names the record shown.
    expect(page).to_have_url(f"{server}/reviews/1/screen/title_abstract?record=1")
    # Every tag is on screen and one click sets it.
    chip = page.locator(".chip", has_text="Socioeconomic status")
    expect(chip).to_be_visible()
    chip.click()
    expect(chip.locator("input")).to_be_checked()
    page.keyboard.press("i")  # keys act with a chip focused
    expect(record).to_have_attribute("data-record", "2")
    expect(page).to_have_url(f"{server}/reviews/1/screen/title_abstract?record=2")
    expect(page.locator("[data-message]")).to_contain_text("tags: Socioeconomic status")
    # A field keeps the letters until Esc hands them back to the record.
    note = page.locator("input.note")
    note.click()
    page.keyboard.type("ie")
    expect(note).to_have_value("ie")
    expect(record).to_have_attribute("data-record", "2")
    page.keyboard.press("Escape")
    page.keyboard.press("e")
    expect(record).to_have_attribute("data-record", "3")
    assert page.evaluate(OVERFLOW) <= 800
    # A reload returns to the same record.
    page.reload()
    expect(page.locator("article.record")).to_have_attribute("data-record", "3")
    # Filters are drop-downs of the real values; choosing one applies it.
    page.select_option("select[name=filter]", "all")
    expect(page).to_have_url(f"{server}/reviews/1/screen/title_abstract?filter=all&tag=&reason=&q=&record=1")
    page.select_option("select[name=tag]", "Socioeconomic status")
    expect(page.locator(".progress span")).to_contain_text("1 in this list")
    # A phone: the page reads without sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate(OVERFLOW) <= 390


TEXT = "Rural clinics were far from town. Staff trusted the managers."


@pytest.fixture
def coded(app_url: str) -> str:
    """A document with two overlapping codings: Context (a parent) and Rural (its child), no colours given."""
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        ctx = services.trusted_context(session, review_id=1, actor=ANA)
        store = FileStore(Settings(database_url=app_url).file_store_root())
        services.add_document(
            session, ctx, data=TEXT.encode(), name="notes.txt", store=store, max_bytes=2**20
        )
        parent = services.create_code(session, ctx, name="Context")
        child = services.create_code(session, ctx, name="Rural", parent_id=parent.id)
        services.add_excerpt(session, ctx, document_id=1, start=0, end=33, code_ids=[parent.id])
        services.add_excerpt(session, ctx, document_id=1, start=0, end=13, code_ids=[child.id])
    database.close()
    return app_url


def test_codes_differ_in_colour_are_named_on_hover_and_the_matrix_totals_a_parent(
    server: str, coded: str, page: Page
) -> None:
    page.set_viewport_size({"width": 800, "height": 900})
    sign_in(page, server, ANA)
    page.goto(f"{server}/reviews/1/documents/1")
    both = page.locator("div.page mark", has_text="Rural clinics")
    expect(both).to_have_attribute("title", "Context, Rural")
    only = page.locator("div.page mark", has_text="were far from town.")
    expect(only).to_have_attribute("title", "Context")
    colours = page.evaluate(
        """() => Array.from(document.querySelectorAll(".excerpt-codes .swatch"),
                            s => getComputedStyle(s).backgroundColor)"""
    )
    assert len(set(colours)) == 2, colours  # Context and Rural, each its own colour
    # Covered by both codes: a stripe of each colour.
    assert "linear-gradient" in both.evaluate("m => getComputedStyle(m).backgroundImage")
    assert page.evaluate(OVERFLOW) <= 800
    page.goto(f"{server}/reviews/1/matrix")
    names = page.locator("table.matrix tbody th").all_inner_texts()
    assert [n.split(" (")[0].strip() for n in names] == ["Context", "Rural"]
    parent = page.locator("table.matrix tr.parent")
    expect(parent.locator("td").first).to_have_text("2")  # its own excerpt and its child's
    parent.locator("td a").first.click()
    expect(page.locator(".code-excerpt")).to_have_count(2)
    expect(page.locator(".code-excerpt .coder").first).to_have_text(ANA)
    assert page.evaluate(OVERFLOW) <= 800


@pytest.fixture
def two_studies(app_url: str) -> str:
    """Full texts attached to records 1 and 2: the characteristics table has two studies."""
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        ctx = services.trusted_context(session, review_id=1, actor=OWNER)
        store = FileStore(Settings(database_url=app_url).file_store_root())
        for record_id in (1, 2):
            data = f"Full text of record {record_id}.".encode()
            services.add_document(
                session,
                ctx,
                data=data,
                name=f"r{record_id}.txt",
                record_id=record_id,
                store=store,
                max_bytes=2**20,
            )
    database.close()
    return app_url


def test_characteristics_fit_at_800_px(server: str, two_studies: str, page: Page) -> None:
    page.set_viewport_size({"width": 800, "height": 900})
    sign_in(page, server, OWNER)
    page.goto(f"{server}/reviews/1/characteristics")
    expect(page.locator(".char-table tbody tr")).to_have_count(2)
    assert page.evaluate(OVERFLOW) <= 800
