from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.exports_table import EXPORTS

from realreview.errors import EmptyFileError, EncodingError, FileTooLargeError, InputError, UnknownFormatError
from realreview.formats import read_export
from realreview.formats.text import open_export

RIS = "TY  - JOUR\nTI  - A title\nER  - \n"


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.ris"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError, match=r"empty\.ris: file is empty$"):
        open_export(path)


def test_whitespace_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.ris"
    path.write_text("\n\n   \n")
    with pytest.raises(EmptyFileError, match="holds only whitespace"):
        open_export(path)


def test_two_gigabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.ris"
    with open(path, "wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: costs no disk
    with pytest.raises(
        FileTooLargeError, match=r"huge\.ris: file is 2\.0 GiB, larger than the import limit of 1\.0 GiB"
    ):
        open_export(path)


def test_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "small.ris"
    path.write_text(RIS)
    with pytest.raises(FileTooLargeError, match="limit of 10 bytes"):
        open_export(path, max_bytes=10)


def test_binary_garbage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.ris"
    path.write_bytes(os.urandom(4096) + b"\x00" * 16)
    with pytest.raises(InputError, match=r"garbage\.ris: .*not a text export"):
        open_export(path)


def test_pdf_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "paper.ris"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(InputError, match=r"paper\.ris: this is a PDF document, not a bibliographic export"):
        open_export(path)


def test_undecodable_byte_is_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ris"
    path.write_bytes(b"TY  - JOUR\nTI  - Caf\xe9 culture\nER  - \n")
    with pytest.raises(EncodingError, match=r"latin1\.ris: line 2: not valid UTF-8 text \(byte 0xe9"):
        open_export(path)


def test_undecodable_byte_far_into_the_file_is_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "late.ris"
    body = RIS.encode() * 20000
    path.write_bytes(body + b"TY  - JOUR\nTI  - Caf\xe9\nER  - \n")
    opened = open_export(path)
    with pytest.raises(EncodingError, match=r"late\.ris: line 60002: not valid UTF-8"):
        sum(1 for _ in opened.lines())


def test_explicit_encoding_reads_legacy_files(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ris"
    path.write_bytes(b"TY  - JOUR\nTI  - Caf\xe9 culture\nER  - \n")
    assert "Café culture" in "".join(open_export(path, encoding="cp1252").lines())


def test_utf16_without_bom_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "utf16.ris"
    path.write_bytes(RIS.encode("utf-16-le"))
    assert open_export(path).encoding == "utf-16-le"


def test_prose_is_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("Dear colleague,\nplease find the minutes attached.\n")
    with pytest.raises(
        UnknownFormatError,
        match=r"letter\.txt: not a recognised export format \(it starts with 'Dear colleague,'\)",
    ):
        read_export(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nothere\.ris: no such file"):
        open_export(tmp_path / "nothere.ris")


def test_a_line_longer_than_the_limit_is_refused_before_it_is_read_whole(tmp_path) -> None:
    path = tmp_path / "long.ris"
    path.write_text("TY  - JOUR\nTI  - " + "x" * 5000 + "\nER  - \n", encoding="utf-8")
    opened = read_export(path, max_line_chars=1000)
    with pytest.raises(
        FileTooLargeError,
        match=r"long\.ris: line 2 is longer than 1,000 characters \(REALREVIEW_MAX_LINE_CHARS\)",
    ):
        list(opened.records())
    (record,) = read_export(path, max_line_chars=6000).records()
    assert len(record.title) == 5000


def test_xml_exports_are_not_line_limited(tmp_path) -> None:
    source = EXPORTS / "endnote_xml"
    xml = next(iter(sorted(source.glob("*.xml"))))
    one_line = tmp_path / "one-line.xml"
    one_line.write_bytes(xml.read_bytes().replace(b"\r", b"").replace(b"\n", b""))
    records = list(read_export(one_line, max_line_chars=1000).records())
    assert records


def test_an_xml_text_node_longer_than_the_limit_is_refused(tmp_path, monkeypatch) -> None:
    from realreview.formats import xmlstream

    monkeypatch.setattr(xmlstream, "DEFAULT_MAX_LINE_CHARS", 200_000)
    path = tmp_path / "huge.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>'
        "<Article><ArticleTitle>" + "x" * 400_000 + "</ArticleTitle></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>\n",
        encoding="utf-8",
    )
    with pytest.raises(
        FileTooLargeError, match=r"huge\.xml: line 2: more than 200,000 characters without a tag"
    ):
        list(read_export(path).records())
