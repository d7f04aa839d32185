"""Hostile inputs for issue 11 (points 7 and 10): bombs, truncations, control characters, wrong encodings.

Each :class:`Hostile` builds its bytes in memory, fast, at a ``scale``: ``"test"`` (small, but past the
default limits) or ``"full"`` (the sizes the issue measured, for ``benchmarks/hostile_inputs.py``).
Bombs are built without compressing their payload: a raw deflate block of a 64 MiB chunk, flushed with
``Z_FULL_FLUSH``, is the same for every chunk, so a 4 GiB stream costs one 64 MiB compression.

``entry`` names where a class is fed: ``import`` (``realreview import``), ``characteristics``
(``characteristics import`` and the sheet upload), ``documents`` (``documents add`` and the full-text
upload), ``qdpx`` (``qdpx import``) and ``screen`` (``screen import``).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import openpyxl

EXPORTS = Path(__file__).parent / "data" / "exports"
MiB = 2**20
_CHUNK = 64 * MiB

#: A valid export per format (real, trimmed files), named as a user would upload them.
EXPORT_BASES = {
    "ris": ("ris/cff_scopus.ris", "scopus.ris"),
    "bibtex": ("bibtex/ecolqrps_wos_savedrecs.bib", "savedrecs.bib"),
    "nbib": ("medline_nbib/rayyan_plugins_example1.nbib", "pubmed.nbib"),
    "pubmed_xml": ("pubmed_xml/asreview_pubmed.xml", "pubmed.xml"),
    "endnote_xml": ("endnote_xml/reflib_spidercite_demo.xml", "endnote.xml"),
    "csv": ("other_database_csv/cff_pubmed.csv", "pubmed.csv"),
    "wos": ("wos_plaintext/wosfile_wos_plaintext.txt", "savedrecs.txt"),
}
XML_FORMATS = ("pubmed_xml", "endnote_xml")


@dataclass(frozen=True)
class Hostile:
    """One hostile input: its class, where it goes, its file name and how it is built.

    ``expect`` is ``"refuse"`` (exit 1 / a 4xx, nothing stored) or ``"any"`` (refused, or imported
    with a note naming the repair). ``xfail`` names the issue point whose limit is not in yet.
    """

    name: str
    entry: str
    filename: str
    build: Callable[[str], bytes]
    expect: str = "refuse"
    xfail: str | None = None
    bomb: bool = False


# -- deflate without the cost -------------------------------------------------------------------------


@cache
def _zero_block(fill: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(bytes([fill]) * _CHUNK) + packer.flush(zlib.Z_FULL_FLUSH)


_FINAL_EMPTY_BLOCK = b"\x03\x00"  # a final, empty fixed-Huffman block


def deflate_fill(size: int, *, fill: int = 0) -> tuple[bytes, int]:
    """Raw deflate of ``size`` (a multiple of 64 MiB) bytes ``fill``, and their CRC-32."""
    chunks = max(1, size // _CHUNK)
    crc = 0
    piece = bytes([fill]) * _CHUNK
    for _ in range(chunks):
        crc = zlib.crc32(piece, crc)
    return _zero_block(fill) * chunks + _FINAL_EMPTY_BLOCK, crc


def zlib_zeros(size: int) -> bytes:
    """A zlib stream (as PDF's FlateDecode wants) of ``size`` zero bytes, a multiple of 64 MiB."""
    chunks = max(1, size // _CHUNK)
    n = chunks * _CHUNK
    adler = ((n % 65521) << 16) | 1  # Adler-32 of n zeros: a stays 1, b counts the bytes
    return b"\x78\xda" + _zero_block(0) * chunks + _FINAL_EMPTY_BLOCK + struct.pack(">I", adler)


def zip_bytes(members: dict[str, bytes | tuple[bytes, int, int]]) -> bytes:
    """A zip of ``members``: plain bytes (deflated here) or ``(raw deflate, size, crc)`` as given."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, member in members.items():
        if isinstance(member, bytes):
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            member = (packer.compress(member) + packer.flush(), len(member), zlib.crc32(member))
        data, size, crc = member
        offset, encoded = out.tell(), name.encode()
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded + data)
        central.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset) + encoded
        )
    directory = central.getvalue()
    count = len(members)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), out.tell(), 0)
    return out.getvalue() + directory + end


def unzip(data: bytes) -> dict[str, bytes]:
    """The members of a (small) zip."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# -- exports ------------------------------------------------------------------------------------------


def export_base(fmt: str) -> bytes:
    """The valid export of ``fmt``, as bytes."""
    return (EXPORTS / EXPORT_BASES[fmt][0]).read_bytes()


def _insert(data: bytes, at: float, what: bytes) -> bytes:
    # Inside a line's value (just before its last character), not between records where a parser
    # may ignore it.
    line_end = data.find(b"\n", int(len(data) * at))
    cut = max(0, (len(data) if line_end < 0 else line_end) - 2)
    return data[:cut] + what + data[cut:]


def _billion_laughs(scale: str) -> bytes:
    levels = 10 if scale == "test" else 12
    lines = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    lines += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    entities = "\n".join(lines)
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n{entities}\n]>\n'
        f"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        f"<ArticleTitle>&lol{levels - 1};</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        f"</PubmedArticleSet>\n"
    ).encode()


def _deep_xml(root: str, scale: str) -> bytes:
    depth = 100_000 if scale == "test" else 1_000_000
    return (
        f'<?xml version="1.0"?>\n<{root}>'.encode()
        + b"<a>" * depth
        + b"</a>" * depth
        + f"</{root}>\n".encode()
    )


def _export_classes(fmt: str) -> list[Hostile]:
    base_name = EXPORT_BASES[fmt][1]
    stem, ext = base_name.rsplit(".", 1)

    def case(
        name: str, build: Callable[[str], bytes], *, expect: str = "refuse", bomb: bool = False
    ) -> Hostile:
        return Hostile(f"{fmt}-{name}", "import", f"{stem}-{name}.{ext}", build, expect, bomb=bomb)

    huge = {"test": 8 * MiB, "full": 200 * MiB}
    cases = [
        case("truncated", lambda s: export_base(fmt)[: len(export_base(fmt)) * 55 // 100], expect="any"),
        case("nul-early", lambda s: _insert(export_base(fmt), 0.02, b"\x00"), expect="any"),
        case("nul-late", lambda s: _insert(export_base(fmt), 0.9, b"x\x00y"), expect="any"),
        case(
            "c0-controls", lambda s: _insert(export_base(fmt), 0.5, b"\x01\x02\x07\x08\x0b\x1b"), expect="any"
        ),
        case(
            "latin1",
            lambda s: export_base(fmt).decode("utf-8", "replace").encode("latin-1", "replace"),
            expect="any",
        ),
        case(
            "utf16-no-bom",
            lambda s: export_base(fmt).decode("utf-8", "replace").encode("utf-16-le"),
            expect="any",
        ),
        case("random-bytes", lambda s: _random(64 * 1024)),
        case("huge-line", lambda s: export_base(fmt)[:200] + b"A" * huge[s] + b"\n", expect="any"),
        case("empty", lambda s: b""),
        case("binary", lambda s: b"\x89PNG\r\n\x1a\n" + _random(4096)),
    ]
    if fmt in XML_FORMATS:
        root = "PubmedArticleSet" if fmt == "pubmed_xml" else "xml"
        cases.append(case("entity-bomb", _billion_laughs, bomb=True))
        cases.append(case("deep-nesting", lambda s: _deep_xml(root, s), bomb=True))
    return cases


def _random(size: int) -> bytes:
    import random

    return random.Random(42).randbytes(size)


# -- XLSX (characteristics upload) --------------------------------------------------------------------

SHEET_HEADER = (["record_id", "Study", "Country"], ["record_id", "study", "country"])


def _workbook(edit: Callable[[openpyxl.worksheet.worksheet.Worksheet], None] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Characteristics"  # type: ignore[union-attr]
    for row in SHEET_HEADER:
        sheet.append(row)  # type: ignore[union-attr]
    sheet.append([1, "study", "France"])  # type: ignore[union-attr]
    if edit is not None:
        edit(sheet)  # type: ignore[arg-type]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _set(cell: str, value: object) -> Callable[[object], None]:
    def edit(sheet) -> None:  # type: ignore[no-untyped-def]
        sheet[cell] = value

    return edit


def _huge_dimension(scale: str) -> bytes:
    members = unzip(_workbook())
    sheet = members["xl/worksheets/sheet1.xml"]
    start = sheet.index(b"<dimension ref=")
    end = sheet.index(b"/>", start) + 2
    members["xl/worksheets/sheet1.xml"] = sheet[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet[end:]
    if scale == "full":  # the 929 KB sheet-size bomb: empty rows up to the last one
        rows = b"".join(b'<row r="%d" spans="1:16384"/>' % r for r in range(4, 60_000))
        rows += b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        sheet = members["xl/worksheets/sheet1.xml"]
        members["xl/worksheets/sheet1.xml"] = sheet.replace(b"</sheetData>", rows + b"</sheetData>")
    return zip_bytes(members)  # type: ignore[arg-type]


def _xlsx_zip_bomb(scale: str) -> bytes:
    members: dict[str, bytes | tuple[bytes, int, int]] = dict(unzip(_workbook()))
    size = 320 * MiB if scale == "test" else 1024 * MiB
    data, crc = deflate_fill(size, fill=0x20)
    members["xl/worksheets/sheet2.xml"] = (data, size, crc)
    return zip_bytes(members)


def _xlsx_classes() -> list[Hostile]:
    def case(
        name: str, build: Callable[[str], bytes], *, expect: str = "refuse", bomb: bool = False
    ) -> Hostile:
        return Hostile(f"xlsx-{name}", "characteristics", f"{name}.xlsx", build, expect, bomb=bomb)

    return [
        case("far-cell-XFD1048576", lambda s: _workbook(_set("XFD1048576", "x")), bomb=True),
        case("far-row-A1048576", lambda s: _workbook(_set("A1048576", "x")), bomb=True),
        case("huge-dimension", _huge_dimension, bomb=True),
        case("zip-bomb-member", _xlsx_zip_bomb, bomb=True),
        case(
            "formula-no-cached-value", lambda s: _workbook(_set("C3", '=CONCAT("Fra","nce")')), expect="any"
        ),
        case("not-a-zip", lambda s: b"record_id,study\n1,x\n"),
        case("truncated", lambda s: _workbook()[:1500]),
    ]


# -- PDF (full-text upload) ---------------------------------------------------------------------------


def pdf(stream: bytes, *, filtered: bool = True) -> bytes:
    """A one-page PDF whose content stream is ``stream`` (zlib when ``filtered``), with a Helvetica font."""
    flate = b" /Filter /FlateDecode" if filtered else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(stream), flate, stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return body + b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


def flate_bomb_pdf(megabytes: int) -> bytes:
    """A one-page PDF whose content stream is ``megabytes`` MiB of spaces, Flate-compressed about 1000:1."""
    packer = zlib.compressobj(9)
    chunk = b" " * 2**20
    return pdf(b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush())


def _text_pdf() -> bytes:
    return pdf(b"BT /F1 12 Tf 72 720 Td (Staff trusted the audit data.) Tj ET", filtered=False)


def _pdf_classes() -> list[Hostile]:
    sizes = {"test": 1024 * MiB, "full": 4096 * MiB}

    def case(
        name: str, build: Callable[[str], bytes], *, expect: str = "refuse", bomb: bool = False
    ) -> Hostile:
        return Hostile(f"pdf-{name}", "documents", f"{name}.pdf", build, expect, bomb=bomb)

    return [
        case("flate-bomb", lambda s: pdf(zlib_zeros(sizes[s])), bomb=True),
        case("truncated", lambda s: _text_pdf()[:200]),
        case("not-a-pdf", lambda s: b"<html><body>Not a PDF</body></html>\n"),
        case("empty", lambda s: b""),
        case("nul-text", lambda s: _text_pdf().replace(b"Staff", b"St\x00ff"), expect="any"),
    ]


# -- REFI-QDA -----------------------------------------------------------------------------------------

_CODE = "22222222-2222-4222-8222-222222222202"
_SOURCE = "55555555-5555-4555-8555-555555555501"
_TEXT = "People trust nurses.\nManagers listened."


def qde(*, start: int = 0, end: int = 20) -> bytes:
    """A small valid project: one code, one text source, one coded selection ``start``-``end``."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Hostile">
  <CodeBook><Codes><Code guid="{_CODE}" name="Trust" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{_SOURCE}" name="Interview" plainTextPath="internal://{_SOURCE}.txt">
      <PlainTextSelection guid="66666666-6666-4666-8666-666666666601" startPosition="{start}" endPosition="{end}">
        <Coding guid="88888888-8888-4888-8888-888888888801"><CodeRef targetGUID="{_CODE}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
""".encode()


def qdpx(project: bytes | tuple[bytes, int, int] | None = None, *, name: str = "project.qde") -> bytes:
    """A ``.qdpx`` holding ``project`` (default: :func:`qde`) and the source text."""
    members: dict[str, bytes | tuple[bytes, int, int]] = {f"Sources/{_SOURCE}.txt": _TEXT.encode()}
    members[name] = qde() if project is None else project
    return zip_bytes(members)


def _qde_bomb(scale: str) -> bytes:
    # A valid project, then hundreds of MB of spaces (whitespace after the root is well-formed XML).
    head = qde()
    size = 320 * MiB if scale == "test" else 896 * MiB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_deflated = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    tail, _ = deflate_fill(size, fill=0x20)
    crc, piece = zlib.crc32(head), b" " * _CHUNK
    for _ in range(size // _CHUNK):
        crc = zlib.crc32(piece, crc)
    return qdpx((head_deflated + tail, len(head) + size, crc))


def _qdc_bomb(scale: str) -> bytes:
    levels = 10 if scale == "test" else 12
    lines = ['<!ENTITY a0 "aaaaaaaaaa">'] + [
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, levels)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE CodeBook [\n' + "\n".join(lines) + "\n]>\n"
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{_CODE}" name="&a{levels - 1};" '
        'isCodable="true"/></Codes></CodeBook>\n'
    ).encode()


def _qdpx_classes() -> list[Hostile]:

    def case(name: str, build: Callable[[str], bytes], *, ext: str = "qdpx", **kw: object) -> Hostile:
        return Hostile(f"qdpx-{name}", "qdpx", f"{name}.{ext}", build, **kw)  # type: ignore[arg-type]

    return [
        case("qde-bomb", _qde_bomb, bomb=True),
        case("deep-nesting", lambda s: qdpx(_deep_xml("Project", s)), bomb=True),
        case(
            "entity-bomb-qde",
            lambda s: qdpx(_billion_laughs(s).replace(b"PubmedArticleSet", b"Project")),
            bomb=True,
        ),
        case("not-a-zip", lambda s: qde()),
        case("no-project-qde", lambda s: zip_bytes({"Sources/x.txt": b"text"})),
        case("offsets-past-end", lambda s: qdpx(qde(start=30, end=10_000)), expect="any"),
        case("truncated", lambda s: qdpx()[:300]),
        case("empty", lambda s: b""),
        case("qdc-entity-bomb", _qdc_bomb, ext="qdc", bomb=True),
        case("qdc-not-xml", lambda s: _random(2048), ext="qdc"),
        case("qde-deep-bare", lambda s: _deep_xml("Project", s), ext="qde", bomb=True),
    ]


# -- screen import CSV --------------------------------------------------------------------------------

SCREEN_HEADER = "record_id,stage,reviewer,event,reasons,tags,note,at,source\n"
SCREEN_ROW = "1,title_abstract,{reviewer},include,,,{note},2026-01-01T00:00:00+00:00,cli\n"


def _screen_classes(reviewer: str) -> list[Hostile]:
    def row(note: str = "") -> str:
        return SCREEN_ROW.format(reviewer=reviewer, note=note)

    def case(name: str, text: str | bytes, *, expect: str = "refuse") -> Hostile:
        data = text if isinstance(text, bytes) else text.encode()
        return Hostile(f"screen-{name}", "screen", f"{name}.csv", lambda s: data, expect)

    return [
        case("short-line", SCREEN_HEADER + row() + "2,title_abstract\n"),
        case("unterminated-quote", SCREEN_HEADER + row('"never closed') + row()),
        case(
            "formula-cells",
            SCREEN_HEADER + row('"=HYPERLINK(""http://x"")"').replace(",cli", ",@SUM(A1)"),
            expect="any",
        ),
        case("nul-bytes", (SCREEN_HEADER + row("a\x00b")).encode(), expect="any"),
        case("empty", b""),
        case("binary", b"\x89PNG\r\n\x1a\n" + _random(1024)),
    ]


def hostile_inputs(*, reviewer: str = "tester") -> list[Hostile]:
    """Every hostile class, for every entry point; ``reviewer`` signs the screening rows."""
    exports = [item for fmt in EXPORT_BASES for item in _export_classes(fmt)]
    return exports + _xlsx_classes() + _pdf_classes() + _qdpx_classes() + _screen_classes(reviewer)
