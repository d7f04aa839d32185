"""PDFs drawn with reportlab inside the tests, so each test shows the text it expects back."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


class PdfBuilder:
    """A PDF made page by page: ``PdfBuilder().text("line 1", "line 2").image().build()``."""

    def __init__(self) -> None:
        self._pages: list[tuple[str, tuple[str, ...]]] = []

    def text(self, *lines: str) -> PdfBuilder:
        """A page with ``lines`` in 12 pt Helvetica (standard fonts only draw Latin-1/WinAnsi)."""
        self._pages.append(("text", lines))
        return self

    def invisible_text(self, *lines: str) -> PdfBuilder:
        """A page whose text is drawn invisibly (render mode 3), like the OCR layer of a scan."""
        self._pages.append(("invisible", lines))
        return self

    def image(self) -> PdfBuilder:
        """A page holding only a raster image, like a scanned page."""
        self._pages.append(("image", ()))
        return self

    def shapes(self) -> PdfBuilder:
        """A page holding only vector graphics."""
        self._pages.append(("shapes", ()))
        return self

    def build(self, *, encrypt: object = None) -> bytes:
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
        for kind, lines in self._pages:
            _draw(pdf, kind, lines)
            pdf.showPage()
        pdf.save()
        return buffer.getvalue()


def _draw(pdf: canvas.Canvas, kind: str, lines: tuple[str, ...]) -> None:
    if kind == "image":
        png = io.BytesIO()
        Image.new("RGB", (200, 100), "gray").save(png, "PNG")
        png.seek(0)
        pdf.drawImage(ImageReader(png), 72, 600, 200, 100)
    elif kind == "shapes":
        pdf.rect(100, 100, 200, 200, fill=1)
        pdf.line(72, 72, 500, 700)
    else:
        text = pdf.beginText(72, 770)
        text.setFont("Helvetica", 12)
        text.setLeading(15)
        if kind == "invisible":
            text.setTextRenderMode(3)
        for line in lines:
            text.textLine(line)
        pdf.drawText(text)


@pytest.fixture
def new_pdf() -> type[PdfBuilder]:
    """The :class:`PdfBuilder` class (conftest modules cannot be imported under importlib mode)."""
    return PdfBuilder
