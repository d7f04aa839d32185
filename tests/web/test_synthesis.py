"""The synthesis pages over ASGI: workspace, CMOC page, evidence forms, versions and diff, diagram, tables."""

from __future__ import annotations

import io

from docx import Document
from tests.web.conftest import ANA, BEN, OWNER, PASSWORD, XSS, csrf, member_ctx

from realreview import services
from realreview.access import Role

PAN = "pan@example.org"


def _post(client, path: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf(client, "/"), **data}, follow_redirects=False)


def test_a_reviewer_builds_a_cmoc_from_an_excerpt_and_versions_it(web, excerpt: int) -> None:  # type: ignore[no-untyped-def]
    ana = web(ANA)
    assert (
        _post(ana, "/reviews/1/synthesis/clusters", key="data", title="Data and its use").status_code == 303
    )
    made = _post(
        ana,
        "/reviews/1/cmocs",
        label="1A",
        cluster="data",
        context="audit data are split",
        direction="reduces",
    )
    assert (made.status_code, made.headers["location"]) == (303, "/reviews/1/cmocs/1A")
    page = ana.get("/reviews/1/cmocs/1A")
    assert page.status_code == 200
    assert "When audit data are split." in page.text
    assert "No supporting excerpt yet for: context, mechanism, outcome." in page.text
    assert f'<option value="{excerpt}">audit.txt' in page.text  # the excerpt offered for linking
    linked = _post(
        ana,
        "/reviews/1/cmocs/1A/evidence",
        excerpt_id=str(excerpt),
        component="context",
        role="supports",
        interpretation="the split is what staff trust",
        answer_relevance="yes, for the data cluster",
    )
    assert linked.status_code == 303
    page = ana.get("/reviews/1/cmocs/1A")
    assert "Staff trusted the audit data" in page.text and "the split is what staff trust" in page.text
    assert "relevance: yes, for the data cluster" in page.text
    assert "No supporting excerpt yet for: mechanism, outcome." in page.text
    workspace = ana.get("/reviews/1/synthesis")
    assert workspace.status_code == 200 and "1 excerpt, 1 document" in workspace.text
    assert _post(ana, "/reviews/1/theory", name="initial", note="first").status_code == 303
    _post(
        ana,
        "/reviews/1/cmocs",
        label="1A",
        cluster="data",
        context="audit data are split",
        outcome="gaps close",
    )
    theory = ana.get("/reviews/1/theory")
    assert theory.status_code == 200
    assert '<tr data-version="initial">' in theory.text
    assert "initial → as it stands" in theory.text
    assert "CMOC 1A, outcome: <del></del> <ins>gaps close</ins>" in theory.text
    assert "CMOC 1A, direction: reduces → unclear" in theory.text


def test_the_diagram_and_tables_download(web, excerpt: int) -> None:  # type: ignore[no-untyped-def]
    ana = web(ANA)
    _post(ana, "/reviews/1/synthesis/clusters", key="data", title="Data")
    _post(ana, "/reviews/1/cmocs", label="1A", cluster="data", outcome="gaps close", direction="reduces")
    svg = ana.get("/reviews/1/theory/diagram.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "1A ↓" in svg.text
    mermaid = ana.get("/reviews/1/theory/diagram.mmd")
    assert "attachment" in mermaid.headers["content-disposition"] and mermaid.text.startswith("flowchart TB")
    docx = ana.get("/reviews/1/theory/cmocs.docx?appendix=1")
    table = Document(io.BytesIO(docx.content)).tables[0]
    assert table.rows[1].cells[1].text == "1A"
    assert ana.get("/reviews/1/theory/diagram.png").status_code == 404


def test_a_bad_statement_is_a_400_with_the_reason(web, excerpt: int) -> None:  # type: ignore[no-untyped-def]
    ana = web(ANA)
    _post(ana, "/reviews/1/synthesis/clusters", key="data", title="Data")
    answer = _post(ana, "/reviews/1/cmocs", label="1A", cluster="data")
    assert answer.status_code == 400
    assert "needs at least one of context, mechanism or outcome" in answer.text


def test_statements_are_escaped(web, excerpt: int) -> None:  # type: ignore[no-untyped-def]
    ana = web(ANA)
    _post(ana, "/reviews/1/synthesis/clusters", key="data", title=XSS)
    _post(ana, "/reviews/1/cmocs", label="1A", cluster="data", context=XSS)
    for path in ("/reviews/1/synthesis", "/reviews/1/cmocs/1A"):
        page = ana.get(path)
        assert XSS not in page.text and "&lt;script&gt;" in page.text


def test_the_panel_reads_the_synthesis_without_the_forms(web, app_url: str, excerpt: int) -> None:  # type: ignore[no-untyped-def]
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        services.create_user(session, email=PAN, password=PASSWORD, actor="tester")
        services.add_member(
            session, services.trusted_context(session, review_id=1, actor="t"), email=PAN, role=Role.PANEL
        )
        ana = member_ctx(session, ANA)
        services.add_cluster(session, ana, key="data", title="Data")
        services.save_cmoc(session, ana, label="1A", cluster="data", context="audit data are split")
        services.link_evidence(session, ana, label="1A", component="context", excerpt_id=excerpt)
    database.close()
    panel = web(PAN)
    page = panel.get("/reviews/1/cmocs/1A")
    assert page.status_code == 200 and "Staff trusted the audit data" in page.text
    assert "evidence-form" not in page.text and "Reword" not in page.text
    assert panel.get("/reviews/1/synthesis").status_code == 200
    assert _post(panel, "/reviews/1/cmocs", label="2", cluster="data", outcome="x").status_code == 403
    assert panel.get("/reviews/1/screen/title_abstract").status_code == 403


def test_a_colleagues_link_needs_an_owner_and_a_reason(web, excerpt: int) -> None:  # type: ignore[no-untyped-def]
    ana, ben, owner = web(ANA), web(BEN), web(OWNER)
    _post(ana, "/reviews/1/synthesis/clusters", key="data", title="Data")
    _post(ana, "/reviews/1/cmocs", label="1A", cluster="data", context="audit data are split")
    _post(ana, "/reviews/1/cmocs/1A/evidence", excerpt_id=str(excerpt), component="context")
    page = ben.get("/reviews/1/cmocs/1A")
    assert "take back" not in page.text  # Ben sees Ana's link but no form to take it back
    link = page.text.split('data-link="', 1)[1].split('"', 1)[0]
    assert _post(ben, f"/reviews/1/cmocs/1A/evidence/{link}/remove").status_code == 403
    assert _post(owner, f"/reviews/1/cmocs/1A/evidence/{link}/remove").status_code == 400
    assert (
        _post(owner, f"/reviews/1/cmocs/1A/evidence/{link}/remove", reason="wrong passage").status_code == 303
    )
    assert "No excerpt linked." in ana.get("/reviews/1/cmocs/1A").text


def test_the_panel_comments_a_reviewer_replies_and_marks_it_addressed(
    web, app_url: str, excerpt: int
) -> None:  # type: ignore[no-untyped-def]
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        services.create_user(session, email=PAN, password=PASSWORD, actor="tester")
        owner = services.trusted_context(session, review_id=1, actor="t")
        services.add_member(session, owner, email=PAN, role=Role.PANEL)
        ana = member_ctx(session, ANA)
        services.add_cluster(session, ana, key="data", title="Data")
        services.save_cmoc(session, ana, label="1A", cluster="data", context="audit data are split")
    database.close()
    panel, ana = web(PAN), web(ANA)
    said = _post(panel, "/reviews/1/comments", cmoc="1A", body="Patients would say trust comes first.")
    assert said.status_code == 303 and said.headers["location"].startswith("/reviews/1/cmocs/1A#comment-")
    comment = said.headers["location"].split("#comment-")[1]
    assert _post(ana, "/reviews/1/comments", reply_to=comment, body="Agreed: reworded.").status_code == 303
    assert _post(ana, "/reviews/1/theory", name="refined", note="after the PPI meeting").status_code == 303
    assert _post(panel, f"/reviews/1/comments/{comment}/addressed", version="refined").status_code == 403
    assert _post(ana, f"/reviews/1/comments/{comment}/addressed", version="refined").status_code == 303
    page = panel.get("/reviews/1/cmocs/1A").text
    assert "Patients would say trust comes first." in page and "Agreed: reworded." in page
    assert "addressed</strong> in version" in page and ">refined</a> by ana@example.org" in page
    logged = _post(
        ana,
        "/reviews/1/engagements",
        held_on="2025-03-04",
        group="PPI group",
        attendees="6 members",
        notes="Discussed trust.",
        cmocs="1A",
    )
    assert logged.status_code == 303
    theory = panel.get("/reviews/1/theory").text
    assert "<td>2025-03-04</td><td>PPI group</td><td>6 members</td>" in theory
    assert _post(ana, "/reviews/1/engagements", held_on="4/3/2025", group="PPI").status_code == 400


def test_from_an_excerpt_use_it_as_evidence(web, excerpt: int) -> None:  # type: ignore[no-untyped-def]
    ana = web(ANA)
    _post(ana, "/reviews/1/synthesis/clusters", key="data", title="Data")
    _post(ana, "/reviews/1/cmocs", label="1A", cluster="data", outcome="gaps close")
    assert 'id="use-as-evidence"' in ana.get(f"/reviews/1/excerpts/{excerpt}").text
    assert "use as evidence…" in ana.get("/reviews/1/codes/1").text
    jump = ana.get(f"/reviews/1/excerpts/{excerpt}/evidence?label=1A", follow_redirects=False)
    assert (jump.status_code, jump.headers["location"]) == (
        303,
        f"/reviews/1/cmocs/1A?excerpt={excerpt}#evidence-form",
    )
    assert (
        ana.get(f"/reviews/1/excerpts/{excerpt}/evidence?label=9", follow_redirects=False).status_code == 404
    )


def test_the_prisma_page_and_its_files(web, excerpt: int) -> None:  # type: ignore[no-untyped-def]
    owner, ana = web(OWNER), web(ANA)
    page = ana.get("/reviews/1/prisma")
    assert page.status_code == 200 and "PRISMA 2020 flow diagram" in page.text
    assert 'id="prisma-form"' not in page.text  # entering a count is the owner's
    assert (
        _post(owner, "/reviews/1/prisma", box="duplicates", value="7", note="removed in EndNote").status_code
        == 303
    )
    page = owner.get("/reviews/1/prisma")
    assert (
        '<tr data-box="duplicates"><td>Duplicate records removed</td><td><code>duplicates</code></td>'
        in page.text
    )
    assert "<td>7 †</td>" in page.text and 'id="prisma-form"' in page.text
    assert "Does not add up" in page.text  # 7 duplicates removed from records that were all screened
    assert _post(owner, "/reviews/1/prisma", box="duplicates", value="seven").status_code == 400
    svg = ana.get("/reviews/1/prisma.svg")
    assert (
        svg.headers["content-type"].startswith("image/svg+xml") and "Duplicate records (n = 7)†" in svg.text
    )
    png = ana.get("/reviews/1/prisma.png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert ana.get("/reviews/1/prisma.pdf").content[:5] == b"%PDF-"
    csv_text = ana.get("/reviews/1/prisma.csv").text
    assert csv_text.startswith("data,node,box,description,boxtext,tooltips,url,n\n")
    assert (
        "\nduplicates,node8,box3,Duplicate records,Duplicate records,Duplicate records,duplicates.html,7\n"
        in csv_text
    )
    assert ana.get("/reviews/1/prisma.gif").status_code == 404
