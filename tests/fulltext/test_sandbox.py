"""PDF text extraction under a memory and time budget (issue 11: a Flate bomb killed the server)."""

from __future__ import annotations

import resource
import time

import pytest
from tests.hostile import flate_bomb_pdf

from realreview.errors import FileTooLargeError, NoTextLayerError, ParseError
from realreview.fulltext import ParseLimits, extract_document, extract_pdf, run_limited
from realreview.fulltext.sandbox import _error_class

MiB = 2**20


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = flate_bomb_pdf(200)
    assert len(data) < 300_000
    return data


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_flate_bomb_is_refused_at_the_memory_limit_not_called_a_scan(bomb: bytes) -> None:
    before = _peak_mib()
    started = time.perf_counter()

    with pytest.raises(FileTooLargeError) as caught:
        extract_pdf(bomb, name="bomb.pdf", limits=ParseLimits(memory_mb=128))

    assert str(caught.value) == (
        "bomb.pdf: PDF text extraction exceeded the 128 MiB memory limit (REALREVIEW_PARSE_MEMORY_MB)"
    )
    assert time.perf_counter() - started < 10
    assert _peak_mib() - before < 50  # the 200 MiB of spaces were never decoded in this process


def test_the_same_bomb_within_a_larger_budget_is_a_page_without_text(bomb: bytes) -> None:
    """The refusal above is the budget's doing: given room, the file is read (and has no text)."""
    with pytest.raises(NoTextLayerError):
        extract_pdf(bomb, name="bomb.pdf", limits=ParseLimits(memory_mb=2048))


def test_extract_document_passes_the_limits_on(bomb: bytes) -> None:
    with pytest.raises(FileTooLargeError, match=r"^bomb\.pdf: PDF text extraction exceeded the 128 MiB"):
        extract_document(bomb, name="bomb.pdf", max_bytes=MiB, limits=ParseLimits(memory_mb=128))


def test_the_memory_limit_comes_from_the_environment(bomb: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REALREVIEW_PARSE_MEMORY_MB", "96")

    with pytest.raises(FileTooLargeError, match=r"exceeded the 96 MiB memory limit"):
        extract_pdf(bomb, name="bomb.pdf")


def test_the_time_limit_stops_the_child(new_pdf) -> None:
    data = new_pdf().text("Fine.").build()
    started = time.perf_counter()

    with pytest.raises(FileTooLargeError) as caught:
        extract_pdf(data, name="slow.pdf", limits=ParseLimits(seconds=0.01))

    assert str(caught.value) == (
        "slow.pdf: PDF text extraction exceeded the 0.01 s time limit (REALREVIEW_PARSE_SECONDS)"
    )
    assert time.perf_counter() - started < 2


def test_a_normal_pdf_costs_little_more_in_a_child(new_pdf) -> None:
    data = new_pdf().text("Context, mechanism, outcome.").text("Page two.").build()
    extract_pdf(data, name="warm.pdf")  # the first start pays for the disk cache
    started = time.perf_counter()

    for _ in range(3):
        assert extract_pdf(data, name="a.pdf").text == "Context, mechanism, outcome.\fPage two."

    assert (time.perf_counter() - started) / 3 < 1


def test_errors_of_the_child_come_back_as_themselves() -> None:
    with pytest.raises(ParseError) as caught:
        run_limited(
            "realreview.fulltext.pdf:read_pdf_pages",
            b"%PDF-1.4 junk",
            limits=ParseLimits(),
            name="junk.pdf",
            what="PDF text extraction",
        )
    assert str(caught.value) == "junk.pdf: not a readable PDF (pdfium error 3)"


def test_a_child_that_fails_otherwise_is_one_line() -> None:
    with pytest.raises(ParseError) as caught:
        run_limited("json:loads", b"{}", limits=ParseLimits(), name="x.pdf", what="PDF text extraction")
    assert str(caught.value) == "x.pdf: PDF text extraction failed (the reader stopped with status 1)"


def test_a_reply_can_only_name_our_input_errors() -> None:
    assert _error_class("NoTextLayerError") is NoTextLayerError
    assert _error_class("SystemExit") is ParseError
    assert _error_class("ReviewError") is ParseError  # not an input error
    assert _error_class(["x"]) is ParseError


def test_limits_read_from_the_environment_and_default() -> None:
    assert ParseLimits.from_env({}) == ParseLimits(memory_mb=384, seconds=30.0, max_sheet_cells=500_000)
    assert ParseLimits.from_env(
        {
            "REALREVIEW_PARSE_MEMORY_MB": "1024",
            "REALREVIEW_PARSE_SECONDS": "2.5",
            "REALREVIEW_MAX_SHEET_CELLS": "7",
        }
    ) == ParseLimits(memory_mb=1024, seconds=2.5, max_sheet_cells=7)
