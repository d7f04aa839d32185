"""A content-addressed store for the files behind full texts.

Files are kept by their SHA-256 under ``root/ab/cdef…`` (the first two hex digits as a folder, so no
folder grows to hundreds of thousands of entries). The same PDF attached to two reviews is stored once,
and a stored file can be checked against its name at any time.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from realreview.errors import NotFoundError, ParseError

__all__ = ["FileStore", "StagedFiles"]

_SHA256 = re.compile(r"[0-9a-f]{64}")


class FileStore:
    """Files by SHA-256 under one folder.

    Writes are atomic (a temporary file in the target folder, then :func:`os.replace`), so a crash or a
    second process writing the same file never leaves a half-written file under the final name.

    Files are created readable and writable by their owner only (the mode :func:`tempfile.mkstemp`
    gives), since they are the review's full texts.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as root:
        ...     store = FileStore(root)
        ...     sha = store.put(b"%PDF-1.4 ...")
        ...     sha[:12], store.get(sha), store.has("0" * 64)
        ('73491aa2c82f', b'%PDF-1.4 ...', False)
    """

    __slots__ = ("_root",)

    def __init__(self, root: str | Path) -> None:
        self._root = Path(root)

    def __repr__(self) -> str:
        return f"FileStore({str(self._root)!r})"

    @property
    def root(self) -> Path:
        """The folder the store keeps its files in (created on the first :meth:`put`)."""
        return self._root

    def path(self, sha256: str) -> Path:
        """Where the file with this SHA-256 is (or would be) kept.

        Raises:
            ValueError: ``sha256`` is not 64 hexadecimal digits (so it cannot name a path outside the
                store either).
        """
        digest = sha256.lower()
        if not _SHA256.fullmatch(digest):
            raise ValueError(f"not a SHA-256 hex digest (64 hex digits): {sha256!r}")
        return self._root / digest[:2] / digest[2:]

    def has(self, sha256: str) -> bool:
        """Whether a file with this SHA-256 is stored."""
        return self.path(sha256).is_file()

    def put(self, data: bytes) -> str:
        """Store ``data`` and return its SHA-256 hex digest.

        Storing the same bytes again does nothing, except that a stored copy which no longer matches
        (altered or truncated on disk) is replaced by the good one.
        """
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if target.is_file() and target.read_bytes() == data:
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return sha256

    def remove(self, sha256: str) -> None:
        """Delete the stored file with this SHA-256, if there is one (the caller knows nothing uses it)."""
        self.path(sha256).unlink(missing_ok=True)

    def get(self, sha256: str) -> bytes:
        """The bytes of the stored file, checked against their SHA-256.

        Raises:
            ValueError: ``sha256`` is not 64 hexadecimal digits.
            NotFoundError: no file with this SHA-256 is stored.
            ParseError: the stored file was changed on disk since it was stored.
        """
        target = self.path(sha256)
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"no stored file with SHA-256 {sha256.lower()} in {self._root}") from None
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256.lower():
            raise ParseError(
                f"{target}: the stored file was altered (its SHA-256 is now {actual}); "
                "restore it from a backup or attach the document again"
            )
        return data


class StagedFiles(FileStore):
    """A :class:`FileStore` whose :meth:`put` waits: files reach the store only when :meth:`write` runs.

    An import hands this to the code that stores documents, and writes the files just before its
    database transaction commits; a failed or killed import so leaves no file that no document
    references (issue 11). :meth:`write` returns the digests it created, which :meth:`discard`
    removes if the commit then fails; files that were already stored are never touched.
    """

    __slots__ = ("_pending", "_store")

    def __init__(self, store: FileStore) -> None:
        super().__init__(store.root)
        self._store = store
        self._pending: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return f"StagedFiles({self._store!r}, pending={len(self._pending)})"

    @property
    def pending(self) -> tuple[str, ...]:
        """The digests put but not yet written."""
        return tuple(self._pending)

    def put(self, data: bytes) -> str:
        """Hold ``data`` for :meth:`write`; its SHA-256 hex digest."""
        sha256 = hashlib.sha256(data).hexdigest()
        self._pending.setdefault(sha256, data)
        return sha256

    def has(self, sha256: str) -> bool:
        """Whether the file is held here or already stored."""
        return sha256.lower() in self._pending or self._store.has(sha256)

    def get(self, sha256: str) -> bytes:
        """The bytes held here, else those of the store."""
        held = self._pending.get(sha256.lower())
        return held if held is not None else self._store.get(sha256)

    def write(self) -> list[str]:
        """Write every held file to the store; the digests of the files that were not stored before."""
        created = []
        for sha256, data in self._pending.items():
            if not self._store.has(sha256):
                created.append(sha256)
            self._store.put(data)
        self._pending.clear()
        return created

    def discard(self, digests: list[str]) -> None:
        """Forget what is held, and remove ``digests`` (files :meth:`write` created) from the store."""
        self._pending.clear()
        for sha256 in digests:
            self._store.remove(sha256)
