"""Hostile uploads through the web app (issue 11): a 400 naming the file and the limit; the app lives on."""

from __future__ import annotations

import dataclasses
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient
from tests.hostile import flate_bomb_pdf
from tests.web.conftest import ANA, Client, csrf


def _post_file(client: TestClient, path: str, page: str, name: str, data: bytes) -> object:
    token = csrf(client, page)
    files = {"file": (name, data, "application/octet-stream")}
    return client.post(path, data={"csrf_token": token}, files=files, follow_redirects=False)


def test_a_pdf_bomb_upload_is_a_400_naming_the_memory_limit(
    web: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = web(ANA)
    settings = client.app.state.settings  # type: ignore[attr-defined]
    # The limit comes from the app's settings (REALREVIEW_PARSE_MEMORY_MB when it started).
    client.app.state.settings = dataclasses.replace(  # type: ignore[attr-defined]
        settings, parse_limits=dataclasses.replace(settings.parse_limits, memory_mb=128)
    )

    answer = _post_file(
        client, "/reviews/1/documents", "/reviews/1/documents", "bomb.pdf", flate_bomb_pdf(200)
    )

    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert answer.context["error"] == (  # type: ignore[attr-defined]
        "bomb.pdf: PDF text extraction exceeded the 128 MiB memory limit (REALREVIEW_PARSE_MEMORY_MB)"
    )
    fine = _post_file(client, "/reviews/1/documents", "/reviews/1/documents", "fine.txt", b"Fine text.")
    assert fine.status_code == 303  # type: ignore[attr-defined]
    listing = client.get("/reviews/1/documents").text
    assert "fine.txt" in listing and "bomb.pdf" not in listing


def test_a_far_cell_sheet_upload_is_a_400_naming_the_cell_limit(web: Client) -> None:
    client = web(ANA)
    book = openpyxl.Workbook()
    book.active.append(["record_id", "Year"])  # type: ignore[union-attr]
    book.active["XFD1048576"] = "x"  # type: ignore[index]
    out = io.BytesIO()
    book.save(out)

    answer = _post_file(
        client, "/reviews/1/characteristics.xlsx", "/reviews/1/characteristics", "far.xlsx", out.getvalue()
    )

    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert answer.context["error"] == (  # type: ignore[attr-defined]
        "far.xlsx: sheet 'Sheet' spans A1:XFD1048576 (17,179,869,184 cells), over the limit of 500,000 cells "
        "(REALREVIEW_MAX_SHEET_CELLS)"
    )
