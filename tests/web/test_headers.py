"""Security headers on every response, no inline code in any page, and highlights that keep escapes (issue #11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.web.conftest import OWNER, member_ctx

from realreview import services
from realreview.web.headers import CONTENT_SECURITY_POLICY
from realreview.web.highlight import highlight

EXPECTED = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}

PAGES = (
    "/",
    "/reviews/1",
    "/reviews/1/setup",
    "/reviews/1/agreement",
    "/reviews/1/conflicts",
    "/reviews/1/screen/title_abstract",
    "/reviews/1/screen/title_abstract?filter=all",
    "/reviews/1/records/1",
    "/reviews/1/documents",
    "/reviews/1/documents/1",
    "/reviews/1/codes",
    "/reviews/1/codes/1",
    "/reviews/1/matrix",
    "/reviews/1/characteristics",
    "/reviews/1/summary",
    "/reviews/1/excerpts/1",
)

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
EVAL_ATTRIBUTE = re.compile(r"\shx-on|\bjs:|\bjavascript:", re.IGNORECASE)


def test_the_policy_is_the_documented_one() -> None:
    assert CONTENT_SECURITY_POLICY == EXPECTED["content-security-policy"]
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", ["/login", "/static/app.css", "/static/favicon.svg", "/reviews/99"])
def test_every_response_carries_the_security_headers(client_for, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for(OWNER).get(path)
    assert response.status_code in (200, 403, 404)
    assert {name: response.headers.get(name) for name in EXPECTED} == EXPECTED


def test_an_htmx_error_partial_carries_them_too(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(OWNER).get("/reviews/1/records/9999", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.headers["content-security-policy"] == EXPECTED["content-security-policy"]


def test_no_page_has_inline_script_handlers_or_style_attributes(web, excerpt: int) -> None:  # type: ignore[no-untyped-def]
    client = web(OWNER)
    add_coloured_code(client)
    for path in PAGES:
        for headers in ({}, {"HX-Request": "true"}):
            page = client.get(path, headers=headers)
            assert page.status_code == 200, (path, page.status_code)
            where = f"{path} {headers}"
            assert not INLINE_SCRIPT.search(page.text), where
            assert not HANDLER.search(page.text), (where, HANDLER.search(page.text))
            assert not STYLE_ATTRIBUTE.search(page.text), (where, STYLE_ATTRIBUTE.search(page.text))
            assert not EVAL_ATTRIBUTE.search(page.text), where
    page = client.get("/reviews/1/codes")
    assert 'data-color="#AA3377"' in page.text  # the colour survives, as data for static/page.js
    assert '<link rel="icon" href="/static/favicon.svg"' in page.text
    assert '"includeIndicatorStyles": false' in page.text


def add_coloured_code(client) -> None:  # type: ignore[no-untyped-def]
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/reviews/1/codes").text).group(1)
    answer = client.post(
        "/reviews/1/codes",
        data={"name": "Coloured", "color": "#AA3377", "origin": "inductive", "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code in (200, 303), answer.text


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("<script> & x", ["lt", "amp", "gt"], "&lt;script&gt; &amp; x"),
        ('say "hi" it\'s', ["quot", "39", "x27"], "say &#34;hi&#34; it&#39;s"),
        ("<script>", ["script"], '&lt;<mark class="inc">script</mark>&gt;'),
        ("a&b", ["amp", "a", "b"], '<mark class="inc">a</mark>&amp;<mark class="inc">b</mark>'),
        ("x <b>bold</b>", ["<b>"], "x &lt;b&gt;bold&lt;/b&gt;"),  # a word is never matched as markup
        ("R&D funding", ["r&d"], '<mark class="inc">R&amp;D</mark> funding'),  # escaped inside the mark
    ],
)
def test_highlight_never_breaks_an_escape(text: str, words: list[str], expected: str) -> None:
    assert str(highlight(text, words, [])) == expected


def test_highlight_marks_exclude_words_and_escapes_without_words() -> None:
    assert str(highlight("Adults <3", [], ["adults", "lt"])) == '<mark class="exc">Adults</mark> &lt;3'
    assert str(highlight("<i>", [], [])) == "&lt;i&gt;"
    assert str(highlight(None, ["x"], [])) == ""


def test_the_screening_page_shows_a_hostile_title_as_text(client_for, app_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    title = "<script>alert('x')</script> & \"quoted\" children"
    export = tmp_path / "hostile.csv"
    export.write_text(f'record_id,title,abstract\n1,"{title.replace(chr(34), chr(34) * 2)}",lt amp 39 quot\n')
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        review = services.create_review(session, title="Hostile", actor="tester")
        ctx = services.trusted_context(session, review_id=review.id, actor="tester")
        services.import_export(session, ctx, path=export, max_bytes=10**6)
        services.add_member(session, ctx, email=OWNER, role=services.Role.OWNER)
        services.configure_screening(
            session,
            member_ctx(session, OWNER, review.id),
            include_words=("lt", "amp", "39", "quot", "children"),
            exclude_words=("script", "x27"),
        )
    database.close()
    client = client_for(OWNER)
    page = client.get(f"/reviews/{review.id}/screen/title_abstract", headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert (
        '&lt;<mark class="exc">script</mark>&gt;alert(&#39;x&#39;)&lt;/<mark class="exc">script</mark>&gt; '
        '&amp; &#34;quoted&#34; <mark class="inc">children</mark>'
    ) in page.text
    assert '<mark class="inc">lt</mark> <mark class="inc">amp</mark> <mark class="inc">39</mark>' in page.text
    assert "<script>alert" not in page.text and "&amp;lt;" not in page.text
