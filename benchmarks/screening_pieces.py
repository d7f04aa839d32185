"""Time the screening page and its pieces on 100,000 records after 3,000 decisions by 20 reviewers.

Usage::

    python benchmarks/screening_pieces.py

Builds a fresh SQLite review in a temporary folder (the records of ``screening_load.py``), lets 20
reviewers decide 150 records each, then times, best of 20, the page and what it is made of.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_load import build_review  # noqa: E402

from realreview import services  # noqa: E402
from realreview.screening import Event, Stage  # noqa: E402
from realreview.services import screening_queue, screening_state  # noqa: E402

TA = Stage.TITLE_ABSTRACT


def best_ms(action: Callable[[], object], runs: int = 20) -> float:
    """The fastest of ``runs`` calls, in milliseconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    work = Path(tempfile.mkdtemp())
    url = f"sqlite:///{work}/pieces.db"
    emails = build_review(url, records=100_000, reviewers=20, workdir=work)
    database = services.connect(url)
    with database.unit_of_work(write=True) as session:
        for turn, email in enumerate(emails):
            ctx = services.review_context(session, review_id=1, email=email)
            for record_id in range(1 + turn * 150, 1 + (turn + 1) * 150):
                services.record_decision(session, ctx, record_id=record_id, stage=TA, event=Event.INCLUDE)
    with database.unit_of_work() as session:
        ctx = services.review_context(session, review_id=1, email=emails[3])
        pieces: dict[str, Callable[[], object]] = {
            "screening_page": lambda: services.screening_page(session, ctx, stage=TA),
            "queue head": lambda: screening_queue.head(session, ctx, limit=2),
            "standing callers": lambda: screening_state.standing_callers(session, review_id=1, stage=TA),
            "record view": lambda: services.record_view(session, ctx, record_id=5000, stage=TA),
            "review context": lambda: services.review_context(session, review_id=1, email=emails[3]),
        }
        for name, action in pieces.items():
            print(f"{name:20s} {best_ms(action):7.2f} ms")
    database.close()


if __name__ == "__main__":
    main()
