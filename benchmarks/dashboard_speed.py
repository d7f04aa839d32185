"""p95 of the review's dashboard and screening page at 100,000 records, 20 reviewers (issue #14).

Usage::

    python benchmarks/dashboard_speed.py [--db URL] [--records N] [--runs R]

Builds a fresh review (the records of ``screening_load.py``; SQLite in a temporary folder unless
``--db`` names an empty PostgreSQL database), lets 20 reviewers decide 150 records each, adds an
owner, then times the dashboard (``overview_page``) for the owner and for a reviewer and the
screening page for a reviewer, each ``--runs`` times after one warm-up call, and prints p50 and
p95 in milliseconds. Each call is one request's work: a new transaction, the viewer's review
context, the page (so nothing a transaction remembers is reused). Then the same pages are asked
through HTTP of the real server (``realreview serve``, 2 workers), signed in, templates included.
Target: p95 under 100 ms on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
from screening_load import PASSWORD, build_review, free_port, start_server  # noqa: E402

from realreview import services  # noqa: E402
from realreview.screening import Event, Stage  # noqa: E402

TA = Stage.TITLE_ABSTRACT
OWNER = "owner@load.test"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def timings(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """(p50, p95) in milliseconds of ``runs`` calls after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def decide_some(database: services.Database, emails: list[str]) -> None:
    """An owner with a password, and 150 decisions by each reviewer (two include, one exclude)."""
    with database.unit_of_work(write=True) as session:
        owner = services.trusted_context(session, review_id=1, actor="benchmark")
        services.create_user(session, email=OWNER, password=PASSWORD, actor="benchmark")
        services.add_member(session, owner, email=OWNER, role=services.Role.OWNER)
        for turn, email in enumerate(emails):
            ctx = services.review_context(session, review_id=1, email=email)
            for record_id in range(1 + turn * 150, 1 + (turn + 1) * 150):
                event = Event.INCLUDE if record_id % 3 else Event.EXCLUDE
                services.record_decision(session, ctx, record_id=record_id, stage=TA, event=event)


def request(database: services.Database, email: str, page: Callable[..., object]) -> Callable[[], object]:
    """One request's work: a new read transaction, the viewer's context, the page."""

    def call() -> object:
        with database.unit_of_work() as session:
            return page(session, services.review_context(session, review_id=1, email=email))

    return call


def over_http(url: str, emails: list[str], runs: int) -> None:
    """The same pages through the real server, signed in as the owner and as a reviewer."""
    port = free_port()
    server = start_server(url, port)
    try:
        for who, path in (
            (OWNER, "/reviews/1"),
            (emails[3], "/reviews/1"),
            (emails[3], "/reviews/1/screen/title_abstract"),
        ):
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
                token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
                client.post("/login", data={"email": who, "password": PASSWORD, "csrf_token": token})

                def get(client: httpx.Client = client, path: str = path) -> None:
                    if client.get(path).status_code != 200:
                        raise RuntimeError(f"GET {path} failed")

                p50, p95 = timings(get, runs)
                viewer = "owner" if who == OWNER else "reviewer"
                print(f"HTTP GET {path:32s} {viewer:8s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    url = args.db or f"sqlite:///{work}/dashboard.db"
    emails = build_review(url, records=args.records, reviewers=20, workdir=work)
    database = services.connect(url)
    decide_some(database, emails)
    pages: dict[str, Callable[[], object]] = {
        "dashboard (owner)": request(database, OWNER, services.overview_page),
        "dashboard (reviewer)": request(database, emails[3], services.overview_page),
        "screening page (reviewer)": request(
            database, emails[3], lambda session, ctx: services.screening_page(session, ctx, stage=TA)
        ),
    }
    print(f"{args.records:,} records, 20 reviewers, 3,000 decisions, {url.split(':')[0]}")
    for name, action in pages.items():
        p50, p95 = timings(action, args.runs)
        print(f"{name:28s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    database.close()
    over_http(url, emails, args.runs)


if __name__ == "__main__":
    main()
