"""Import speed: parse + normalise + store 100,000 real records on SQLite and on PostgreSQL.

The records are the real ones of the labelled deduplication sets (../shared/data/dedup), written out
half as RIS and half as PubMed MEDLINE, so both line-based readers are exercised. Each import runs as
its own ``realreview import`` process (exactly what a user runs), timed from outside; peak memory is
that process's maximum resident set size (``wait4``). A forked child inherits its parent's resident
pages into that figure, so the heavy work of this script (building the files, creating PostgreSQL
databases) runs in helper processes and the parent stays a few MiB of plain Python.

    python benchmarks/import_speed.py [--records 100000] [--data ../shared/data/dedup]
        [--postgres postgresql://postgres@127.0.0.1:5432/test] [--json OUT]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from realreview.records import Record

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "dedup"
REALREVIEW = Path(sys.executable).with_name("realreview")


def real_records(data: Path, wanted: int) -> Iterator[dict[str, str]]:
    """Rows of every records_pre_merged*.csv.gz under ``data``, cycling if fewer than ``wanted``."""
    files = sorted(data.glob("*/records_pre_merged*.csv.gz"))
    if not files:
        sys.exit(f"no records_pre_merged*.csv.gz under {data}; pass --data")
    produced = 0
    while produced < wanted:
        for path in files:
            with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    yield row
                    produced += 1
                    if produced >= wanted:
                        return


def to_record(row: dict[str, str]) -> Record:
    from realreview import make_record

    authors = [a.strip() for a in row.get("author", "").replace(";", " and ").split(" and ") if a.strip()]
    return make_record(
        (),
        title=row.get("title"),
        authors=authors,
        year=row.get("year"),
        journal=row.get("journal"),
        volume=row.get("volume"),
        issue=row.get("number"),
        pages=row.get("pages"),
        doi=row.get("doi"),
        abstract=row.get("abstract"),
    )


def medline_entry(number: int, record: Record) -> str:
    """One PubMed MEDLINE entry, wrapped with 6-space continuation lines as PubMed writes them."""

    def tag(name: str, value: str | None) -> str:
        if not value:
            return ""
        lines = textwrap.wrap(value, 82) or [value]
        return f"{name:<4}- " + "\n      ".join(lines) + "\n"

    parts = [f"PMID- {number}\n", tag("TI", record.title), tag("AB", record.abstract)]
    parts += [tag("FAU", str(author)) for author in record.authors]
    parts += [
        tag("DP", str(record.year) if record.year else None),
        tag("JT", record.journal),
        tag("VI", record.volume),
        tag("IP", record.issue),
        tag("PG", record.pages),
        tag("LID", f"{record.doi} [doi]" if record.doi else None),
    ]
    return "".join(parts) + "\n"


def build_files(data: Path, total: int, directory: Path) -> list[Path]:
    from realreview import dumps

    records = [to_record(row) for row in real_records(data, total)]
    half = total // 2
    ris = directory / "bench.ris"
    ris.write_text(dumps(records[:half], "ris"), encoding="utf-8")
    medline = directory / "bench.nbib"
    with open(medline, "w", encoding="utf-8") as handle:
        for number, record in enumerate(records[half:], 1):
            handle.write(medline_entry(30000000 + number, record))
    return [ris, medline]


def timed_import(url: str, path: Path) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (bytes) and output of one ``realreview import`` process."""
    env = {**os.environ, "REALREVIEW_DATABASE_URL": url}
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(REALREVIEW), "import", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    output = process.stdout.read() if process.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"import failed: {output}")
    return elapsed, usage.ru_maxrss * 1024, output.strip()


def run_on(url: str, files: list[Path], label: str) -> dict[str, object]:
    env = {**os.environ, "REALREVIEW_DATABASE_URL": url}
    subprocess.run([str(REALREVIEW), "init", "Benchmark"], env=env, check=True, capture_output=True)
    per_file = []
    for path in files:
        seconds, peak, output = timed_import(url, path)
        count = int(output.split()[1])
        per_file.append(
            {
                "file": path.name,
                "records": count,
                "seconds": round(seconds, 2),
                "records_per_second": round(count / seconds),
                "peak_rss_mb": round(peak / 2**20),
            }
        )
    counted = subprocess.run(
        [str(REALREVIEW), "records", "--count"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    total_records = sum(int(f["records"]) for f in per_file)  # type: ignore[call-overload]
    total_seconds = sum(float(f["seconds"]) for f in per_file)  # type: ignore[arg-type]
    result = {
        "database": label,
        "records": total_records,
        "stored": int(counted),
        "seconds": round(total_seconds, 2),
        "records_per_second": round(total_records / total_seconds),
        "peak_rss_mb": max(int(f["peak_rss_mb"]) for f in per_file),  # type: ignore[call-overload]
        "files": per_file,
    }
    return result


def postgres_admin(base_url: str, statement: str) -> None:
    """Run one statement on the server (in a helper process: see the module docstring)."""
    code = (
        "import sys; from sqlalchemy import create_engine, text; from sqlalchemy.engine import make_url; "
        "e = create_engine(make_url(sys.argv[1]).set(drivername='postgresql+psycopg'), isolation_level='AUTOCOMMIT'); "
        "c = e.connect(); c.execute(text(sys.argv[2])); c.close(); e.dispose()"
    )
    subprocess.run([sys.executable, "-c", code, base_url, statement], check=True)


def database_url(base_url: str, name: str) -> str:
    scheme, _, rest = base_url.partition("://")
    server = rest.rsplit("/", 1)[0]
    return f"{scheme}://{server}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("REALREVIEW_DEDUP_DATA", DEFAULT_DATA))
    )
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="PostgreSQL server URL ('' to skip)",
    )
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # internal: write the files here
    args = parser.parse_args()
    if args.build:
        build_files(args.data, args.records, args.build)
        return

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--build",
                str(directory),
                "--records",
                str(args.records),
                "--data",
                str(args.data),
            ],
            check=True,
        )
        files = [directory / "bench.ris", directory / "bench.nbib"]
        sizes = ", ".join(f"{p.name} {p.stat().st_size / 2**20:.0f} MiB" for p in files)
        print(
            f"built {args.records:,} records from {args.data} in {time.perf_counter() - started:.1f} s ({sizes})"
        )
        results.append(run_on(f"sqlite:///{directory / 'bench.db'}", files, "SQLite"))
        if args.postgres:
            name = f"rr_bench_{uuid.uuid4().hex[:10]}"
            postgres_admin(args.postgres, f'CREATE DATABASE "{name}"')
            try:
                results.append(run_on(database_url(args.postgres, name), files, "PostgreSQL"))
            finally:
                postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    out = io.StringIO()
    out.write(
        f"{'database':<12}{'records':>10}{'stored':>10}{'seconds':>10}{'records/s':>12}{'peak RSS':>12}\n"
    )
    for r in results:
        out.write(
            f"{r['database']:<12}{r['records']:>10,}{r['stored']:>10,}{r['seconds']:>10}"
            f"{r['records_per_second']:>12,}{str(r['peak_rss_mb']) + ' MiB':>12}\n"
        )
        for f in r["files"]:  # type: ignore[attr-defined]
            out.write(
                f"  {f['file']:<10}{f['records']:>10,}{'':>10}{f['seconds']:>10}{f['records_per_second']:>12,}"
                f"{str(f['peak_rss_mb']) + ' MiB':>12}\n"
            )
    print(out.getvalue(), end="")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
