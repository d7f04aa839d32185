"""Hostile uploads through the web app (issue 11): a 400 naming the file and the limit; the app lives on."""

from __future__ import annotations

import dataclasses
import io
import zlib

import openpyxl
import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import ANA, Client, csrf


def _flate_bomb(megabytes: int) -> bytes:
    packer = zlib.compressobj(9)
    stream = b"".join(packer.compress(b" " * 2**20) for _ in range(megabytes)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return body + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


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

    answer = _post_file(client, "/reviews/1/documents", "/reviews/1/documents", "bomb.pdf", _flate_bomb(200))

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
