"""Every upload path on hostile inputs (issue 11 point 7): one line, exit 1 or a 4xx, the database unchanged.

The inputs come from :mod:`tests.hostile`. Each runs through its CLI command (CliRunner; the bombs in a
subprocess capped at 2 GiB, so that a missing limit fails the test rather than the machine) and, for
XLSX and PDF, through the web upload as a signed-in owner. A refusal must leave every table's row
count and the full-text store's files as they were.
"""

from __future__ import annotations

import logging
import resource
import shutil
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from tests.exports_table import EXPORTS
from tests.hostile import Hostile, hostile_inputs
from tests.web.conftest import PASSWORD, csrf, login
from typer.testing import CliRunner

from realreview import services
from realreview.cli import app
from realreview.fulltext import FileStore
from realreview.settings import Settings
from realreview.storage.engine import make_engine
from realreview.web import create_app
from realreview.web.app import close_app

OWNER = "owner@example.org"
ACTOR = "tester"
CASES = {case.name: case for case in hostile_inputs(reviewer=OWNER)}
COMMANDS = {
    "import": ["import"],
    "characteristics": ["characteristics", "import"],
    "documents": ["documents", "add", "--record", "1"],
    "qdpx": ["qdpx", "import"],
    "screen": ["screen", "import"],
}
ROUTES = {  # entry -> (upload route, page holding its form)
    "characteristics": ("/reviews/1/characteristics.xlsx", "/reviews/1/characteristics"),
    "documents": ("/reviews/1/documents", "/reviews/1/documents"),
}
#: Cases also run on PostgreSQL: the ones where the two databases have differed (NUL, controls).
POSTGRES_CASES = [
    *(
        f"{fmt}-{name}"
        for fmt in ("ris", "nbib", "csv", "endnote_xml")
        for name in ("nul-late", "c0-controls")
    ),
    "xlsx-far-cell-XFD1048576",
    "pdf-not-a-pdf",
    "qdpx-offsets-past-end",
    "screen-nul-bytes",
    "screen-short-line",
]
_AS_EXTRA = 2 * 2**30
#: Cases that fail today, with the issue point whose fix must cover them (removed at integration).
KNOWN: dict[str, str] = {}


def _param(name: str, backend: str, entry: str) -> object:
    case = CASES[name]
    marks: list[pytest.MarkDecorator] = []
    reason = case.xfail or KNOWN.get(f"{entry}:{name}") or KNOWN.get(name)
    if reason:
        marks.append(pytest.mark.xfail(strict=False, reason=reason))
    if backend == "postgresql":
        marks.append(pytest.mark.postgres)
    return pytest.param(name, backend, marks=marks, id=f"{name}-{backend}")


CLI_PARAMS = [_param(name, "sqlite", "cli") for name in CASES] + [
    _param(name, "postgresql", "cli") for name in POSTGRES_CASES
]
WEB_PARAMS = [_param(name, "sqlite", "web") for name, case in CASES.items() if case.entry in ROUTES] + [
    _param(name, "postgresql", "web") for name in POSTGRES_CASES if CASES[name].entry in ROUTES
]


def _small_review(url: str, files: Path) -> None:
    """One review: ten records, an owner account, a text document in the store, one code."""
    database = services.connect(url)
    with database.unit_of_work() as session:
        review = services.create_review(session, title="Hostile", actor=ACTOR)
        ctx = services.trusted_context(session, review_id=review.id, actor=ACTOR)
        services.import_export(session, ctx, path=EXPORTS / "ris/cff_embase.ris", max_bytes=2**30)
        services.create_user(session, email=OWNER, password=PASSWORD, actor=ACTOR)
        services.add_member(session, ctx, email=OWNER, role=services.Role("owner"))
        owner = services.review_context(session, review_id=review.id, email=OWNER)
        services.add_document(
            session,
            owner,
            data=b"Staff trusted the audit data.",
            name="audit.txt",
            record_id=None,
            store=FileStore(files),
            max_bytes=2**20,
        )
        services.create_code(session, owner, name="Trust")
    database.close()


def snapshot(url: str, files: Path) -> tuple[dict[str, int], list[str]]:
    """Row counts of every table, and the store's files."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tables = sorted(inspect(connection).get_table_names())
            counts = {
                name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in tables
            }
    finally:
        engine.dispose()
    return counts, sorted(str(path.relative_to(files)) for path in files.rglob("*") if path.is_file())


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small review on SQLite, built once; each test copies it."""
    folder = tmp_path_factory.mktemp("hostile_template")
    _small_review(f"sqlite:///{folder / 'review.db'}", folder / "files")
    return folder


@pytest.fixture
def world(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    """A database with the small review and its store: ``(url, files folder)``."""
    files = tmp_path / "files"
    if request.node.callspec.params["backend"] == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        shutil.copy(template / "review.db", tmp_path / "review.db")
        shutil.copytree(template / "files", files)
        return f"sqlite:///{tmp_path / 'review.db'}", files
    url = str(request.getfixturevalue("postgres_url"))
    _small_review(url, files)
    return url, files


def _env(url: str, files: Path) -> dict[str, str]:
    return {"REALREVIEW_DATABASE_URL": url, "REALREVIEW_USER": ACTOR, "REALREVIEW_FILES_DIR": str(files)}


@contextmanager
def memory_guard(extra: int = _AS_EXTRA) -> Iterator[None]:
    """Cap this process's address space at its current size plus ``extra`` (soft limit, restored after).

    A limit that is not in yet then fails its test with a MemoryError instead of taking the machine.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    size = next(
        int(line.split()[1]) * 1024
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith("VmSize:")
    )
    cap = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def run_cli(
    case: Hostile,
    path: Path,
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> tuple[int, str]:
    """Exit code and output of the case's command on ``path`` (99 and the traceback if it raised).

    Log records of WARNING and above count as output: outside pytest, Python's last-resort handler
    prints them on the terminal (bibtexparser logs each entry it cannot parse).
    """
    caplog.set_level(logging.WARNING)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("REALREVIEW_REVIEW", raising=False)
    with memory_guard():
        result = CliRunner().invoke(app, [*COMMANDS[case.entry], str(path)], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        return 99, result.output + "Traceback (in process)\n" + trace
    logged = "".join(
        f"{record.getMessage()}\n" for record in caplog.records if record.levelno >= logging.WARNING
    )
    return result.exit_code, logged + result.output


def _check_outcome(case: Hostile, code: int, output: str, before: object, after: object) -> None:
    assert "Traceback" not in output, output[-3000:]
    if case.expect == "refuse" or code != 0:
        assert code == 1, f"exit {code}: {output[-2000:]}"
        lines = output.strip().splitlines()
        assert len(lines) == 1, output[-2000:]
        assert lines[0].startswith("Error: ") and len(lines[0]) > len("Error: ")
        assert after == before, "a refused file changed the database or the store"


@pytest.mark.parametrize(("name", "backend"), CLI_PARAMS)
def test_cli_refuses_hostile_inputs_in_one_line(
    name: str,
    backend: str,
    world: tuple[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, files = world
    case = CASES[name]
    path = tmp_path / case.filename
    path.write_bytes(case.build("test"))
    before = snapshot(url, files)

    code, output = run_cli(case, path, _env(url, files), monkeypatch, caplog)

    _check_outcome(case, code, output, before, snapshot(url, files))
    if (
        code == 0
        and case.expect == "any"
        and name.split("-", 1)[-1] in {"nul-early", "nul-late", "c0-controls"}
    ):
        assert "note" in output.lower() or "removed" in output.lower(), (
            f"a repair without a note: {output[-2000:]}"
        )


@pytest.mark.parametrize(("name", "backend"), WEB_PARAMS)
def test_uploads_of_hostile_files_are_a_4xx_with_a_message(
    name: str, backend: str, world: tuple[str, Path]
) -> None:
    url, files = world
    case = CASES[name]
    route, page = ROUTES[case.entry]
    client = TestClient(
        create_app(Settings(database_url=url, secret_key="test-secret", files_dir=str(files)))
    )
    try:
        login(client, OWNER)
        before = snapshot(url, files)
        form = {"csrf_token": csrf(client, page), "record_id": "1"}
        upload = {"file": (case.filename, case.build("test"), "application/octet-stream")}
        with memory_guard():
            answer = client.post(route, data=form, files=upload, follow_redirects=False)
        after = snapshot(url, files)
        assert answer.status_code < 500, answer.text[-2000:]
        if case.expect == "refuse" or answer.status_code >= 400:
            assert 400 <= answer.status_code < 500, answer.status_code
            message = answer.context["error"]  # type: ignore[attr-defined]
            assert message and "\n" not in message.strip() and "Traceback" not in message, message
            assert case.filename in message, message
            assert after == before, "a refused upload changed the database or the store"
        assert client.get(page).status_code == 200  # the app lives on
    finally:
        client.close()
        close_app(client.app)  # type: ignore[arg-type]
