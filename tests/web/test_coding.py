"""The codebook pages: the code tree and its forms, a code's excerpts, the matrix and its downloads."""

from __future__ import annotations

import csv
import io
from html import unescape

import openpyxl
import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import ANA, BEN, EVE, OWNER, VIV, XSS, Client, csrf
from tests.web.test_documents import post, query, upload

from realreview import services
from realreview.services import MemoTarget


def add_code(client: TestClient, name: str, *, htmx: bool = False, **fields: str) -> object:
    return post(client, "/reviews/1/codes", {"name": name, **fields}, htmx=htmx)


@pytest.fixture
def ana(web: Client) -> TestClient:
    """ANA with two documents and the tree Context > Rural, Context > Urban, Outcome; three excerpts."""
    client = web(ANA)
    upload(client, b"Rural clinics were far.\fUrban clinics were full.", "a.txt")
    upload(client, b"Outcomes improved in rural areas.", "b.txt")
    add_code(client, "Context", origin="deductive", color="#112233", description="where it happens")
    add_code(client, "Rural", parent_id="1")
    add_code(client, "Urban", parent_id="1")
    add_code(client, "Outcome", origin="deductive")
    for document, start, end, codes in ((1, 0, 13, ["2"]), (1, 24, 37, ["3", "1"]), (2, 0, 8, ["4"])):
        answer = post(
            client,
            f"/reviews/1/documents/{document}/excerpts",
            {"start": start, "end": end, "code_ids": codes},
        )
        assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    return client


def test_codes_page_shows_the_tree_nested_with_counts(ana: TestClient) -> None:
    page = ana.get("/reviews/1/codes")
    assert page.template.name == "codes.html"  # type: ignore[attr-defined]
    tree = page.context["tree"]  # type: ignore[attr-defined]
    assert [(b.code.name, [c.code.name for c in b.children]) for b in tree] == [
        ("Context", ["Rural", "Urban"]),
        ("Outcome", []),
    ]
    assert [(c.name, depth, c.excerpts) for c, depth in page.context["code_rows"]] == [  # type: ignore[attr-defined]
        ("Context", 0, 1),
        ("Rural", 1, 1),
        ("Urban", 1, 1),
        ("Outcome", 0, 1),
    ]
    assert '<span class="badge origin-deductive">deductive</span>' in page.text
    assert 'data-color="#112233"' in page.text and "where it happens" in page.text
    assert page.text.count("<ul>") == 1  # Context's children sit in a list inside its item
    partial = ana.get("/reviews/1/codes", headers={"HX-Request": "true"})
    assert partial.template.name == "_code_tree.html" and "<html" not in partial.text  # type: ignore[attr-defined]


def test_adding_a_code_with_htmx_returns_the_tree_and_without_redirects(ana: TestClient) -> None:
    answer = add_code(ana, "Remote", htmx=True, parent_id="2", color="#abcdef")
    assert answer.template.name == "_code_tree.html"  # type: ignore[attr-defined]
    (remote,) = [c for c in answer.context["codes"] if c.name == "Remote"]  # type: ignore[attr-defined]
    assert (remote.parent_id, remote.color, remote.origin.value) == (2, "#ABCDEF", "inductive")
    plain = add_code(ana, "Staffing")
    assert plain.status_code == 303 and plain.headers["location"] == "/reviews/1/codes"  # type: ignore[attr-defined]


def test_code_form_errors_are_400_with_the_reason(ana: TestClient) -> None:
    cases = [
        (
            add_code(ana, "rural", htmx=True, parent_id="1"),
            "a code named 'Rural' already exists under code 1 (code 2)",
        ),
        (add_code(ana, "Red", htmx=True, color="red"), "colour 'red' is not of the form #RRGGBB"),
        (post(ana, "/reviews/1/codes/1/move", {"parent_id": "2"}, htmx=True), "cannot move under itself"),
        (add_code(ana, "   ", htmx=True), "a code needs a name"),
        (
            add_code(ana, "Trust\x01", htmx=True),
            "a code name cannot hold the control character U+0001 (at position 6): 'Trust\\x01'",
        ),
        (
            post(ana, "/reviews/1/codes/2", {"name": "Rural\x1b", "origin": "inductive"}, htmx=True),
            "a code name cannot hold the control character U+001B",
        ),
    ]
    for answer, message in cases:
        assert answer.status_code == 400, message  # type: ignore[attr-defined]
        assert message in unescape(answer.text), answer.text  # type: ignore[attr-defined]


def test_rename_recolour_describe_and_move(ana: TestClient) -> None:
    fields = {
        "name": "Rural areas",
        "color": "#00aa00",
        "description": "far from a city",
        "origin": "deductive",
    }
    renamed = post(ana, "/reviews/1/codes/2", fields, htmx=True)
    rural = next(c for c in renamed.context["codes"] if c.id == 2)  # type: ignore[attr-defined]
    assert (rural.name, rural.color, rural.description, rural.origin.value) == (
        "Rural areas",
        "#00AA00",
        "far from a city",
        "deductive",
    )
    moved = post(ana, "/reviews/1/codes/2/move", {"parent_id": "4"}, htmx=True)
    assert [(b.code.name, [c.code.name for c in b.children]) for b in moved.context["tree"]] == [  # type: ignore[attr-defined]
        ("Context", ["Urban"]),
        ("Outcome", ["Rural areas"]),
    ]
    top = post(ana, "/reviews/1/codes/2/move", {"parent_id": ""})
    assert top.status_code == 303  # type: ignore[attr-defined]
    assert next(c for c in query(ana, services.codebook, ANA) if c.id == 2).parent_id is None


def test_only_the_owner_merges_codes(ana: TestClient, web: Client) -> None:
    assert post(ana, "/reviews/1/codes/3/merge", {"target_id": 2}).status_code == 403  # type: ignore[attr-defined]
    assert "Merge into" not in ana.get("/reviews/1/codes").text
    owner = web(OWNER)
    merged = post(owner, "/reviews/1/codes/3/merge", {"target_id": 2}, htmx=True)
    assert merged.template.name == "_code_tree.html"  # type: ignore[attr-defined]
    codes = {c.name: c for c in merged.context["codes"]}  # type: ignore[attr-defined]
    assert "Urban" not in codes and codes["Rural"].excerpts == 2
    assert "Merge into" in owner.get("/reviews/1/codes").text


def test_code_page_lists_its_excerpts_with_children_on_request(ana: TestClient) -> None:
    page = ana.get("/reviews/1/codes/1")
    assert page.template.name == "code.html"  # type: ignore[attr-defined]
    assert [(x.document_name, x.page, x.text) for x in page.context["excerpts"]] == [  # type: ignore[attr-defined]
        ("a.txt", 2, "Urban clinics"),
    ]
    assert page.context["has_children"] is True  # type: ignore[attr-defined]
    both = ana.get("/reviews/1/codes/1?children=true", headers={"HX-Request": "true"})
    assert both.template.name == "_code_excerpts.html"  # type: ignore[attr-defined]
    assert [(x.page, x.text) for x in both.context["excerpts"]] == [
        (1, "Rural clinics"),
        (2, "Urban clinics"),
    ]  # type: ignore[attr-defined]
    assert '<a href="/reviews/1/documents/1#excerpt-1">a.txt</a>' in both.text
    assert ana.get("/reviews/1/codes/99").status_code == 404


def test_memos_on_a_code(ana: TestClient) -> None:
    added = post(
        ana, "/reviews/1/codes/2/memos", {"text": "Distance as a barrier.", "title": "Use"}, htmx=True
    )
    assert added.template.name == "_doc_memos.html"  # type: ignore[attr-defined]
    assert 'hx-target="#memos-code-2"' in added.text  # type: ignore[attr-defined]
    memo = added.context["memos"][0]  # type: ignore[attr-defined]
    assert post(ana, f"/reviews/1/codes/2/memos/{memo.id}", {"text": "Distance and cost."}).status_code == 303  # type: ignore[attr-defined]
    (current,) = query(ana, services.memos_of, ANA, target_kind=MemoTarget.CODE, target_id=2)
    assert (current.text, current.versions, current.title) == ("Distance and cost.", 2, "Use")
    tree = ana.get("/reviews/1/codes")
    assert [m.text for m in tree.context["memos_by_code"][2]] == ["Distance and cost."]  # type: ignore[attr-defined]
    assert "memos (1)" in tree.text and "Distance and cost." in ana.get("/reviews/1/codes/2").text


def test_matrix_page_and_downloads(ana: TestClient) -> None:
    page = ana.get("/reviews/1/matrix")
    assert page.template.name == "matrix.html"  # type: ignore[attr-defined]
    assert page.context["rows"] == [  # type: ignore[attr-defined]
        ["code", "a.txt", "b.txt", "total"],
        ["Context", 1, 0, 1],
        ["Rural", 1, 0, 1],
        ["Urban", 1, 0, 1],
        ["Outcome", 0, 1, 1],
        ["total", 3, 1, 4],
    ]
    download = ana.get("/reviews/1/matrix.csv")
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert download.headers["content-disposition"] == 'attachment; filename="review-1-matrix.csv"'
    assert list(csv.reader(io.StringIO(download.text)))[-1] == ["total", "3", "1", "4"]
    sheet = openpyxl.load_workbook(io.BytesIO(ana.get("/reviews/1/matrix.xlsx").content)).active
    assert [cell.value for cell in sheet[2]] == ["Context", 1, 0, 1]


CODE_PAGES = [
    "/reviews/1/codes",
    "/reviews/1/codes/1",
    "/reviews/1/matrix",
    "/reviews/1/matrix.csv",
    "/reviews/1/matrix.xlsx",
]
CODE_WRITES = [
    ("/reviews/1/codes", {"name": "New"}),
    ("/reviews/1/codes/1", {"name": "Context", "origin": "deductive"}),
    ("/reviews/1/codes/2/move", {"parent_id": ""}),
    ("/reviews/1/codes/3/merge", {"target_id": 2}),
    ("/reviews/1/codes/1/memos", {"text": "note"}),
]


def test_non_members_404_viewers_403_on_writes_and_csrf(ana: TestClient, web: Client) -> None:
    eve, viv = web(EVE), web(VIV)
    for path in CODE_PAGES:
        assert eve.get(path).status_code == 404, path
        assert viv.get(path).status_code == 200, path
    tree = viv.get("/reviews/1/codes")
    assert "Add a code" not in tree.text and "Add memo" not in tree.text
    flags = {k: tree.context[k] for k in ("can_edit", "can_comment", "can_merge")}  # type: ignore[attr-defined]
    assert flags == {"can_edit": False, "can_comment": False, "can_merge": False}
    token = csrf(viv, "/reviews/1")
    for path, data in CODE_WRITES:
        assert viv.post(path, data={**data, "csrf_token": token}).status_code == 403, path
        assert eve.post(path, data={**data, "csrf_token": csrf(eve, "/")}).status_code == 404, path
        assert ana.post(path, data=data).status_code == 403, path  # no CSRF token


def test_code_names_and_excerpts_render_as_text(ana: TestClient, web: Client) -> None:
    add_code(ana, XSS, description=XSS)
    upload(ana, f"Minutes: {XSS}".encode(), "c.txt")
    post(ana, "/reviews/1/documents/3/excerpts", {"start": 9, "end": 9 + len(XSS), "code_ids": ["5"]})
    ben = web(BEN)
    for path in ("/reviews/1/codes", "/reviews/1/codes/5", "/reviews/1/matrix", "/reviews/1/documents/3"):
        page = ben.get(path)
        assert XSS not in page.text, path
        assert "&lt;script&gt;" in page.text, path
