"""p95 of the review's dashboard and screening page at 100,000 records, 20 reviewers (issue #14).

Usage::

    python benchmarks/dashboard_speed.py [--db URL] [--records N] [--runs R]

Builds a fresh review (the records of ``screening_load.py``; SQLite in a temporary folder unless
``--db`` names an empty PostgreSQL database), lets 20 reviewers decide 150 records each, adds an
owner, then times the dashboard (``overview_page``) for the owner and for a reviewer and the
screening page for a reviewer, each ``--runs`` times in process after one warm-up call, and prints
p50 and p95 in milliseconds. Target: p95 under 100 ms on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_load import build_review  # noqa: E402

from realreview import services  # noqa: E402
from realreview.screening import Event, Stage  # noqa: E402

TA = Stage.TITLE_ABSTRACT


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
    with database.unit_of_work(write=True) as session:
        owner = services.trusted_context(session, review_id=1, actor="benchmark")
        services.create_user(session, email="owner@load.test", actor="benchmark")
        services.add_member(session, owner, email="owner@load.test", role=services.Role.OWNER)
        for turn, email in enumerate(emails):
            ctx = services.review_context(session, review_id=1, email=email)
            for record_id in range(1 + turn * 150, 1 + (turn + 1) * 150):
                event = Event.INCLUDE if record_id % 3 else Event.EXCLUDE
                services.record_decision(session, ctx, record_id=record_id, stage=TA, event=event)
    with database.unit_of_work() as session:
        boss = services.review_context(session, review_id=1, email="owner@load.test")
        reviewer = services.review_context(session, review_id=1, email=emails[3])
        pages: dict[str, Callable[[], object]] = {
            "dashboard (owner)": lambda: services.overview_page(session, boss),
            "dashboard (reviewer)": lambda: services.overview_page(session, reviewer),
            "screening page (reviewer)": lambda: services.screening_page(session, reviewer, stage=TA),
        }
        print(f"{args.records:,} records, 20 reviewers, 3,000 decisions, {url.split(':')[0]}")
        for name, action in pages.items():
            p50, p95 = timings(action, args.runs)
            print(f"{name:28s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    database.close()


if __name__ == "__main__":
    main()
