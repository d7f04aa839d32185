"""Coding screens like NVivo's (issue #14) through the ASGI app: colours, names on hover, the matrix
in code-tree order with parent totals, a code's excerpts in context, the PDF beside its text, and
settling characteristics without a reload."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.web.conftest import BEN, OWNER, Client, csrf
from tests.web.test_characteristics import PAGE, save
from tests.web.test_characteristics import ana as studies  # noqa: F401
from tests.web.test_coding import ana  # noqa: F401
from tests.web.test_documents import make_pdf, upload

from realreview.services.code_palette import PALETTE


def test_each_code_its_own_colour_and_named_on_its_highlight(ana: TestClient) -> None:  # noqa: F811
    codes = {c.name: c.color for c in ana.get("/reviews/1/codes").context["codes"]}  # type: ignore[attr-defined]
    assert codes == {"Context": "#112233", "Rural": PALETTE[1], "Urban": PALETTE[2], "Outcome": PALETTE[3]}
    assert len(set(codes.values())) == 4
    page = ana.get("/reviews/1/documents/1")
    assert f'data-color="{PALETTE[1]}80" title="Rural">Rural clinics</mark>' in page.text
    # Excerpt 2 carries Urban and Context: both named, both colours as stripes.
    assert f'title="Urban, Context" data-stripes="{PALETTE[2]} #112233">Urban clinics</mark>' in page.text


def test_the_matrix_in_tree_order_with_parent_totals_and_cells_that_open(ana: TestClient) -> None:  # noqa: F811
    page = ana.get("/reviews/1/matrix")
    rows = [(r.code.name, r.depth, r.cells, r.total, r.is_parent, r.own) for r in page.context["tree"]]  # type: ignore[attr-defined]
    assert rows == [
        ("Context", 0, (2, 0), 2, True, 1),  # its own excerpt and its children's, each once
        ("Rural", 1, (1, 0), 1, False, 1),
        ("Urban", 1, (1, 0), 1, False, 1),
        ("Outcome", 0, (0, 1), 1, False, 1),
    ]
    assert page.context["totals"] == (2, 1)  # type: ignore[attr-defined]
    assert 'href="/reviews/1/codes/1?document=1&amp;children=true"' in page.text
    assert 'href="/reviews/1/codes/4?document=2"' in page.text


def test_a_code_s_excerpts_in_their_context_with_the_coder(ana: TestClient) -> None:  # noqa: F811
    page = ana.get("/reviews/1/codes/2?document=1")
    assert page.context["document"] == (1, "a.txt")  # type: ignore[attr-defined]
    (x,) = page.context["excerpts"]  # type: ignore[attr-defined]
    assert page.context["around"][x.id] == ("", " were far. Urban clinics were full.")  # type: ignore[attr-defined]
    assert 'coded by <span class="coder">ana@example.org</span>' in page.text
    assert ana.get("/reviews/1/codes/4?document=1").context["excerpts"] == []  # type: ignore[attr-defined]


def test_the_pdf_itself_is_shown_beside_its_text(web: Client) -> None:
    owner = web(OWNER)
    assert upload(owner, make_pdf("Trust grew over the year."), "paper.pdf").status_code == 303  # type: ignore[attr-defined]
    page = owner.get("/reviews/1/documents/1")
    assert '<iframe src="/reviews/1/documents/1/file"' in page.text
    pdf = owner.get("/reviews/1/documents/1/file")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"] == 'inline; filename="document-1.pdf"'
    assert "frame-ancestors 'self'" in pdf.headers["content-security-policy"]
    assert pdf.headers["x-frame-options"] == "SAMEORIGIN"
    # The app's own pages are never framed.
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_settling_sends_the_table_along_out_of_band(studies: TestClient, web: Client) -> None:  # noqa: F811
    save(studies, 1, {"year": "2019"})
    save(web(BEN), 1, {"year": "2018"})
    owner = web(OWNER)
    token = csrf(owner, PAGE)
    settle = {"field_key": "year", "value": "2018", "first": "ana@example.org", "second": BEN}
    answer = owner.post(
        f"{PAGE}/1/consensus", data=settle, headers={"HX-Request": "true", "X-CSRF-Token": token}
    )
    assert answer.template.name == "_char_differences.html"  # type: ignore[attr-defined]
    assert '<div id="char-studies" class="char-studies" hx-swap-oob="true">' in answer.text
    assert 'id="char-settlement"' in answer.text and "2018" in answer.text
    agreed = owner.post(
        f"{PAGE}/settle-agreed", data={}, headers={"HX-Request": "true", "X-CSRF-Token": token}
    )
    assert agreed.status_code == 200 and 'hx-swap-oob="true"' in agreed.text
    assert "hx-swap-oob" not in owner.get(PAGE).text  # the page itself swaps nothing out of band
