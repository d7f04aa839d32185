"""Latency of the pair review in the browser at 100,000 records (issue #14 item 7).

Usage::

    python benchmarks/dedup_review_benchmark.py [--records N] [--pairs P] [--db URL] [--requests K]
                                                [--reviewers R] [--json OUT]

Builds a review of N records straight into the tables (bulk inserts through the storage models: the
titles and abstracts of the real Nagtegaal 2019 set in tests/data, cycled and numbered, with authors,
journal, volume and pages), where 30% of the records are a second copy of another one. One stored
dedup run links every copy to its original: all but P of those links merged automatically and P left
for a person (a volume and a year that conflict). R reviewer accounts are made as well, so the
review has the size the target names, though only the owner may decide pairs.

The real server (``realreview serve``, 2 workers) is started and the owner, through HTTP as htmx
sends it, alternately opens the pair review (``GET /reviews/1/dedup``: the next pair, both records
side by side, counts) and decides that pair (``POST /reviews/1/dedup/decide``, which answers with
the next pair). Prints p50/p95/p99 of each. Target: p95 under 100 ms on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_load import PASSWORD, SOURCE, free_port, start_server  # noqa: E402

from realreview import services  # noqa: E402
from realreview.storage.engine import make_engine  # noqa: E402
from realreview.storage.models import (  # noqa: E402
    DedupLinkRow,
    DedupRunRow,
    ImportFileRow,
    RecordRow,
    SearchRow,
)

OWNER = "owner@dedup.test"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PAIR = re.compile(r'data-pair="(\d+)-(\d+)"')
JOURNALS = ("BMJ Quality and Safety", "Implementation Science", "Health Affairs", "Medical Care")


def _record(review_id: int, search_id: int, file_id: int, n: int, row: dict[str, str]) -> dict[str, object]:
    return {
        "review_id": review_id,
        "search_id": search_id,
        "import_file_id": file_id,
        "position": n,
        "line": None,
        "raw": [],
        "title": f"{row['title']} [{n}]",
        "authors": [[f"Author{n % 997}", f"A{n % 7}"], [f"Second{n % 503}", "B"]],
        "year": 2000 + n % 24,
        "journal": JOURNALS[n % len(JOURNALS)],
        "volume": str(1 + n % 40),
        "issue": str(1 + n % 12),
        "pages": f"{100 + n % 800}-{110 + n % 800}",
        "doi": None,
        "pmid": None,
        "abstract": row["abstract"],
        "keywords": [],
        "language": "English",
        "publication_type": "Journal Article",
        "duplicate_of": None,
    }


def build_review(url: str, *, records: int, pairs: int, reviewers: int) -> int:
    """A review of ``records`` records, one stored dedup run, ``pairs`` pairs to review; its link count."""
    database = services.connect(url)
    with services.transaction(database) as session:
        review = services.create_review(session, title="Dedup load", actor="benchmark")
        owner = services.trusted_context(session, review_id=review.id, actor="benchmark")
        services.create_user(session, email=OWNER, password=PASSWORD, actor="benchmark")
        services.add_member(session, owner, email=OWNER, role=services.Role.OWNER)
        for i in range(reviewers):
            email = f"reviewer{i + 1}@dedup.test"
            services.create_user(session, email=email, actor="benchmark")
            services.add_member(session, owner, email=email, role=services.Role.REVIEWER)
        review_id = review.id
    database.close()
    source = list(csv.DictReader(SOURCE.open(encoding="utf-8")))
    copies = int(records * 0.3)
    originals = records - copies
    engine = make_engine(url)
    with engine.begin() as connection:
        search = connection.execute(
            insert(SearchRow).values(review_id=review_id, database="Embase", created_by="benchmark")
        ).inserted_primary_key[0]
        file_id = connection.execute(
            insert(ImportFileRow).values(
                review_id=review_id,
                search_id=search,
                file_name="load.ris",
                sha256="0" * 64,
                size_bytes=0,
                format="ris",
                confidence=1.0,
                record_count=records,
                diagnostics=[],
                imported_by="benchmark",
            )
        ).inserted_primary_key[0]
        rows = [_record(review_id, search, file_id, n, source[n % len(source)]) for n in range(originals)]
        for n in range(copies):  # the copy of original n, exported by another database
            copy = dict(rows[n], position=originals + n)
            if n < pairs:
                copy.update(volume=str(int(str(copy["volume"])) + 1), year=int(str(copy["year"])) - 1)
            else:  # merged automatically: its root is the original (record ids start at 1)
                copy["duplicate_of"] = n + 1
            rows.append(copy)
        for start in range(0, len(rows), 10_000):
            connection.execute(insert(RecordRow), rows[start : start + 10_000])
        run = connection.execute(
            insert(DedupRunRow).values(
                review_id=review_id, actor="benchmark", record_count=records, seconds=1.0
            )
        ).inserted_primary_key[0]
        links = [
            {
                "review_id": review_id,
                "run_id": run,
                "record_a_id": n + 1,
                "record_b_id": originals + n + 1,
                "score": round(0.55 + 0.4 * ((n * 7919) % pairs) / pairs, 4) if n < pairs else 1.0,
                "status": "needs_review" if n < pairs else "duplicate",
                "agreed": ["title", "authors", "journal"] if n < pairs else ["title", "authors", "year"],
                "conflicted": ["year", "volume"] if n < pairs else [],
                "reason": "alike, but year, volume conflict" if n < pairs else "same title, authors and year",
            }
            for n in range(copies)
        ]
        for start in range(0, len(links), 10_000):
            connection.execute(insert(DedupLinkRow), links[start : start + 10_000])
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return len(links)


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50": round(q[49] * 1000, 1), "p95": round(q[94] * 1000, 1), "p99": round(q[98] * 1000, 1)}


def measure(base: str, requests: int) -> tuple[list[float], list[float]]:
    """Open the pair review and decide its pair, ``requests`` times; the GET and POST latencies."""
    transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    gets: list[float] = []
    posts: list[float] = []
    with httpx.Client(base_url=base, timeout=120, transport=transport) as client:
        token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
        client.post("/login", data={"email": OWNER, "password": PASSWORD, "csrf_token": token})
        page = client.get("/reviews/1/dedup")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        headers = {"HX-Request": "true", "X-CSRF-Token": token}
        for n in range(requests):
            start = time.perf_counter()
            page = client.get("/reviews/1/dedup", headers=headers)
            gets.append(time.perf_counter() - start)
            found = PAIR.search(page.text)
            if page.status_code != 200 or found is None:
                raise RuntimeError(f"no pair to review: {page.status_code} {page.text[:300]}")
            action = ("merge", "reject")[n % 2]
            start = time.perf_counter()
            answer = client.post(
                "/reviews/1/dedup/decide",
                data={"a": found.group(1), "b": found.group(2), "action": action},
                headers=headers,
            )
            posts.append(time.perf_counter() - start)
            if answer.status_code != 200:
                raise RuntimeError(f"decision refused: {answer.status_code} {answer.text[:300]}")
    return gets, posts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=2_000)
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--db", help="database URL (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/dedup_review.db"
    started = time.perf_counter()
    links = build_review(url, records=args.records, pairs=args.pairs, reviewers=args.reviewers)
    print(f"built {args.records:,} records, {links:,} links in {time.perf_counter() - started:.1f} s")
    port = free_port()
    server = start_server(url, port)
    try:
        gets, posts = measure(f"http://127.0.0.1:{port}", args.requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "records": args.records,
        "links": links,
        "pairs": args.pairs,
        "requests": args.requests,
        "database": make_engine(url).dialect.name,
        "GET /reviews/1/dedup": percentiles(gets),
        "POST /reviews/1/dedup/decide": percentiles(posts),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
