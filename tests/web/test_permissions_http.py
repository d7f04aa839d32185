"""The permission table walked through every HTTP route, for every role.

Each route of the app is listed here with the action the table checks for it; a route added later
without a row fails :func:`test_every_route_is_in_the_table`. For each role: someone who is not a
member gets 404 (the review's existence is not revealed), a member whose role the table refuses
gets 403, and one it allows gets past the check (any other answer: a page, a redirect, or a 400 from
the service's own validation).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import ANA, EVE, OWNER, PASSWORD, VIV, csrf, member_ctx

from realreview import services
from realreview.access import Action, Role, is_allowed

PAN = "pan@example.org"
#: The people who walk every route: the table's roles, and a stranger.
PEOPLE = {EVE: None, VIV: Role.VIEWER, PAN: Role.PANEL, ANA: Role.REVIEWER, OWNER: Role.OWNER}

# (method, path) -> (action or None for a route on no review, the form it posts)
ROUTES: dict[tuple[str, str], tuple[Action | None, dict[str, object]]] = {
    ("GET", "/reviews/{review_id}/synthesis"): (Action.VIEW_SYNTHESIS, {}),
    ("POST", "/reviews/{review_id}/synthesis/clusters"): (
        Action.SYNTHESISE,
        {"key": "design", "title": "Design"},
    ),
    ("POST", "/reviews/{review_id}/cmocs"): (
        Action.SYNTHESISE,
        {"label": "2", "cluster": "data", "outcome": "gaps close"},
    ),
    ("GET", "/reviews/{review_id}/cmocs/{label}"): (Action.VIEW_SYNTHESIS, {}),
    ("POST", "/reviews/{review_id}/cmocs/{label}/evidence"): (
        Action.SYNTHESISE,
        {"excerpt_id": "{excerpt_id}", "component": "outcome", "role": "supports"},
    ),
    ("POST", "/reviews/{review_id}/cmocs/{label}/evidence/{link_id}/remove"): (
        Action.SYNTHESISE,
        {"reason": "test"},
    ),
    ("POST", "/reviews/{review_id}/cmocs/{label}/relations"): (
        Action.SYNTHESISE,
        {"kind": "refines", "target": "2"},
    ),
    ("GET", "/reviews/{review_id}/theory"): (Action.VIEW_SYNTHESIS, {}),
    ("GET", "/reviews/{review_id}/prisma"): (Action.VIEW_REPORTS, {}),
    ("GET", "/reviews/{review_id}/prisma.{fmt}"): (Action.VIEW_REPORTS, {}),
    ("POST", "/reviews/{review_id}/prisma"): (Action.ENTER_COUNTS, {"box": "duplicates", "value": "3"}),
    ("POST", "/reviews/{review_id}/prisma/reports"): (Action.MARK_REPORTS, {"record": "3", "study": "2"}),
    ("GET", "/reviews/{review_id}/rameses"): (Action.VIEW_REPORTS, {}),
    ("GET", "/reviews/{review_id}/rameses.{fmt}"): (Action.VIEW_REPORTS, {}),
    ("POST", "/reviews/{review_id}/rameses"): (Action.ENTER_CHECKLIST, {"item": "8", "location": "p. 4"}),
    ("GET", "/reviews/{review_id}/excerpts/{excerpt_id}/evidence"): (Action.VIEW_SYNTHESIS, {}),
    ("POST", "/reviews/{review_id}/theory/codes"): (Action.EDIT_CODEBOOK, {"version": "v0"}),
    ("GET", "/reviews/{review_id}/theory/matrix.{fmt}"): (Action.VIEW_SYNTHESIS, {}),
    ("POST", "/reviews/{review_id}/comments"): (
        Action.COMMENT_SYNTHESIS,
        {"cmoc": "1A", "body": "Too broad?"},
    ),
    ("POST", "/reviews/{review_id}/comments/{comment_id}/addressed"): (Action.SYNTHESISE, {"version": "v0"}),
    ("POST", "/reviews/{review_id}/engagements"): (
        Action.LOG_ENGAGEMENT,
        {"held_on": "2025-03-04", "group": "PPI group", "cmocs": "1A"},
    ),
    ("POST", "/reviews/{review_id}/theory"): (Action.SNAPSHOT_THEORY, {"name": "v", "note": ""}),
    ("GET", "/reviews/{review_id}/theory/diagram.{fmt}"): (Action.VIEW_SYNTHESIS, {}),
    ("GET", "/reviews/{review_id}/theory/cmocs.{fmt}"): (Action.VIEW_SYNTHESIS, {}),
    ("GET", "/login"): (None, {}),
    ("POST", "/login"): (None, {"email": "x@example.org", "password": "wrong horse"}),
    ("POST", "/logout"): (None, {}),
    ("GET", "/"): (None, {}),
    ("GET", "/reviews/{review_id}"): (Action.VIEW_REVIEW, {}),
    ("GET", "/reviews/{review_id}/setup"): (Action.EDIT_SETUP, {}),
    ("POST", "/reviews/{review_id}/setup"): (Action.EDIT_SETUP, {"dual_fraction": "1.0"}),
    ("POST", "/reviews/{review_id}/members/sign-out"): (Action.MANAGE_MEMBERS, {"email": "eve@example.org"}),
    ("GET", "/reviews/{review_id}/agreement"): (Action.VIEW_AGREEMENT, {}),
    ("GET", "/reviews/{review_id}/conflicts"): (Action.VIEW_CONFLICTS, {}),
    ("POST", "/reviews/{review_id}/conflicts/{record_id}"): (
        Action.RESOLVE_CONFLICTS,
        {"verdict": "include"},
    ),
    ("POST", "/reviews/{review_id}/conflicts/{record_id}/reopen"): (Action.RESOLVE_CONFLICTS, {}),
    ("GET", "/reviews/{review_id}/decisions.csv"): (Action.EXPORT_DECISIONS, {}),
    ("GET", "/reviews/{review_id}/exchange"): (Action.VIEW_REVIEW, {}),
    ("GET", "/reviews/{review_id}/project.qdpx"): (Action.EXPORT_PROJECT, {}),
    ("GET", "/reviews/{review_id}/codebook.qdc"): (Action.EXPORT_PROJECT, {}),
    ("POST", "/reviews/{review_id}/project"): (Action.IMPORT_PROJECT, {"file": b"not a project"}),
    ("GET", "/reviews/{review_id}/export"): (Action.EXPORT_RECORDS, {}),
    ("POST", "/reviews/{review_id}/screen/{stage}/undo"): (Action.SCREEN, {}),
    ("GET", "/reviews/{review_id}/screen/{stage}"): (Action.VIEW_SCREENING, {}),
    ("POST", "/reviews/{review_id}/screen/{stage}/{record_id}"): (Action.SCREEN, {"event": "include"}),
    ("GET", "/reviews/{review_id}/records/{record_id}"): (Action.VIEW_SCREENING, {}),
    ("GET", "/reviews/{review_id}/documents"): (Action.READ_FULL_TEXTS, {}),
    ("POST", "/reviews/{review_id}/documents"): (Action.ADD_DOCUMENTS, {"file": b"A short full text."}),
    ("GET", "/reviews/{review_id}/documents/{document_id}"): (Action.READ_FULL_TEXTS, {}),
    ("GET", "/reviews/{review_id}/documents/{document_id}/file"): (Action.READ_FULL_TEXTS, {}),
    ("POST", "/reviews/{review_id}/documents/{document_id}/excerpts"): (
        Action.CODE,
        {"start": "0", "end": "5", "code_ids": "{code_id}"},
    ),
    ("GET", "/reviews/{review_id}/documents/{document_id}/excerpts/{excerpt_id}/picker"): (Action.CODE, {}),
    ("POST", "/reviews/{review_id}/documents/{document_id}/excerpts/{excerpt_id}/codes"): (
        Action.CODE,
        {"code_id": "{spare_id}"},
    ),
    ("POST", "/reviews/{review_id}/documents/{document_id}/excerpts/{excerpt_id}/codes/{code_id}/remove"): (
        Action.CODE,
        {},
    ),
    ("GET", "/reviews/{review_id}/excerpts/{excerpt_id}"): (Action.READ_FULL_TEXTS, {}),
    ("POST", "/reviews/{review_id}/{target}/{target_id}/memos"): (Action.COMMENT, {"text": "A thought."}),
    ("POST", "/reviews/{review_id}/{target}/{target_id}/memos/{memo_id}"): (
        Action.COMMENT,
        {"text": "Reworded."},
    ),
    ("POST", "/reviews/{review_id}/{target}/{target_id}/appraisals"): (
        Action.APPRAISE,
        {"relevance": "high"},
    ),
    ("POST", "/reviews/{review_id}/{target}/{target_id}/appraisals/{appraisal_id}/remove"): (
        Action.APPRAISE,
        {"reason": "Appraised the wrong excerpt."},
    ),
    ("POST", "/reviews/{review_id}/{target}/{target_id}/memos/{memo_id}/remove"): (
        Action.COMMENT,
        {"reason": "Duplicate."},
    ),
    ("GET", "/reviews/{review_id}/{target}/{target_id}/memos/{memo_id}/versions"): (
        Action.READ_FULL_TEXTS,
        {},
    ),
    ("GET", "/reviews/{review_id}/codes"): (Action.READ_FULL_TEXTS, {}),
    ("POST", "/reviews/{review_id}/codes"): (Action.EDIT_CODEBOOK, {"name": "New code"}),
    ("GET", "/reviews/{review_id}/codes/{code_id}"): (Action.READ_FULL_TEXTS, {}),
    ("POST", "/reviews/{review_id}/codes/{code_id}"): (
        Action.EDIT_CODEBOOK,
        {"name": "Trust", "origin": "inductive"},
    ),
    ("POST", "/reviews/{review_id}/codes/{code_id}/move"): (Action.EDIT_CODEBOOK, {}),
    ("POST", "/reviews/{review_id}/codes/{code_id}/merge"): (Action.MERGE_CODES, {"target_id": "{code_id}"}),
    ("GET", "/reviews/{review_id}/matrix"): (Action.READ_FULL_TEXTS, {}),
    ("GET", "/reviews/{review_id}/matrix.csv"): (Action.EXPORT_TABLES, {}),
    ("GET", "/reviews/{review_id}/matrix.xlsx"): (Action.EXPORT_TABLES, {}),
    ("GET", "/reviews/{review_id}/characteristics"): (Action.VIEW_CHARACTERISTICS, {}),
    ("POST", "/reviews/{review_id}/characteristics/settle-agreed"): (Action.SETTLE_VALUES, {}),
    ("POST", "/reviews/{review_id}/characteristics/{record_id}"): (Action.EXTRACT, {}),
    ("POST", "/reviews/{review_id}/characteristics/{record_id}/consensus"): (
        Action.SETTLE_VALUES,
        {"field_key": "country", "value": ""},
    ),
    ("GET", "/reviews/{review_id}/characteristics.xlsx"): (Action.EXPORT_TABLES, {}),
    ("POST", "/reviews/{review_id}/characteristics.xlsx"): (Action.EXTRACT, {"file": b"not a sheet"}),
    ("GET", "/reviews/{review_id}/summary"): (Action.VIEW_CHARACTERISTICS, {}),
    ("GET", "/reviews/{review_id}/summary.csv"): (Action.EXPORT_TABLES, {}),
    # import in the browser and jobs (issue #14)
    ("GET", "/reviews/{review_id}/import"): (Action.IMPORT_RECORDS, {}),
    ("POST", "/reviews/{review_id}/import/preview"): (
        Action.IMPORT_RECORDS,
        {"files": b"TY  - JOUR\nTI  - Walked\nER  - \n"},
    ),
    ("POST", "/reviews/{review_id}/import"): (
        Action.IMPORT_RECORDS,
        {"files": b"TY  - JOUR\nTI  - Walked\nER  - \n"},
    ),
    ("POST", "/reviews/{review_id}/dedup/run"): (Action.DEDUPLICATE, {}),
    # the pair review and the groups in the browser (issue #14)
    ("GET", "/reviews/{review_id}/dedup"): (Action.DEDUPLICATE, {}),
    ("POST", "/reviews/{review_id}/dedup/decide"): (
        Action.DEDUPLICATE,
        {"a": "1", "b": "2", "action": "merge"},
    ),
    ("GET", "/reviews/{review_id}/dedup/groups"): (Action.VIEW_RECORDS, {}),
    ("POST", "/reviews/{review_id}/dedup/unmerge"): (Action.DEDUPLICATE, {"record_id": "2"}),
    ("GET", "/reviews/{review_id}/jobs/{job_id}"): (Action.VIEW_RECORDS, {}),
    ("GET", "/reviews/{review_id}/jobs/{job_id}/view"): (Action.VIEW_RECORDS, {}),
    # the owner's setup in the browser (issue #14)
    ("GET", "/reviews/new"): (None, {}),
    ("POST", "/reviews/new"): (None, {"title": "Another review"}),
    ("GET", "/reviews/{review_id}/members"): (Action.MANAGE_MEMBERS, {}),
    ("POST", "/reviews/{review_id}/members"): (
        Action.MANAGE_MEMBERS,
        {"email": "nobody@example.org", "role": "viewer"},
    ),
    ("POST", "/reviews/{review_id}/members/remove"): (Action.MANAGE_MEMBERS, {"email": "nobody@example.org"}),
    ("POST", "/reviews/{review_id}/members/reset"): (Action.MANAGE_MEMBERS, {"email": "nobody@example.org"}),
    ("POST", "/reviews/{review_id}/invitations"): (
        Action.MANAGE_MEMBERS,
        {"email": "new@example.org", "role": "reviewer"},
    ),
    ("POST", "/reviews/{review_id}/invitations/{invitation_id}/revoke"): (Action.MANAGE_MEMBERS, {}),
    ("GET", "/invite/{token}"): (None, {}),
    ("POST", "/invite/{token}"): (None, {"password": "a new password", "confirm": "a new password"}),
    ("POST", "/reviews/{review_id}/details"): (
        Action.EDIT_SETUP,
        {"title": "Equity QI", "protocol": "CRD42"},
    ),
    ("GET", "/reviews/{review_id}/searches"): (Action.VIEW_RECORDS, {}),
    ("POST", "/reviews/{review_id}/searches"): (Action.LOG_SEARCHES, {"database": "MEDLINE"}),
    ("GET", "/reviews/{review_id}/form"): (Action.EDIT_FORM, {}),
    ("POST", "/reviews/{review_id}/form"): (Action.EDIT_FORM, {}),
    ("GET", "/reviews/{review_id}/memos"): (Action.READ_FULL_TEXTS, {}),
    ("POST", "/reviews/{review_id}/memos"): (Action.COMMENT, {"text": "A thought on scope."}),
    ("POST", "/reviews/{review_id}/memos/{memo_id}"): (Action.COMMENT, {"text": "Reworded."}),
    ("POST", "/reviews/{review_id}/memos/{memo_id}/remove"): (Action.COMMENT, {"reason": "Duplicate."}),
    ("GET", "/reviews/{review_id}/memos/{memo_id}/versions"): (Action.READ_FULL_TEXTS, {}),
}


def _walk(routes: list[Any]) -> list[Any]:
    """Every endpoint route, through included routers (FastAPI keeps them nested)."""
    found = []
    for route in routes:
        router = getattr(route, "original_router", None) or getattr(route, "router", None)
        nested = getattr(route, "routes", None) or getattr(router, "routes", None)
        if nested is not None and not hasattr(route, "methods"):
            found.extend(_walk(list(nested)))
        else:
            found.append(route)
    return found


def _app_routes(client: TestClient) -> set[tuple[str, str]]:
    found = set()
    for route in _walk(list(client.app.routes)):  # type: ignore[attr-defined]
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                found.add((method, route.path))
    return found


def test_every_route_is_in_the_table(client_for) -> None:  # type: ignore[no-untyped-def]
    assert _app_routes(client_for()) == set(ROUTES)


@pytest.fixture
def ids(app_url: str, excerpt: int) -> dict[str, object]:
    """A panel member, a spare code and a memo beside the excerpt fixture; the ids the paths need."""
    database = services.connect(app_url)
    with database.unit_of_work() as session:
        owner = services.trusted_context(session, review_id=1, actor="tester")
        services.create_user(session, email=PAN, password=PASSWORD, actor="tester")
        services.add_member(session, owner, email=PAN, role=Role.PANEL)
        services.configure_screening(session, member_ctx(session, OWNER), blinded=False)
        ana = member_ctx(session, ANA)
        spare = services.create_code(session, ana, name="Spare")
        found = services.get_excerpt(session, ana, excerpt_id=excerpt)
        memo = services.add_memo(
            session, ana, target_kind=services.MemoTarget.EXCERPT, target_id=excerpt, text="First thought."
        )
        services.add_cluster(session, ana, key="data", title="Data")
        services.save_cmoc(session, ana, label="1A", cluster="data", context="data are split by group")
        services.link_evidence(session, ana, label="1A", component="context", excerpt_id=excerpt)
        link_id = services.cmoc_page(session, ana, label="1A").evidence[0].id
        services.snapshot_theory(session, ana, name="v0", note="")
        comment = services.add_comment(session, ana, body="Too broad?", cmoc="1A")
        appraisal = services.appraise(
            session,
            ana,
            target_kind=services.MemoTarget.EXCERPT,
            target_id=excerpt,
            relevance="high",
            rigour=None,
        )
    database.close()
    return {
        "review_id": 1,
        "record_id": 1,
        "stage": "title_abstract",
        "document_id": found.document_id,
        "excerpt_id": excerpt,
        "code_id": found.code_ids[0],
        "spare_id": spare.id,
        "target": "excerpts",
        "target_id": excerpt,
        "memo_id": memo.id,
        "appraisal_id": appraisal.id,
        "label": "1A",
        "link_id": link_id,
        "comment_id": comment.id,
        "fmt": "svg",
        "job_id": 1,
        "invitation_id": 999,  # none: the check comes before the lookup
        "token": "not-a-token",
    }


def _expected(role: Role | None, action: Action | None) -> str:
    if action is None:
        return "allowed"
    if role is None:
        return "not found"
    return "allowed" if is_allowed(role, action) else "forbidden"


def _outcome(status: int, text: str) -> str:
    """What the answer says of the permission: a 404 about something else (a code no longer on the
    excerpt) is the service's own answer past the check, not the review hidden from a stranger."""
    if status == 404 and "no review with id" in text:
        return "not found"
    return "forbidden" if status == 403 else "allowed"


def test_each_role_gets_what_the_table_says_on_every_route(web, ids) -> None:  # type: ignore[no-untyped-def]
    clients = {email: web(email) for email in PEOPLE}
    wrong = []
    for (method, template), (action, form) in ROUTES.items():
        if template in {"/login", "/logout"}:
            continue  # no review, no role: covered by the security tests
        path = template.format(**ids)
        for email, role in PEOPLE.items():
            client = clients[email]
            if method == "GET":
                response = client.get(path, follow_redirects=False)
            else:
                data = {k: str(v).format(**ids) for k, v in form.items() if not isinstance(v, bytes)}
                files = {k: ("upload.txt", v, "text/plain") for k, v in form.items() if isinstance(v, bytes)}
                data["csrf_token"] = csrf(client, "/")
                response = client.post(path, data=data, files=files or None, follow_redirects=False)
            assert response.status_code != 422, (
                f"{method} {path}: the table's form does not fit: {response.text}"
            )
            got, expected = _outcome(response.status_code, response.text), _expected(role, action)
            if got != expected:
                wrong.append(f"{method} {path} as {role}: {response.status_code}, expected {expected}")
    assert wrong == []
