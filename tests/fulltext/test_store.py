from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from realreview.errors import NotFoundError, ParseError
from realreview.fulltext import FileStore

DATA = b"%PDF-1.7\n a full text \x00\xff"
SHA = hashlib.sha256(DATA).hexdigest()


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_put_then_get_round_trips_under_a_two_digit_folder(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files" / "nested")

    sha = store.put(DATA)

    assert sha == SHA
    assert store.get(sha) == DATA
    assert store.has(sha)
    assert store.path(sha) == tmp_path / "files" / "nested" / SHA[:2] / SHA[2:]
    assert _files(store.root) == [f"{SHA[:2]}/{SHA[2:]}"]


def test_put_is_idempotent_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = FileStore(str(tmp_path))
    first = store.put(DATA)
    inode = store.path(first).stat().st_ino

    second = store.put(DATA)

    assert second == first
    assert store.path(first).stat().st_ino == inode
    assert _files(tmp_path) == [f"{SHA[:2]}/{SHA[2:]}"]


def test_different_files_get_different_paths(tmp_path: Path) -> None:
    store = FileStore(tmp_path)

    shas = {store.put(b"one"), store.put(b"two"), store.put(b"")}

    assert len(shas) == 3
    assert len(_files(tmp_path)) == 3
    assert store.get(hashlib.sha256(b"").hexdigest()) == b""


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    store = FileStore(tmp_path)

    assert not store.has(SHA)
    with pytest.raises(NotFoundError) as caught:
        store.get(SHA)
    assert str(caught.value) == f"no stored file with SHA-256 {SHA} in {tmp_path}"


def test_altered_file_is_detected_and_put_repairs_it(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    store.put(DATA)
    store.path(SHA).write_bytes(DATA + b"tampered")
    altered = hashlib.sha256(DATA + b"tampered").hexdigest()

    with pytest.raises(ParseError) as caught:
        store.get(SHA)
    assert str(caught.value) == (
        f"{store.path(SHA)}: the stored file was altered (its SHA-256 is now {altered}); "
        "restore it from a backup or attach the document again"
    )

    assert store.put(DATA) == SHA
    assert store.get(SHA) == DATA


def test_upper_case_digest_names_the_same_file(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    store.put(DATA)

    assert store.path(SHA.upper()) == store.path(SHA)
    assert store.get(SHA.upper()) == DATA


@pytest.mark.parametrize(
    "bad",
    ["", "abc", SHA[:63], SHA + "0", "g" * 64, "../" + SHA[3:], SHA[:62] + "/x", f" {SHA[1:]}", SHA + "\n"],
)
def test_a_digest_that_is_not_64_hex_digits_is_a_value_error(tmp_path: Path, bad: str) -> None:
    store = FileStore(tmp_path)

    for call in (store.path, store.has, store.get):
        with pytest.raises(ValueError, match="not a SHA-256 hex digest"):
            call(bad)


def test_failed_write_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FileStore(tmp_path)

    def refuse(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        store.put(DATA)

    assert not store.has(SHA)
    assert _files(tmp_path) == []


def test_repr_names_the_root(tmp_path: Path) -> None:
    assert repr(FileStore(tmp_path)) == f"FileStore({str(tmp_path)!r})"
