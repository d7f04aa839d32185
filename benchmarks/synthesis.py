"""Synthesis speed (issue #12): 60 CMOCs, 40 documents and 2,000 evidence links on SQLite or PostgreSQL.

Builds a review through the services (seeded: 40 generated text documents, 50 excerpts each, 60
CMOCs in 6 clusters, 2,000 links spread over the CMOCs and their three parts, 20 relations), then
times what the workspace, a CMOC page and the diagram cost: the service calls the web pages and the
CLI make, each the median of several runs.

    python benchmarks/synthesis.py [--db URL] [--cmocs 60] [--documents 40] [--links 2000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from realreview import services
from realreview.errors import ValidationError
from realreview.fulltext import FileStore

WORDS = "context mechanism outcome equity staff patients data trust outreach clinic gap deprived".split()


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    parser.add_argument("--cmocs", type=int, default=60)
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rr-synthesis-"))
    url = args.db or f"sqlite:///{folder / 'bench.db'}"
    rng = random.Random(12)
    database = services.connect(url)
    store = FileStore(folder / "files")
    started = time.perf_counter()
    with database.unit_of_work() as session:
        review = services.create_review(session, title="Synthesis benchmark", actor="bench")
        ctx = services.trusted_context(session, review_id=review.id, actor="bench")
        excerpts: list[int] = []
        per_document = max(args.links // args.documents + 1, 1)
        for number in range(args.documents):
            sentences = [" ".join(rng.choice(WORDS) for _ in range(14)) + "." for _ in range(per_document)]
            text = " ".join(sentences)
            document = services.add_document(
                session, ctx, data=text.encode(), name=f"study{number:02}.txt", store=store, max_bytes=10**7
            )
            offset = 0
            for sentence in sentences:
                excerpts.append(
                    services.add_excerpt(
                        session,
                        ctx,
                        document_id=document.info.id,
                        start=offset,
                        end=offset + len(sentence) - 1,
                        code_ids=[],
                    ).id
                )
                offset += len(sentence) + 1
        clusters = [f"c{i}" for i in range(6)]
        for key in clusters:
            services.add_cluster(
                session, ctx, key=key, title=f"Cluster {key[1:]}: {' '.join(rng.sample(WORDS, 4))}"
            )
        labels = [f"{n // 3 + 1}{'ABC'[n % 3]}" for n in range(args.cmocs)]
        for index, label in enumerate(labels):
            services.save_cmoc(
                session,
                ctx,
                label=label,
                cluster=clusters[index % len(clusters)],
                context=" ".join(rng.sample(WORDS, 6)),
                mechanism=" ".join(rng.sample(WORDS, 6)),
                outcome=" ".join(rng.sample(WORDS, 5)),
                direction=rng.choice(["reduces", "worsens", "mixed", "unclear"]),
            )
        pairs = set()
        while len(pairs) < args.links:
            pairs.add(
                (rng.choice(labels), rng.choice(["context", "mechanism", "outcome"]), rng.choice(excerpts))
            )
        for label, component, excerpt in sorted(pairs):
            services.link_evidence(
                session,
                ctx,
                label=label,
                component=component,
                excerpt_id=excerpt,
                interpretation="read as " + component,
            )
        for _ in range(20):
            source, target = rng.sample(labels, 2)
            try:
                services.relate_cmocs(
                    session, ctx, source=source, kind=rng.choice(["refines", "depends_on"]), target=target
                )
            except ValidationError:
                pass
        services.snapshot_theory(session, ctx, name="initial", note="benchmark")
    built = time.perf_counter() - started
    print(
        f"built {args.cmocs} CMOCs, {args.documents} documents, {args.links} links "
        f"on {url.split(':')[0]} in {built:.1f} s"
    )
    with database.unit_of_work() as session:
        ctx = services.trusted_context(session, review_id=review.id, actor="bench")
        rows = [
            ("workspace (synthesis_overview)", lambda: services.synthesis_overview(session, ctx)),
            (
                "CMOC page (cmoc_page, median CMOC)",
                lambda: services.cmoc_page(session, ctx, label=labels[len(labels) // 2]),
            ),
            ("diagram SVG (theory_diagram svg)", lambda: services.theory_diagram(session, ctx, fmt="svg")),
            ("diagram Mermaid", lambda: services.theory_diagram(session, ctx, fmt="mermaid")),
            (
                "diff initial -> working",
                lambda: services.diff_theories(session, ctx, old="initial", new="working"),
            ),
            (
                "CMOC table + appendix, DOCX",
                lambda: services.cmoc_tables(session, ctx, fmt="docx", appendix=True),
            ),
            ("cmocs --json data (theory_version)", lambda: services.theory_version(session, ctx)),
        ]
        print(f"{'what':40} {'median ms':>10}")
        for name, fn in rows:
            fn()  # warm: imports (matplotlib, python-docx) are paid once per process
            print(f"{name:40} {_median(fn, args.runs) * 1000:10.1f}")
        cold = services.theory_diagram(session, ctx, fmt="svg")
        print(f"SVG size: {len(cold) / 1024:.0f} KiB")
    with database.unit_of_work() as session:
        ctx = services.trusted_context(session, review_id=review.id, actor="bench")
        services.create_user(session, email=OWNER, password=PASSWORD, actor="bench")
        services.add_member(session, ctx, email=OWNER, role=services.Role.OWNER)
    database.close()
    _pages(url, review.id, labels[len(labels) // 2], args.runs)


OWNER, PASSWORD = "owner@example.org", "benchmark password"


def _pages(url: str, review_id: int, label: str, runs: int) -> None:
    """The pages through the ASGI app (FastAPI's TestClient, no network): server time per page."""
    from fastapi.testclient import TestClient

    from realreview.settings import Settings
    from realreview.web import create_app

    with TestClient(create_app(Settings(database_url=url, secret_key="benchmark"))) as client:
        page = client.get("/login").text
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post("/login", data={"email": OWNER, "password": PASSWORD, "csrf_token": token})
        paths = [
            ("workspace page", f"/reviews/{review_id}/synthesis"),
            ("CMOC page", f"/reviews/{review_id}/cmocs/{label}"),
            ("versions + diff page", f"/reviews/{review_id}/theory"),
            ("diagram SVG", f"/reviews/{review_id}/theory/diagram.svg"),
        ]
        print(f"{'page (HTTP, in process)':40} {'median ms':>10} {'KiB':>8}")
        for name, path in paths:
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            took = _median(lambda path=path: client.get(path), runs) * 1000
            print(f"{name:40} {took:10.1f} {len(answer.content) / 1024:8.0f}")


if __name__ == "__main__":
    main()
