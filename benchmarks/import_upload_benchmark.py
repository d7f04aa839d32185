"""Import through the browser's path vs ``realreview import``: 100,000 real records (issue #14).

The records are the real ones of the labelled deduplication sets (../shared/data/dedup, as in
``import_speed.py``), all written as one RIS file. Three timings, each on a fresh SQLite database:

* ``cli``: ``realreview import bench.ris`` as a user runs it (one process, wall time);
* ``browser``: what imports.js does against ``realreview serve``: upload the file to the preview
  (format detected, first records read), confirm (one job queued over the staged file), then poll
  the job's JSON until it has ended; the time until the poll first shows progress is reported too;
* ``direct``: the form without JavaScript: POST the file to the queue, poll until done.

    python benchmarks/import_upload_benchmark.py [--records 100000] [--data ../shared/data/dedup]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_speed import DEFAULT_DATA, REALREVIEW, real_records, to_record  # noqa: E402

EMAIL, PASSWORD = "owner@example.org", "benchmark horse"
#: How often the job is polled: as often as the page's job card polls (``_job.html``).
POLL = 0.5


def build(data: Path, total: int, path: Path) -> None:
    from realreview import dumps

    path.write_text(dumps([to_record(row) for row in real_records(data, total)], "ris"), encoding="utf-8")


def fresh_database(url: str) -> None:
    """A migrated database with one review whose owner can sign in."""
    env = {**os.environ, "REALREVIEW_DATABASE_URL": url}
    subprocess.run([str(REALREVIEW), "init", "Benchmark"], env=env, check=True, capture_output=True)
    from realreview import services

    database = services.connect(url)
    with database.unit_of_work(write=True) as session:
        ctx = services.trusted_context(session, review_id=1, actor="benchmark")
        services.create_user(session, email=EMAIL, password=PASSWORD, actor="benchmark")
        services.add_member(session, ctx, email=EMAIL, role=services.Role.OWNER)
    database.close()


def time_cli(url: str, path: Path) -> float:
    env = {**os.environ, "REALREVIEW_DATABASE_URL": url}
    start = time.perf_counter()
    subprocess.run([str(REALREVIEW), "import", str(path)], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _signed_in(base: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=600)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)})
    page = client.get("/reviews/1/import")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert page.status_code == 200 and token, page.text[:300]
    return client, token.group(1)


def _poll(client: httpx.Client, job_id: int, started: float) -> tuple[float | None, float]:
    """Seconds from ``started`` until progress first shows, and until the job has ended."""
    first = None
    while True:
        state = client.get(f"/reviews/1/jobs/{job_id}").json()
        now = time.perf_counter() - started
        if first is None and (state["done"] or state["status"] != "queued"):
            first = now
        if state["finished"]:
            if state["status"] != "done":
                sys.exit(f"job failed: {state['error']}")
            return first, now
        time.sleep(POLL)


def time_upload(url: str, path: Path, *, browser: bool) -> dict[str, float | None]:
    port = _free_port()
    env = {**os.environ, "REALREVIEW_DATABASE_URL": url}
    server = subprocess.Popen(
        [str(REALREVIEW), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/login")
                break
            except httpx.TransportError:
                time.sleep(POLL)
        client, token = _signed_in(base)
        headers = {"X-CSRF-Token": token, "HX-Request": "true"}
        started = time.perf_counter()
        with open(path, "rb") as handle:
            files = {"files": (path.name, handle, "application/x-research-info-systems")}
            if browser:
                preview = client.post("/reviews/1/import/preview", files=files, headers=headers)
                staged = re.search(r'name="staged" value="([^"]+)"', preview.text)
                assert staged, preview.text[:500]
                previewed = time.perf_counter() - started
                queued = client.post("/reviews/1/import", data={"staged": staged.group(1)}, headers=headers)
            else:
                previewed = None
                queued = client.post("/reviews/1/import", files=files, headers=headers)
        posted = time.perf_counter() - started
        job = re.search(r'id="job-(\d+)"', queued.text)
        assert job, queued.text[:500]
        first, ended = _poll(client, int(job.group(1)), started)
        return {"preview": previewed, "posted": posted, "first_progress": first, "total": ended}
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("REALREVIEW_DEDUP_DATA", DEFAULT_DATA))
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "bench.ris"
        build(args.data, args.records, path)
        print(f"{args.records:,} records, {path.stat().st_size / 2**20:.1f} MiB of RIS")
        urls = {name: f"sqlite:///{folder / name}.db" for name in ("cli", "browser", "direct")}
        for url in urls.values():
            fresh_database(url)
        cli = time_cli(urls["cli"], path)
        print(f"realreview import:            {cli:6.2f} s")
        for name in ("browser", "direct"):
            got = time_upload(urls[name], path, browser=name == "browser")
            preview = f"preview answered {got['preview']:.2f} s, " if got["preview"] is not None else ""
            print(
                f"upload ({name:7}) + job:       {got['total']:6.2f} s "
                f"({preview}queued at {got['posted']:.2f} s, first progress at {got['first_progress']:.2f} s; "
                f"{100 * (got['total'] / cli - 1):+.0f}% vs the CLI)"  # type: ignore[operator]
            )


if __name__ == "__main__":
    main()
