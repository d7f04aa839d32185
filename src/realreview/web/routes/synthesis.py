"""The synthesis pages: the workspace, a CMOC with its evidence, programme theory versions and the diagram.

Each handler makes one service call (a write, then a redirect to the page it came from) and renders
the service's page; who may edit, link or snapshot is the services' business.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.errors import NotFoundError, ValidationError
from realreview.synthesis import PROMPTS
from realreview.web.deps import CSRF, Reading, Writing, download, optional_id, render

router = APIRouter()

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TABLE_TYPES = {"csv": "text/csv; charset=utf-8", "md": "text/markdown; charset=utf-8", "docx": DOCX}


def _cmoc_url(review_id: int, label: str) -> str:
    return f"/reviews/{review_id}/cmocs/{quote(label)}"


@router.get("/reviews/{review_id}/synthesis")
def workspace(request: Request, scope: Reading) -> Response:
    """Clusters and CMOCs at a glance: each CMOC's evidence count and the parts lacking evidence."""
    return render(request, "synthesis.html", services.workspace_page(scope.session, scope.ctx))


@router.post("/reviews/{review_id}/synthesis/clusters", dependencies=CSRF)
def add_cluster(
    scope: Writing,
    key: Annotated[str, Form()],
    title: Annotated[str, Form()],
    description: Annotated[str, Form()] = "",
    subthemes: Annotated[str, Form()] = "",
) -> Response:
    """Add a cluster (one subtheme per line), or retitle the cluster with ``key``."""
    lines = [line.strip() for line in subthemes.splitlines() if line.strip()]
    services.add_cluster(
        scope.session, scope.ctx, key=key.strip(), title=title, description=description, subthemes=lines
    )
    return RedirectResponse(f"/reviews/{scope.ctx.review_id}/synthesis", status_code=303)


@router.post("/reviews/{review_id}/cmocs", dependencies=CSRF)
def save_cmoc(
    scope: Writing,
    label: Annotated[str, Form()],
    cluster: Annotated[str, Form()],
    context: Annotated[str, Form()] = "",
    mechanism: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
    subtheme: Annotated[str, Form()] = "",
    direction: Annotated[str, Form()] = "unclear",
    confidence: Annotated[str, Form()] = "low",
    status: Annotated[str, Form()] = "draft",
) -> Response:
    """Create a CMOC, or reword the one with ``label`` (its earlier wording is kept)."""
    cmoc = services.save_cmoc(
        scope.session,
        scope.ctx,
        label=label.strip(),
        cluster=cluster,
        context=context,
        mechanism=mechanism,
        outcome=outcome,
        subtheme=subtheme or None,
        direction=direction,
        confidence=confidence,
        status=status,
    )
    return RedirectResponse(_cmoc_url(scope.ctx.review_id, cmoc.label), status_code=303)


@router.get("/reviews/{review_id}/cmocs/{label}")
def cmoc(request: Request, scope: Reading, label: str, excerpt: str = "") -> Response:
    """One CMOC: its statements, every excerpt behind each part, relations, history and the forms."""
    page = services.cmoc_view(
        scope.session, scope.ctx, label=label, excerpt_id=optional_id(excerpt, what="excerpt")
    )
    return render(request, "cmoc.html", page)


@router.get("/reviews/{review_id}/excerpts/{excerpt_id}/evidence")
def use_as_evidence(scope: Reading, excerpt_id: int, label: str = "") -> Response:
    """From an excerpt: to the CMOC's page with this excerpt first in its evidence form."""
    if not label.strip():
        raise ValidationError("name the CMOC to use the excerpt for (its label, e.g. 7A)")
    page = services.cmoc_view(
        scope.session, scope.ctx, label=label.strip(), excerpt_id=excerpt_id
    )  # 404 if none
    url = f"{_cmoc_url(scope.ctx.review_id, page.page.cmoc.label)}?excerpt={excerpt_id}#evidence-form"
    return RedirectResponse(url, status_code=303)


@router.post("/reviews/{review_id}/cmocs/{label}/evidence", dependencies=CSRF)
async def link_evidence(request: Request, scope: Writing, label: str) -> Response:
    """Use an excerpt as evidence for one part of the CMOC, with the reviewer's reading of it."""
    form = await request.form()
    answers = [
        (prompt.key, str(form.get(f"answer_{prompt.key}", "")))
        for prompt in PROMPTS
        if str(form.get(f"answer_{prompt.key}", "")).strip()
    ]
    excerpt = optional_id(str(form.get("excerpt_id", "")), what="excerpt")
    if excerpt is None:
        raise ValidationError("pick the excerpt to use as evidence")
    services.link_evidence(
        scope.session,
        scope.ctx,
        label=label,
        component=str(form.get("component", "")),
        excerpt_id=excerpt,
        role=str(form.get("role", "supports")),
        interpretation=str(form.get("interpretation", "")),
        answers=answers,
    )
    return RedirectResponse(_cmoc_url(scope.ctx.review_id, label), status_code=303)


@router.post("/reviews/{review_id}/cmocs/{label}/evidence/{link_id}/remove", dependencies=CSRF)
def unlink_evidence(
    scope: Writing, label: str, link_id: int, reason: Annotated[str, Form()] = ""
) -> Response:
    """Take an evidence link back (kept on record, marked)."""
    services.unlink_evidence(scope.session, scope.ctx, link_id=link_id, reason=reason or None)
    return RedirectResponse(_cmoc_url(scope.ctx.review_id, label), status_code=303)


@router.post("/reviews/{review_id}/cmocs/{label}/relations", dependencies=CSRF)
def relate(
    scope: Writing,
    label: str,
    kind: Annotated[str, Form()],
    target: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    """Record how this CMOC connects with another."""
    services.relate_cmocs(scope.session, scope.ctx, source=label, kind=kind, target=target, note=note)
    return RedirectResponse(_cmoc_url(scope.ctx.review_id, label), status_code=303)


@router.get("/reviews/{review_id}/theory")
def theory(request: Request, scope: Reading, old: str = "", new: str = "") -> Response:
    """The programme theory versions and the diff of two of them."""
    return render(request, "theory.html", services.theory_page(scope.session, scope.ctx, old=old, new=new))


@router.post("/reviews/{review_id}/theory", dependencies=CSRF)
def snapshot(scope: Writing, name: Annotated[str, Form()], note: Annotated[str, Form()] = "") -> Response:
    """Freeze the synthesis as it stands as a named version."""
    services.snapshot_theory(scope.session, scope.ctx, name=name, note=note)
    return RedirectResponse(f"/reviews/{scope.ctx.review_id}/theory", status_code=303)


@router.get("/reviews/{review_id}/theory/diagram.{fmt}")
def diagram(scope: Reading, fmt: str, version: str = "", download_it: str = "") -> Response:
    """The diagram as SVG (shown in the page, or saved with ``?download_it=1``) or Mermaid text."""
    kind = {"svg": "svg", "mmd": "mermaid"}.get(fmt)
    if kind is None:
        raise NotFoundError(f"no diagram format {fmt!r}: svg or mmd")
    body = services.theory_diagram(scope.session, scope.ctx, fmt=kind, version=version or None)
    name = f"programme-theory-{version or 'working'}.{fmt}"
    if kind == "svg" and not download_it:
        return Response(body, media_type="image/svg+xml")
    return download(
        body, media_type="image/svg+xml" if kind == "svg" else "text/plain; charset=utf-8", filename=name
    )


@router.get("/reviews/{review_id}/theory/cmocs.{fmt}")
def cmoc_table(scope: Reading, fmt: str, version: str = "", appendix: str = "") -> Response:
    """The CMOC table (with ``?appendix=1`` the evidence per CMOC) as CSV, Markdown or Word."""
    if fmt not in TABLE_TYPES:
        raise NotFoundError(f"no table format {fmt!r}: csv, md or docx")
    body = services.cmoc_tables(
        scope.session, scope.ctx, fmt=fmt, version=version or None, appendix=bool(appendix) and fmt != "csv"
    )
    return download(body, media_type=TABLE_TYPES[fmt], filename=f"cmocs-{version or 'working'}.{fmt}")


@router.post("/reviews/{review_id}/theory/codes", dependencies=CSRF)
def seed_codes(scope: Writing, version: Annotated[str, Form()] = "") -> Response:
    """Seed the code tree with the deductive codes of a version: a code per cluster, one per stated part."""
    services.seed_deductive_codes(scope.session, scope.ctx, version=version or None)
    return RedirectResponse(f"/reviews/{scope.ctx.review_id}/codes", status_code=303)


@router.get("/reviews/{review_id}/theory/matrix.{fmt}")
def matrix(scope: Reading, fmt: str) -> Response:
    """The CMOC × document matrix (excerpts supporting and contradicting each CMOC) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise NotFoundError(f"no matrix format {fmt!r}: csv or xlsx")
    body = services.cmoc_matrix(scope.session, scope.ctx, fmt=fmt)
    media = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return download(body, media_type=media, filename=f"cmoc-document-matrix.{fmt}")


@router.post("/reviews/{review_id}/comments", dependencies=CSRF)
def comment(
    scope: Writing,
    body: Annotated[str, Form()],
    cmoc: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    reply_to: Annotated[str, Form()] = "",
) -> Response:
    """Comment on a CMOC or a version, or reply to a comment; back to the page it was made on."""
    made = services.add_comment(
        scope.session,
        scope.ctx,
        body=body,
        cmoc=cmoc or None,
        version=version or None,
        reply_to=optional_id(reply_to, what="comment"),
    )
    return RedirectResponse(_comment_page(scope.ctx.review_id, made), status_code=303)


def _comment_page(review_id: int, made: services.Comment) -> str:
    if made.cmoc is not None:
        return f"{_cmoc_url(review_id, made.cmoc)}#comment-{made.id}"
    return f"/reviews/{review_id}/theory#comment-{made.id}"


@router.post("/reviews/{review_id}/comments/{comment_id}/addressed", dependencies=CSRF)
def addressed(scope: Writing, comment_id: int, version: Annotated[str, Form()]) -> Response:
    """Mark a comment addressed by a version."""
    made = services.mark_addressed(scope.session, scope.ctx, comment_id=comment_id, version=version)
    return RedirectResponse(_comment_page(scope.ctx.review_id, made), status_code=303)


@router.post("/reviews/{review_id}/engagements", dependencies=CSRF)
def log_engagement(
    scope: Writing,
    held_on: Annotated[str, Form()],
    group: Annotated[str, Form()],
    attendees: Annotated[str, Form()] = "",
    notes: Annotated[str, Form()] = "",
    cmocs: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Record a stakeholder meeting (date as YYYY-MM-DD) and the CMOCs it discussed."""
    try:
        day = dt.date.fromisoformat(held_on.strip())
    except ValueError:
        raise ValidationError(f"meeting date {held_on!r} is not a date as YYYY-MM-DD") from None
    services.log_engagement(
        scope.session,
        scope.ctx,
        held_on=day,
        group=group,
        attendees=attendees,
        notes=notes,
        cmocs=cmocs or [],
    )
    return RedirectResponse(f"/reviews/{scope.ctx.review_id}/theory#engagements", status_code=303)
