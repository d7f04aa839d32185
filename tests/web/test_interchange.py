"""Files in and out in the browser: the REFI-QDA project and codebook, a project imported, a broken file refused."""

from __future__ import annotations

import io
import zipfile

from tests.web.conftest import OWNER, csrf

from realreview import services


def test_project_round_trip_through_the_page(web, app_url) -> None:  # type: ignore[no-untyped-def]
    with services.connect(app_url).unit_of_work() as session:
        empty = services.trusted_context(session, review_id=1, actor="t")
        services.create_code(session, empty, name="Trust")
    client = web(OWNER)
    page = client.get("/reviews/1/exchange")
    assert page.status_code == 200 and "project.qdpx" in page.text and "export-records" in page.text
    project = client.get("/reviews/1/project.qdpx")
    assert project.status_code == 200 and "attachment" in project.headers["content-disposition"]
    assert "project.qde" in zipfile.ZipFile(io.BytesIO(project.content)).namelist()
    codebook = client.get("/reviews/1/codebook.qdc")
    assert codebook.status_code == 200 and b"CodeBook" in codebook.content
    token = csrf(client, "/reviews/1/exchange")
    with services.connect(app_url).unit_of_work() as session:
        before = len(services.codebook(session, services.trusted_context(session, review_id=1, actor="t")))
    broken = client.post(
        "/reviews/1/project", data={"csrf_token": token}, files={"file": ("x.qdpx", b"not a project")}
    )
    assert broken.status_code == 400 and "x.qdpx:" in broken.text
    done = client.post(
        "/reviews/1/project", data={"csrf_token": token}, files={"file": ("book.qdc", codebook.content)}
    )
    assert done.status_code == 200 and "Imported book.qdc" in done.text
    with services.connect(app_url).unit_of_work() as session:
        after = len(services.codebook(session, services.trusted_context(session, review_id=1, actor="t")))
    assert after >= before
