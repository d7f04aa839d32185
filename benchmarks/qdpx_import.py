"""REFI-QDA import speed: a generated ``.qdpx`` imported by ``realreview qdpx import`` on SQLite.

The project is generated (seeded): ``--sources`` text sources sharing ``--text-mb`` MB of text (with an
emoji every few hundred characters, so UTF-16 offsets differ from ``str`` indices), ``--codes`` codes in
a tree (``--depth`` levels), and ``--selections`` selections spread over the text, each with one coding.
The import runs as its own ``realreview`` process (what a user runs), timed from outside; peak memory is
that process's maximum resident set size (``wait4``).

    python benchmarks/qdpx_import.py [--text-mb 20] [--selections 50000] [--codes 20000]
        [--sources 4] [--depth 3] [--keep DIR] [--profile]

``--profile`` runs the import in this process under cProfile instead and prints the top functions.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALREVIEW = Path(sys.executable).with_name("realreview")
_NS = "urn:QDA-XML:project:1.0"
_WORDS = "equity clinic outreach staff trusted data migrants deprived areas reduced gaps primary care".split()


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _text(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(_WORDS) if rng.random() > 0.003 else "🙂"
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)[:size]


def _codes(rng: random.Random, count: int, depth: int) -> tuple[list[str], str]:
    """GUIDs of ``count`` codes in a tree ``depth`` levels deep, and their ``<Codes>`` XML."""
    guids = [_guid(rng) for _ in range(count)]
    per_level = max(1, round(count ** (1 / depth))) if depth > 1 else count
    out = io.StringIO()

    def emit(start: int, stop: int, level: int) -> None:
        # codes start..stop-1: the first ``per_level`` are siblings, the rest split among them
        if start >= stop:
            return
        if level >= depth or stop - start <= per_level:
            for i in range(start, stop):
                out.write(f'<Code guid="{guids[i]}" name="code {i}" isCodable="true"/>')
            return
        heads = list(range(start, start + per_level))
        rest = stop - start - per_level
        chunk = -(-rest // per_level)
        cursor = start + per_level
        for head in heads:
            out.write(f'<Code guid="{guids[head]}" name="code {head}" isCodable="true">')
            emit(cursor, min(stop, cursor + chunk), level + 1)
            cursor += chunk
            out.write("</Code>")

    emit(0, count, 1)
    return guids, out.getvalue()


def build_qdpx(*, text_mb: float, selections: int, codes: int, sources: int, depth: int) -> bytes:
    """A ``.qdpx`` archive of the given size (see the module docstring)."""
    rng = random.Random(42)
    code_guids, codes_xml = _codes(rng, codes, depth)
    user = _guid(rng)
    per_source = int(text_mb * 1_000_000 / sources)
    archive = io.BytesIO()
    xml = io.StringIO()
    xml.write(f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{_NS}" name="bench" origin="bench">')
    xml.write(f'<Users><User guid="{user}" name="Bench"/></Users>')
    xml.write(f"<CodeBook><Codes>{codes_xml}</Codes></CodeBook><Sources>")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for number in range(sources):
            text = _text(rng, per_source)
            member = f"{_guid(rng)}.txt"
            zipped.writestr(f"sources/{member}", text.encode("utf-8"))
            units = len(text.encode("utf-16-le")) // 2
            guid = _guid(rng)
            xml.write(
                f'<TextSource guid="{guid}" name="source {number}" plainTextPath="internal://{member}">'
            )
            count = selections // sources + (number < selections % sources)
            for _ in range(count):
                start = rng.randrange(0, max(1, units - 200))
                end = min(units, start + rng.randrange(20, 200))
                start, end = _whole(text, start), _whole(text, end)
                xml.write(
                    f'<PlainTextSelection guid="{_guid(rng)}" startPosition="{start}" endPosition="{end}" '
                    f'creatingUser="{user}"><Coding guid="{_guid(rng)}" creatingUser="{user}">'
                    f'<CodeRef targetGUID="{rng.choice(code_guids)}"/></Coding></PlainTextSelection>'
                )
            xml.write("</TextSource>")
        xml.write("</Sources></Project>")
        zipped.writestr("project.qde", xml.getvalue().encode("utf-8"))
    return archive.getvalue()


def _whole(text: str, unit: int) -> int:
    """``unit`` moved off the low half of a surrogate pair (the generator counts roughly)."""
    from realreview.coding.offsets import Utf16Map

    offsets = _whole.cache.get(id(text))  # type: ignore[attr-defined]
    if offsets is None:
        offsets = _whole.cache[id(text)] = Utf16Map(text)  # type: ignore[attr-defined]
    try:
        offsets.to_index(unit)
    except ValueError:
        return unit + 1
    return unit


_whole.cache = {}  # type: ignore[attr-defined]


def run_cli(qdpx: Path, folder: Path) -> tuple[float, int, str]:
    """Create a database with one review, import ``qdpx`` in a child process: seconds, peak KiB, output."""
    url = f"sqlite:///{folder / 'bench.db'}"
    env = {**os.environ, "REALREVIEW_DATABASE_URL": url, "REALREVIEW_USER": "bench"}
    subprocess.run([str(REALREVIEW), "init", "Bench"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(REALREVIEW), "qdpx", "import", str(qdpx)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert child.stdout is not None
    output = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"import failed:\n{output}")
    return elapsed, usage.ru_maxrss, output


def profile(qdpx: Path, folder: Path) -> None:
    """Import in this process under cProfile and print the 25 most expensive functions (cumulative)."""
    import cProfile
    import pstats

    from realreview import services
    from realreview.fulltext import FileStore

    database = services.connect(f"sqlite:///{folder / 'profile.db'}")
    with database.unit_of_work() as session:
        review = services.create_review(session, title="Bench", actor="bench").id
    data = qdpx.read_bytes()
    profiler = cProfile.Profile()
    with database.unit_of_work(write=True) as session:
        ctx = services.trusted_context(session, review_id=review, actor="bench")
        profiler.enable()
        services.import_qdpx(session, ctx, data=data, name=qdpx.name, store=FileStore(folder / "files"))
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--text-mb", type=float, default=20)
    parser.add_argument("--selections", type=int, default=50_000)
    parser.add_argument("--codes", type=int, default=20_000)
    parser.add_argument("--sources", type=int, default=4)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument(
        "--keep", type=Path, help="Write the project and database here instead of a temp dir."
    )
    parser.add_argument("--profile", action="store_true", help="Profile the service call in this process.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        data = build_qdpx(
            text_mb=args.text_mb,
            selections=args.selections,
            codes=args.codes,
            sources=args.sources,
            depth=args.depth,
        )
        qdpx = folder / "bench.qdpx"
        qdpx.write_bytes(data)
        print(
            f"project: {args.text_mb:g} MB text in {args.sources} sources, {args.selections:,} selections, "
            f"{args.codes:,} codes (depth {args.depth}); {len(data):,} bytes, built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        if args.profile:
            profile(qdpx, folder)
            return
        elapsed, peak_kib, output = run_cli(qdpx, folder)
        print(output.strip().splitlines()[0] if output.strip() else "")
        print(f"realreview qdpx import: {elapsed:.1f} s, peak RSS {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
