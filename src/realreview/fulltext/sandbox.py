"""Budgets for reading untrusted files, and a child process that keeps a parser inside them.

A hostile upload can make a parser take gigabytes or minutes (issue 11: a 4 MB PDF Flate bomb took
5.4 GB and killed the server). What can be checked cheaply before parsing is checked by the parser's
caller (an XLSX's declared sizes); what cannot, such as PDFium decoding a PDF, runs through
:func:`run_limited`: a fresh ``python -m realreview.fulltext.sandbox`` process that caps its own address space
(``RLIMIT_AS``) and CPU time before it reads the file, watched by a wall-clock timeout.

The child hands back JSON only, never a pickle: a parser that a hostile file subverted must not be
able to run code in the server by what it returns.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from realreview import errors
from realreview.errors import FileTooLargeError, InputError, ParseError

__all__ = ["ParseLimits", "run_limited"]

MiB = 2**20


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """What reading one untrusted file may cost; each field is a ``REALREVIEW_`` setting."""

    #: Address space of the child process that parses a PDF (``REALREVIEW_PARSE_MEMORY_MB``). With
    #: the server's own ~100 MB this keeps the pair within the 512 MB budget of issue #11; a 300-page
    #: text PDF reads in 200 MB.
    memory_mb: int = 384
    #: Wall-clock and CPU seconds that parsing may take (``REALREVIEW_PARSE_SECONDS``).
    seconds: float = 30.0
    #: Cells a worksheet may span, as rows x columns (``REALREVIEW_MAX_SHEET_CELLS``); openpyxl reads
    #: some 30,000 to 100,000 cells a second, so this also bounds the time a sheet takes.
    max_sheet_cells: int = 500_000
    #: Total uncompressed size of an XLSX's parts (``REALREVIEW_MAX_UNZIPPED_MB``).
    max_unzipped_mb: int = 256
    #: Largest uncompressed / compressed ratio of a part over 1 MiB (``REALREVIEW_MAX_ZIP_RATIO``).
    max_zip_ratio: int = 100

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ParseLimits:
        """The limits named by the environment, the defaults for those not set.

        Example:
            >>> ParseLimits.from_env({"REALREVIEW_PARSE_MEMORY_MB": "256"}).memory_mb
            256
        """
        env = os.environ if environ is None else environ
        default = cls()

        def number(variable: str, fallback: float) -> float:
            raw = env.get(variable)
            return float(raw) if raw else fallback

        return cls(
            memory_mb=int(number("REALREVIEW_PARSE_MEMORY_MB", default.memory_mb)),
            seconds=number("REALREVIEW_PARSE_SECONDS", default.seconds),
            max_sheet_cells=int(number("REALREVIEW_MAX_SHEET_CELLS", default.max_sheet_cells)),
            max_unzipped_mb=int(number("REALREVIEW_MAX_UNZIPPED_MB", default.max_unzipped_mb)),
            max_zip_ratio=int(number("REALREVIEW_MAX_ZIP_RATIO", default.max_zip_ratio)),
        )


# A child that hits RLIMIT_AS inside C code dies rather than raising: PDFium aborts (SIGABRT) when an
# allocation fails; the others are how a failed allocation or the kernel's OOM killer end a process.
_MEMORY_SIGNALS = frozenset({signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL})


def run_limited(target: str, data: bytes, *, limits: ParseLimits, name: str, what: str) -> object:
    """``target(data, name=name)`` run in a child process capped at ``limits.memory_mb`` and ``limits.seconds``.

    Args:
        target: ``"package.module:function"``, a function of the file's bytes that returns something
            JSON can carry; a :class:`~realreview.errors.InputError` it raises comes back as itself.
        data: the file's bytes, sent to the child on its standard input.
        limits: the budget.
        name: the file's name, which begins every error message.
        what: what the child does, for messages: ``"PDF text extraction"``.

    Raises:
        FileTooLargeError: "<name>: <what> exceeded the 384 MiB memory limit (REALREVIEW_PARSE_MEMORY_MB)",
            or the time limit.
        ParseError: the child failed in another way.
    """
    command = [
        sys.executable,
        "-m",
        "realreview.fulltext.sandbox",
        target,
        str(limits.memory_mb),
        str(limits.seconds),
        name,
    ]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as child:
        try:
            out, _ = child.communicate(data, timeout=limits.seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise _time_error(limits, name=name, what=what) from None
    if child.returncode == -signal.SIGXCPU:
        raise _time_error(limits, name=name, what=what)
    if -child.returncode in _MEMORY_SIGNALS:
        raise _memory_error(limits, name=name, what=what)
    try:
        reply = json.loads(out) if child.returncode == 0 else None
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        raise ParseError(f"{name}: {what} failed (the reader stopped with status {child.returncode})")
    if reply.get("limit") == "memory":
        raise _memory_error(limits, name=name, what=what)
    if "error" in reply:
        raise _error_class(reply["error"])(str(reply.get("message", "")))
    return reply.get("result")


def _memory_error(limits: ParseLimits, *, name: str, what: str) -> FileTooLargeError:
    return FileTooLargeError(
        f"{name}: {what} exceeded the {limits.memory_mb} MiB memory limit (REALREVIEW_PARSE_MEMORY_MB)"
    )


def _time_error(limits: ParseLimits, *, name: str, what: str) -> FileTooLargeError:
    return FileTooLargeError(
        f"{name}: {what} exceeded the {limits.seconds:g} s time limit (REALREVIEW_PARSE_SECONDS)"
    )


def _error_class(class_name: object) -> type[InputError]:
    """The error class the child named, if it is one of ours for bad input; else ParseError."""
    found = getattr(errors, class_name, None) if isinstance(class_name, str) else None
    return found if isinstance(found, type) and issubclass(found, InputError) else ParseError


def _child(argv: list[str]) -> int:
    """The child's side: cap this process, read the file from stdin, run the target, print JSON."""
    import resource  # POSIX only; imported here so that the parent imports on any platform

    target, memory_mb, seconds, name = argv[0], int(argv[1]), float(argv[2]), argv[3]
    memory = memory_mb * MiB
    cpu = max(1, math.ceil(seconds))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        module_name, _, function_name = target.partition(":")
        function = getattr(importlib.import_module(module_name), function_name)
        reply: dict[str, object] = {"result": function(sys.stdin.buffer.read(), name=name)}
    except MemoryError:
        reply = {"limit": "memory"}
    except InputError as error:
        reply = {"error": type(error).__name__, "message": str(error)}
    try:
        sys.stdout.write(json.dumps(reply))
    except MemoryError:
        sys.stdout.write(json.dumps({"limit": "memory"}))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
