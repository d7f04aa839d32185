"""Load test of the screening loop through HTTP: "decide and get the next record".

Usage::

    python benchmarks/screening_load.py [--records N] [--reviewers R] [--decisions D] [--db URL] [--json OUT]
                                        [--think-ms MS] [--during-import N [--import-mode cli|prepared]]

Builds a review of N records (titles and abstracts of the real Nagtegaal 2019 set in tests/data, cycled
and numbered), R reviewer accounts, then starts the real server (``realreview serve``: uvicorn, 2
workers) and lets R concurrent reviewers each make D decisions (the htmx POST that stores a decision
and returns the next record), each pausing ``--think-ms`` before each decision as a reader does
(default 1000 ms, faster than people screen; 0 measures the saturation throughput). Prints p50/p95/p99
latency and checks in the database that every decision was stored exactly once (none lost, none
duplicated). Targets (issue #4): p95 under 50 ms, 0 lost, 0 duplicated, on SQLite and PostgreSQL.

``--during-import N`` (issue #11) writes an export of N more records and, once the reviewers are
screening, imports it in another process; the reviewers screen until the import has ended and the
figures are those of the decisions made meanwhile (plus failures, which must be 0). ``--import-mode
cli`` runs ``realreview import`` as a user does; ``prepared`` runs ``services.prepare_export`` before
the write unit of work (parse outside SQLite's write lock), as an edge does that adopts it.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from realreview.storage.engine import make_engine

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "tests" / "data" / "screening" / "nagtegaal_2019" / "Nagtegaal_2019.csv"
PASSWORD = "load-test-password"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RECORD = re.compile(r'data-record="(\d+)"')


def write_export(path: Path, records: int, *, tag: str = "") -> Path:
    """A CSV export of ``records`` records (the Nagtegaal titles and abstracts, cycled and numbered)."""
    rows = list(csv.DictReader(SOURCE.open(encoding="utf-8")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract"])
        for i in range(records):
            row = rows[i % len(rows)]
            writer.writerow([i + 1, f"{row['title']} [{tag}{i + 1}]", row["abstract"]])
    return path


def build_review(url: str, *, records: int, reviewers: int, workdir: Path) -> list[str]:
    """A fresh review with ``records`` records and ``reviewers`` reviewer accounts; returns their e-mails."""
    from realreview import services

    path = write_export(workdir / "records.csv", records)
    factory = services.connect(url)
    emails = [f"reviewer{i + 1}@load.test" for i in range(reviewers)]
    with services.transaction(factory) as session:
        review = services.create_review(session, title="Load test", actor="benchmark")
        owner = services.trusted_context(session, review_id=review.id, actor="benchmark")
        services.import_export(session, owner, path=path, max_bytes=2**31)
        for email in emails:
            services.create_user(session, email=email, password=PASSWORD, actor="benchmark")
            services.add_member(session, owner, email=email, role=services.Role.REVIEWER)
    factory.close()
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        # The state autovacuum reaches within minutes of a large import: visibility map and statistics.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE records")
    engine.dispose()
    return emails


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "REALREVIEW_SECRET_KEY": "load-test-secret"}
    command = [
        sys.executable,  # the interpreter running the benchmark, wherever it is installed
        "-m",
        "realreview",
        "--db",
        url,
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(
        "the server did not start: " + (process.stderr.read().decode() if process.stderr else "")
    )


async def reviewer(
    base: str,
    email: str,
    decisions: int,
    think: float,
    latencies: list[float],
    errors: list[str],
    until: asyncio.Event | None = None,
) -> None:
    # Browsers send with TCP_NODELAY; without it a POST's body waits for the server's delayed ACK (40 ms).
    transport = httpx.AsyncHTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    async with httpx.AsyncClient(base_url=base, timeout=120, transport=transport) as client:
        token = CSRF.search((await client.get("/login")).text).group(1)  # type: ignore[union-attr]
        signed = await client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
        page = await client.get("/reviews/1/screen/title_abstract")
        if page.status_code != 200 or CSRF.search(page.text) is None:
            errors.append(
                f"{email}: not signed in: sign-in {signed.status_code}, screen page {page.status_code}: "
                f"{page.text[:300]}"
            )
            return
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        current = int(RECORD.search(page.text).group(1))  # type: ignore[union-attr]
        headers = {"HX-Request": "true", "X-CSRF-Token": token}
        for n in range(decisions):
            if until is not None and until.is_set():
                return
            if think:
                await asyncio.sleep(think)  # reading the title and abstract
            event = ("include", "exclude", "exclude", "maybe")[n % 4]
            start = time.perf_counter()
            try:
                answer = await client.post(
                    f"/reviews/1/screen/title_abstract/{current}", data={"event": event}, headers=headers
                )
            except httpx.TimeoutException:
                latencies.append(time.perf_counter() - start)
                errors.append(f"{email}: no answer within {client.timeout.read} s")
                if until is None:
                    return
                continue
            latencies.append(time.perf_counter() - start)
            if answer.status_code != 200:
                errors.append(f"{email}: {answer.status_code} {answer.text[:200]}")
                if until is None:
                    return
                continue  # during an import: count the failure, keep screening
            found = RECORD.search(answer.text)
            if found is None:
                return
            current = int(found.group(1))


async def run_load(
    base: str, emails: list[str], decisions: int, think: float
) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(reviewer(base, email, decisions, think, latencies, errors) for email in emails))
    return latencies, errors, time.perf_counter() - start


PREPARED_IMPORT = """
import sys
from pathlib import Path
from realreview import services
from realreview.services.imports import prepare_export

url, path = sys.argv[1], Path(sys.argv[2])
database = services.connect(url)
with prepare_export(path, max_bytes=2**31) as prepared:  # parse and encode: no lock held
    with database.unit_of_work(write=True) as session:  # the write: insert only
        owner = services.trusted_context(session, review_id=1, actor="benchmark")
        services.import_export(session, owner, path=path, max_bytes=2**31, prepared=prepared)
database.close()
"""


def start_import(url: str, path: Path, mode: str) -> subprocess.Popen[bytes]:
    """Import ``path`` into review 1 in another process, as ``realreview import`` or prepared first."""
    if mode == "cli":
        command = [sys.executable, "-m", "realreview", "--db", url, "--review", "1", "import", str(path)]
    else:
        command = [sys.executable, "-c", PREPARED_IMPORT, url, str(path)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def run_during_import(
    base: str, emails: list[str], think: float, *, url: str, path: Path, mode: str
) -> tuple[list[float], list[str], float, dict[str, Any]]:
    """Reviewers screen from before an import starts until it has ended; returns what ``run_load`` does."""
    latencies: list[float] = []
    errors: list[str] = []
    done = asyncio.Event()
    start = time.perf_counter()
    screening = asyncio.gather(
        *(reviewer(base, email, 10**9, think, latencies, errors, done) for email in emails)
    )
    await asyncio.sleep(2 + think)  # everyone signed in and screening
    began = time.perf_counter()
    process = start_import(url, path, mode)
    while process.poll() is None:
        await asyncio.sleep(0.1)
    imported = {
        "import_seconds": round(time.perf_counter() - began, 2),
        "import_exit": process.returncode,
        "import_stderr": (process.stderr.read().decode() if process.stderr else "")[-500:],
    }
    await asyncio.sleep(1 + think)  # a last decision each after the import
    done.set()
    await screening
    return latencies, errors, time.perf_counter() - start, imported


def check_store(url: str, expected: int) -> dict[str, int]:
    from realreview import services
    from realreview.storage.models import ScreeningEventRow

    factory = services.connect(url)
    with factory.unit_of_work() as session:
        stored = session.scalar(select(func.count()).select_from(ScreeningEventRow)) or 0
        duplicated = (
            session.scalar(
                select(func.count()).select_from(
                    select(ScreeningEventRow.record_id, ScreeningEventRow.reviewer)
                    .group_by(ScreeningEventRow.record_id, ScreeningEventRow.reviewer)
                    .having(func.count() > 1)
                    .subquery()
                )
            )
            or 0
        )
    factory.close()
    return {
        "expected": expected,
        "stored": stored,
        "lost": max(0, expected - stored),
        "duplicated": duplicated,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--decisions", type=int, default=500)
    parser.add_argument("--db", help="database URL (default: a new SQLite file); its contents are replaced")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--think-ms",
        type=float,
        default=1000.0,
        help="each reviewer's pause before each decision (default 1000: a fast screener); 0 = saturation test",
    )
    parser.add_argument(
        "--during-import",
        type=int,
        metavar="N",
        help="import N more records in another process while the reviewers screen (issue #11)",
    )
    parser.add_argument("--import-mode", choices=("cli", "prepared"), default="cli")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = args.db or f"sqlite:///{workdir / 'load.db'}"
        if args.db:
            reset(url)
        started = time.perf_counter()
        emails = build_review(url, records=args.records, reviewers=args.reviewers, workdir=workdir)
        print(
            f"built a review of {args.records:,} records and {args.reviewers} reviewers in "
            f"{time.perf_counter() - started:.1f} s ({url.split('://')[0]})",
            flush=True,
        )
        port = free_port()
        imported: dict[str, Any] = {}
        if args.during_import:
            export = write_export(workdir / "during.csv", args.during_import, tag="import ")
        server = start_server(url, port)
        try:
            if args.during_import:
                latencies, errors, seconds, imported = asyncio.run(
                    run_during_import(
                        f"http://127.0.0.1:{port}",
                        emails,
                        args.think_ms / 1000,
                        url=url,
                        path=export,
                        mode=args.import_mode,
                    )
                )
            else:
                latencies, errors, seconds = asyncio.run(
                    run_load(f"http://127.0.0.1:{port}", emails, args.decisions, args.think_ms / 1000)
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
        # During an import every decision that succeeded must be stored, once.
        failed = sum(1 for error in errors if "not signed in" not in error)
        expected = len(latencies) - failed if args.during_import else len(emails) * args.decisions
        store = check_store(url, expected)
    result: dict[str, Any] = {
        "database": url.split("://")[0],
        "records": args.records,
        "reviewers": args.reviewers,
        "decisions_each": args.decisions,
        "think_ms": args.think_ms,
        "requests": len(latencies),
        "seconds": round(seconds, 2),
        "requests_per_s": round(len(latencies) / seconds, 1) if seconds else 0,
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(1000 * percentile(latencies, 0.95), 1) if latencies else None,
        "p99_ms": round(1000 * percentile(latencies, 0.99), 1) if latencies else None,
        "max_ms": round(1000 * max(latencies), 1) if latencies else None,
        "failed": failed,
        "not_signed_in": len(errors) - failed,
        "errors": errors[:5],
        **store,
        **(
            {"during_import": args.during_import, "import_mode": args.import_mode, **imported}
            if imported
            else {}
        ),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    ok = (
        not errors and store["lost"] == 0 and store["duplicated"] == 0 and imported.get("import_exit", 0) == 0
    )
    return 0 if ok else 1


def reset(url: str) -> None:
    """Empty the database at ``url`` (the benchmark builds its own review)."""
    from realreview.storage.engine import downgrade, make_engine, upgrade

    engine = make_engine(url)
    upgrade(engine)
    downgrade(engine, "base")
    engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
