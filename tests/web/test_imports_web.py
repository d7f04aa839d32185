"""Import in the browser over HTTP: preview, queue, the job's progress and report (issue #14)."""

from __future__ import annotations

import re
import threading
import time

from fastapi.testclient import TestClient
from tests.exports_table import EXPORTS
from tests.web.conftest import ANA, OWNER, Client, csrf

from realreview import services
from realreview.settings import Settings
from realreview.web import create_app
from realreview.web.app import close_app

SCOPUS = EXPORTS / "ris/cff_scopus.ris"
PAGE = "/reviews/1/import"


def _post(client: TestClient, path: str, *, htmx: bool = False, **kwargs: object):  # type: ignore[no-untyped-def]
    data = dict(kwargs.pop("data", {}) or {})  # type: ignore[call-overload]
    data["csrf_token"] = csrf(client, "/")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(path, data=data, headers=headers, follow_redirects=False, **kwargs)  # type: ignore[arg-type]


def _run_queued(client: TestClient) -> list[services.JobInfo]:
    """Run every queued job here and now, as the app's job thread would."""
    state = client.app.state  # type: ignore[attr-defined]
    ran = []
    while (job := services.run_next(state.database, settings=state.settings, worker="test")) is not None:
        ran.append(job)
    return ran


def test_the_owner_sees_the_import_page_a_reviewer_does_not(web: Client) -> None:
    owner = web(OWNER)
    page = owner.get(PAGE)
    assert page.status_code == 200 and page.template.name == "import.html"  # type: ignore[attr-defined]
    assert [s.database for s in page.context["searches"]] == ["Embase"]  # type: ignore[attr-defined]
    assert 'data-preview-url="/reviews/1/import/preview"' in page.text
    assert '<script src="/static/imports.js" defer></script>' in page.text
    assert web(ANA).get(PAGE).status_code == 403


def test_preview_shows_the_detected_format_and_database(web: Client) -> None:
    owner = web(OWNER)
    files = [
        ("files", ("scopus.ris", SCOPUS.read_bytes(), "application/x-research-info-systems")),
        ("files", ("notes.txt", b"just some words\n", "text/plain")),
    ]
    answer = _post(owner, PAGE + "/preview", htmx=True, files=files)
    assert answer.status_code == 200 and answer.template.name == "_import_preview.html"  # type: ignore[attr-defined]
    good, bad = answer.context["previews"]  # type: ignore[attr-defined]
    assert (good.format, good.database, good.records_seen, good.ready) == ("ris", "Scopus", 10, True)
    assert not bad.ready and "notes.txt" in (bad.error or "")
    assert f'name="staged" value="{good.sha256}/scopus.ris"' in answer.text
    assert "<dd data-detected-format>ris</dd>" in answer.text
    assert web(ANA).post(PAGE + "/preview", files=files[:1]).status_code == 403  # no CSRF, no role


def test_confirm_queues_a_job_that_runs_and_reports(web: Client) -> None:
    owner = web(OWNER)
    preview = _post(
        owner, PAGE + "/preview", htmx=True, files=[("files", ("scopus.ris", SCOPUS.read_bytes()))]
    )
    staged = re.search(r'name="staged" value="([^"]+)"', preview.text)
    assert staged
    queued = _post(owner, PAGE, htmx=True, data={"staged": staged.group(1), "database": "Scopus"})
    assert queued.status_code == 200 and queued.template.name == "_jobs.html"  # type: ignore[attr-defined]
    (job,) = queued.context["jobs"]  # type: ignore[attr-defined]
    assert 'hx-trigger="every 500ms"' in queued.text and "<progress" in queued.text
    assert owner.get(f"/reviews/1/jobs/{job.id}").json()["status"] == "queued"
    (ran,) = _run_queued(owner)
    assert ran.id == job.id and ran.status == "done", ran.error
    state = owner.get(f"/reviews/1/jobs/{job.id}").json()
    assert (state["status"], state["percent"], state["result"]["records"]) == ("done", 100, 10)
    card = owner.get(f"/reviews/1/jobs/{job.id}/view", headers={"HX-Request": "true"})
    assert card.template.name == "_job.html" and "hx-trigger" not in card.text  # type: ignore[attr-defined]
    assert "Imported 10 records from scopus.ris (ris; Scopus" in card.text
    reviewer = web(ANA)  # the progress and the report are for every member who sees records
    assert reviewer.get(f"/reviews/1/jobs/{job.id}").json()["status"] == "done"
    assert reviewer.get(f"/reviews/1/jobs/{job.id}/view").template.name == "job.html"  # type: ignore[attr-defined]
    # The list after a reload, from any worker: the job and its report.
    assert "Imported 10 records" in web(OWNER).get(PAGE).text


def test_without_javascript_the_form_posts_the_files(web: Client) -> None:
    owner = web(OWNER)
    broken = SCOPUS.read_bytes() * 30 + b"TY  - JOUR\nTI  - Caf\xe9\nER  - \n"
    answer = _post(
        owner, PAGE, files=[("files", ("good.ris", SCOPUS.read_bytes())), ("files", ("broken.ris", broken))]
    )
    assert answer.status_code == 303 and answer.headers["location"] == PAGE
    good, bad = sorted(_run_queued(owner), key=lambda job: job.id)
    assert good.status == "done" and bad.status == "failed"
    state = owner.get(f"/reviews/1/jobs/{bad.id}").json()
    assert state["error"].startswith("broken.ris: line 15032: not valid UTF-8")
    page = owner.get(PAGE).text
    assert "broken.ris: line 15032" in page and "Nothing was stored." in page


def test_a_queue_without_files_is_refused(web: Client) -> None:
    answer = _post(web(OWNER), PAGE, htmx=True, data={"database": "MEDLINE"})
    assert answer.status_code == 400 and "choose at least one export file" in answer.text


def test_run_dedup_queues_a_job_and_shows_its_progress_page(web: Client) -> None:
    owner = web(OWNER)
    answer = _post(owner, "/reviews/1/dedup/run")
    assert answer.status_code == 303
    match = re.fullmatch(r"/reviews/1/jobs/(\d+)/view", answer.headers["location"])
    assert match
    page = owner.get(answer.headers["location"])
    assert page.template.name == "job.html" and "<progress" in page.text  # type: ignore[attr-defined]
    (ran,) = _run_queued(owner)
    assert ran.status == "done" and ran.result is not None
    assert "Deduplicated" in owner.get(answer.headers["location"]).text
    assert _post(web(ANA), "/reviews/1/dedup/run").status_code == 403


def test_the_app_runs_jobs_while_it_serves_and_stops_its_threads(app_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(database_url=app_url, secret_key="s", files_dir=str(tmp_path / "files"))
    app = create_app(settings)
    before = {t.ident for t in threading.enumerate()}
    try:
        with TestClient(app) as client:  # the lifespan starts the job thread
            from tests.web.conftest import login

            login(client, OWNER)
            queued = _post(client, PAGE, htmx=True, files=[("files", ("scopus.ris", SCOPUS.read_bytes()))])
            job_id = queued.context["jobs"][0].id  # type: ignore[attr-defined]
            deadline, state = time.monotonic() + 30, {}
            while time.monotonic() < deadline:
                state = client.get(f"/reviews/1/jobs/{job_id}").json()
                if state["finished"]:
                    break
                time.sleep(0.05)
            assert state["status"] == "done", state
    finally:
        close_app(app)
    leaked = [t for t in threading.enumerate() if t.ident not in before and t.name.startswith("jobs ")]
    assert leaked == []


def test_no_threads_when_job_threads_is_zero(app_url: str) -> None:
    app = create_app(Settings(database_url=app_url, secret_key="s", job_threads=0))
    with TestClient(app):
        assert getattr(app.state, "runner", None) is None
    close_app(app)
