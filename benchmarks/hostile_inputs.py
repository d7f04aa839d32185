"""Hostile-input benchmark (issue 11 point 10): every hostile class through the CLI and the web app.

Each class from ``tests/hostile.py`` is built at full size (an 11.5 KB XLSX with a cell at XFD1048576,
a sheet-size bomb, a 4 MB PDF Flate bomb of 4 GiB of zeros, a ~1 MB .qdpx whose project.qde unpacks
to 896 MiB, entity bombs, deep XML, control characters, wrong encodings...) and fed to:

* the CLI, ``python -m realreview ...`` in a subprocess on a fresh copy of a small SQLite review:
  wall time, and peak memory of the whole process tree (sampled from /proc every 20 ms, and the
  largest descendant's ``ru_maxrss`` from ``getrusage(RUSAGE_CHILDREN)``, whichever is larger);
* the web app, ``realreview serve`` in a subprocess, for the classes with an upload route (XLSX and
  PDF): signed in as the owner, with the CSRF token, timing the upload and sampling the server's
  process tree; "peak MB" of a web row is the peak above the server's idle size, what the upload cost.

Budget: 512 MB and 30 s per class (PASS/FAIL), and the server alive at the end.

    .venv/bin/python benchmarks/hostile_inputs.py [--only CLASS[,CLASS]] [--json OUT] [--scale test]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import Hostile, hostile_inputs  # noqa: E402

from realreview import services  # noqa: E402
from realreview.fulltext import FileStore  # noqa: E402

OWNER, PASSWORD, ACTOR = "owner@example.org", "correct horse", "bench"
BUDGET_MB, BUDGET_S = 512, 30.0
TIMEOUT_S = 120
COMMANDS = {
    "import": ["import"],
    "characteristics": ["characteristics", "import"],
    "documents": ["documents", "add", "--record", "1"],
    "qdpx": ["qdpx", "import"],
    "screen": ["screen", "import"],
}
ROUTES = {
    "characteristics": ("/reviews/1/characteristics.xlsx", "/reviews/1/characteristics"),
    "documents": ("/reviews/1/documents", "/reviews/1/documents"),
}
_PAGE = os.sysconf("SC_PAGE_SIZE")
# The wrapper runs the command and reports the largest descendant's peak RSS (KiB on Linux).
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:]).returncode\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


@dataclass
class Row:
    """One class through one entry point."""

    cls: str
    entry: str
    size_kb: float
    outcome: str
    message: str
    seconds: float
    peak_mb: float
    verdict: str


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                total += int(statm.read().split()[1]) * _PAGE
        except OSError:
            pass
        todo.extend(parents.get(pid, ()))
    return total


class Sampler(threading.Thread):
    """The peak of :func:`tree_rss` for ``pid`` until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self._done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._done.wait(0.02)

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


def small_review(folder: Path) -> str:
    """A SQLite review with ten records, an owner, a text document and a code; its URL."""
    url = f"sqlite:///{folder / 'review.db'}"
    database = services.connect(url)
    with database.unit_of_work() as session:
        review = services.create_review(session, title="Hostile", actor=ACTOR)
        ctx = services.trusted_context(session, review_id=review.id, actor=ACTOR)
        ris = ROOT / "tests/data/exports/ris/cff_embase.ris"
        services.import_export(session, ctx, path=ris, max_bytes=2**30)
        services.create_user(session, email=OWNER, password=PASSWORD, actor=ACTOR)
        services.add_member(session, ctx, email=OWNER, role=services.Role("owner"))
        owner = services.review_context(session, review_id=review.id, email=OWNER)
        store = FileStore(folder / "files")
        text = b"Staff trusted the audit data."
        services.add_document(
            session, owner, data=text, name="audit.txt", record_id=None, store=store, max_bytes=2**20
        )
        services.create_code(session, owner, name="Trust")
    database.close()
    return url


def _env(url: str, files: Path) -> dict[str, str]:
    env = {**os.environ, "REALREVIEW_DATABASE_URL": url, "REALREVIEW_FILES_DIR": str(files)}
    env.update({"REALREVIEW_USER": ACTOR, "REALREVIEW_SECRET_KEY": "bench-secret", "PYTHONUNBUFFERED": "1"})
    env.pop("REALREVIEW_REVIEW", None)
    return env


def _summary(code: int | None, output: str) -> tuple[str, str]:
    lines = [line for line in output.splitlines() if line.strip()]
    notes = sum("note" in line.lower() or "removed" in line.lower() for line in lines)
    error = next((line for line in lines if line.startswith("Error:")), lines[0] if lines else "")
    if "Traceback" in output:
        return f"TRACEBACK (exit {code})", next((ln for ln in reversed(lines) if ln.strip()), "")
    if code is None:
        return "timeout", ""
    if code == 1:
        extra = "" if len(lines) == 1 else f", {len(lines)} lines"
        return "refused" + extra, error
    if code == 0:
        return (f"imported, {notes} notes" if notes else "imported"), lines[0] if lines else ""
    return f"crashed (exit {code})", error


def _verdict(case: Hostile, outcome: str, seconds: float, peak_mb: float) -> str:
    ok = seconds <= BUDGET_S and peak_mb <= BUDGET_MB
    ok = ok and outcome.split(",")[0] in (
        {"refused", "4xx"} if case.expect == "refuse" else {"refused", "4xx", "imported"}
    )
    return "PASS" if ok else "FAIL"


def run_cli(case: Hostile, path: Path, template: Path, work: Path) -> Row:
    """The case's command on a fresh copy of the review, timed and sampled."""
    folder = work / "cli"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(template, folder)
    url = f"sqlite:///{folder / 'review.db'}"
    report = work / "maxrss"
    command = [sys.executable, "-c", _WRAPPER, str(report), sys.executable, "-m", "realreview"]
    command += [*COMMANDS[case.entry], str(path)]
    start = time.perf_counter()
    child = subprocess.Popen(
        command,
        env=_env(url, folder / "files"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    sampler = Sampler(child.pid)
    sampler.start()
    try:
        output, _ = child.communicate(timeout=TIMEOUT_S)
        code: int | None = child.returncode
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # the command and its sandbox child, nothing else
        output, code = child.communicate()[0], None
    seconds = time.perf_counter() - start
    peak = sampler.stop()
    try:
        peak = max(peak, int(report.read_text()) * 1024)
    except (OSError, ValueError):
        pass
    outcome, message = _summary(code, output)
    size = path.stat().st_size / 1024
    row = Row(
        case.name,
        "cli " + " ".join(COMMANDS[case.entry][:2]),
        size,
        outcome,
        message[:80],
        seconds,
        peak / 2**20,
        "",
    )
    row.verdict = _verdict(case, outcome, seconds, row.peak_mb)
    return row


class Server:
    """``realreview serve`` on a free port over its own copy of the review, signed in as the owner."""

    def __init__(self, template: Path, work: Path) -> None:
        folder = work / "web"
        shutil.copytree(template, folder)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = _env(f"sqlite:///{folder / 'review.db'}", folder / "files")
        command = [sys.executable, "-m", "realreview", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=TIMEOUT_S)
        for _ in range(300):
            try:
                if self.client.get("/login").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        self.client.post(
            "/login", data={"email": OWNER, "password": PASSWORD, "csrf_token": self.token("/login")}
        )

    def token(self, page: str) -> str:
        match = re.search(r'name="csrf_token" value="([^"]+)"', self.client.get(page).text)
        return match.group(1) if match else ""

    def alive(self) -> bool:
        try:
            return self.process.poll() is None and self.client.get("/reviews/1/documents").status_code == 200
        except httpx.TransportError:
            return False

    def upload(self, case: Hostile, data: bytes) -> Row:
        route, page = ROUTES[case.entry]
        form = {"csrf_token": self.token(page), "record_id": "1"}
        idle = tree_rss(self.process.pid)
        sampler = Sampler(self.process.pid)
        sampler.start()
        start = time.perf_counter()
        try:
            answer = self.client.post(
                route, data=form, files={"file": (case.filename, data)}, follow_redirects=False
            )
            status, body = answer.status_code, answer.text
        except httpx.HTTPError as error:
            status, body = 0, f"{type(error).__name__}: {error}"
        seconds = time.perf_counter() - start
        peak = sampler.stop()
        found = re.search(r'<p class="error" role="alert">(.*?)</p>', body, re.S)
        message = html.unescape(found.group(1).strip()) if found else (body[:80] if status == 0 else "")
        if status == 0:
            outcome = "no answer (server died?)"
        elif 400 <= status < 500:
            outcome = f"4xx ({status})"
        elif status in (200, 303):
            outcome = f"imported ({status})"
        else:
            outcome = f"{status}"
        entry = "web POST " + route.rsplit("/", 1)[1]
        cost = (peak - idle) / 2**20  # what the upload added to the server's tree
        row = Row(case.name, entry, len(data) / 1024, outcome, message[:80], seconds, cost, "")
        row.verdict = _verdict(case, outcome.split(" ")[0], seconds, cost)
        return row

    def close(self) -> None:
        self.client.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def print_row(row: Row) -> None:
    print(
        f"{row.cls:30} {row.entry:28} {row.size_kb:>9.1f} {row.outcome:24.24} {row.seconds:>7.2f} "
        f"{row.peak_mb:>8.1f} {row.verdict:4}  {row.message}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated class names (or name prefixes, e.g. xlsx,pdf-flate)")
    parser.add_argument("--json", type=Path, help="write the rows as JSON to this file")
    parser.add_argument(
        "--scale", choices=("full", "test"), default="full", help="input sizes (default: full)"
    )
    parser.add_argument("--no-web", action="store_true", help="skip the web app")
    args = parser.parse_args(argv)
    cases = hostile_inputs(reviewer=OWNER)
    if args.only:
        wanted = [part.strip() for part in args.only.split(",") if part.strip()]
        cases = [case for case in cases if any(case.name == w or case.name.startswith(w) for w in wanted)]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="rr-hostile-") as tmp:
        work = Path(tmp)
        template = work / "template"
        template.mkdir()
        small_review(template)
        server = None if args.no_web or not any(c.entry in ROUTES for c in cases) else Server(template, work)
        print(
            f"{'class':30} {'entry point':28} {'KB':>9} {'outcome':24} {'seconds':>7} {'peak MB':>8} {'':4}  message"
        )
        for case in cases:
            data = case.build(args.scale)
            path = work / case.filename
            path.write_bytes(data)
            rows.append(run_cli(case, path, template, work))
            print_row(rows[-1])
            if server is not None and case.entry in ROUTES:
                rows.append(server.upload(case, data))
                print_row(rows[-1])
            path.unlink()
            del data
        alive = server.alive() if server is not None else None
        if server is not None:
            server.close()
    failed = sum(row.verdict == "FAIL" for row in rows)
    print(
        f"\n{len(rows) - failed}/{len(rows)} within {BUDGET_MB} MB and {BUDGET_S:.0f} s; "
        f"server alive afterwards: {alive}"
    )
    if args.json:
        args.json.write_text(json.dumps({"rows": [asdict(r) for r in rows], "server_alive": alive}, indent=2))
    return 1 if failed or alive is False else 0


if __name__ == "__main__":
    sys.exit(main())
