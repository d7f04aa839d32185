"""Hostile REFI-QDA files are refused by their declared sizes, ratio and depth, before being unpacked (issue 11)."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from tests.coding.conftest import make_zip
from tests.coding.test_qdpx_errors import BASE, FILES

from realreview.coding.excerpts import page_of
from realreview.coding.qdpx_limits import QdaLimits
from realreview.coding.qdpx_read import read_qde, read_qdpx, read_refi_qda
from realreview.errors import FileTooLargeError, InputError
from realreview.services.qdpx_import import PageIndex
from realreview.settings import Settings


def _bomb(member: str, size: int) -> bytes:
    """A zip whose ``member`` unpacks ``size`` spaces, written in chunks (never all in memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(member, "w", force_zip64=True) as handle:
            chunk = b" " * (1 << 20)
            for _ in range(size >> 20):
                handle.write(chunk)
        for name, data in FILES.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _no_unpacking(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a member was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "read", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


def test_a_huge_project_file_in_a_small_archive_is_refused_before_unpacking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _bomb("project.qde", 300 << 20)  # 300 MiB of XML in a few hundred KB
    assert len(data) < 2 << 20
    _no_unpacking(monkeypatch)
    with pytest.raises(FileTooLargeError) as raised:
        read_refi_qda(data, name="bomb.qdpx")
    assert str(raised.value) == (
        "bomb.qdpx: member project.qde would unpack to 314,572,800 bytes, more than the 268,435,456 "
        "allowed for project XML (REALREVIEW_MAX_QDE_BYTES)"
    )
    assert isinstance(raised.value, InputError)


def test_a_member_with_a_bomb_ratio_is_refused_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _bomb("Sources/big.txt", 8 << 20)
    _no_unpacking(monkeypatch)
    with pytest.raises(
        FileTooLargeError, match=r"^x\.qdpx: member Sources/big\.txt would unpack [\d,]+ bytes to "
    ):
        read_qdpx(data, name="x.qdpx")


def test_the_whole_archive_is_capped_by_its_declared_size() -> None:
    data = make_zip(
        {"project.qde": BASE.encode(), "Sources/a.bin": random.Random(1).randbytes(5000), **FILES}
    )
    with pytest.raises(FileTooLargeError) as raised:
        read_qdpx(data, name="x.qdpx", limits=QdaLimits(max_unpacked=6000))
    assert str(raised.value).startswith("x.qdpx: unpacks to ")
    assert str(raised.value).endswith("more than the 6,000 allowed (REALREVIEW_MAX_QDPX_BYTES)")


def test_a_bare_qde_and_a_qdc_are_capped_in_bytes() -> None:
    limits = QdaLimits(max_xml_bytes=100)
    with pytest.raises(FileTooLargeError, match=r"^p\.qde: [\d,]+ bytes of XML, more than the 100 allowed"):
        read_refi_qda(BASE.encode(), name="p.qde", limits=limits)
    codebook = b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>' + b" " * 200 + b"</Codes></CodeBook>"
    with pytest.raises(FileTooLargeError, match=r"^c\.qdc: [\d,]+ bytes of XML"):
        read_refi_qda(codebook, name="c.qdc", limits=limits)


def _deep_codes(levels: int) -> str:
    opening = "".join(
        f'<Code guid="{i:08d}-0000-4000-8000-000000000000" name="c{i}" isCodable="true">'
        for i in range(levels)
    )
    return opening + "</Code>" * levels


def test_deep_nesting_is_refused_before_the_tree_is_built() -> None:
    qde = BASE.replace("<Codes>", "<Codes>" + _deep_codes(250), 1)
    with pytest.raises(FileTooLargeError) as raised:
        read_qdpx(make_zip({"project.qde": qde.encode(), **FILES}), name="deep.qdpx")
    assert str(raised.value) == (
        "deep.qdpx: project.qde line 4: the XML is nested more than 200 levels deep (REALREVIEW_MAX_QDE_DEPTH)"
    )
    codebook = f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{_deep_codes(30)}</Codes></CodeBook>'
    with pytest.raises(FileTooLargeError, match=r"^c\.qdc line 1: the XML is nested more than 10 levels"):
        read_refi_qda(codebook.encode(), name="c.qdc", limits=QdaLimits(max_depth=10))
    with pytest.raises(FileTooLargeError, match=r"^p\.qde line 4: the XML is nested more than 5 levels"):
        read_qde(qde.encode(), name="p.qde", limits=QdaLimits(max_depth=5))


def test_a_project_within_the_limits_is_read() -> None:
    project = read_qdpx(make_zip({"project.qde": BASE.encode(), **FILES}), name="x.qdpx", limits=QdaLimits())
    assert [source.name for source in project.sources] == ["Interview"]


def test_the_limits_are_settings() -> None:
    env = {
        "REALREVIEW_MAX_QDPX_BYTES": "1000",
        "REALREVIEW_MAX_QDE_BYTES": "500",
        "REALREVIEW_MAX_QDPX_RATIO": "7",
        "REALREVIEW_MAX_QDE_DEPTH": "9",
    }
    assert Settings.from_env(env).qda_limits == QdaLimits(1000, 500, 7, 9)
    assert Settings.from_env({}).qda_limits == QdaLimits(1 << 30, 256 << 20, 100, 200)


def test_the_page_index_agrees_with_page_of() -> None:
    rng = random.Random(42)
    for _ in range(200):
        pages, start = [], 0
        for number in range(1, rng.randrange(1, 8)):
            end = start + rng.choice((0, 0, 1, 5, 20))
            pages.append((number, start, end))
            start = end + 1  # the form feed between pages
        index = PageIndex(pages)
        for offset in range(start + 2):
            assert index.page_of(offset) == page_of(pages, offset), (pages, offset)
