"""The owner's members page, invitation and password-reset links, and the link's own page (issue #14).

A new link is shown once, in the answer to the post that made it (only its hash is stored), so
those posts render the page instead of redirecting. Opening ``/invite/<token>`` needs no sign-in:
the token is the permission, and :mod:`realreview.services.invitations` decides what it allows.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from realreview import services
from realreview.web.deps import CSRF, Reading, Writing, render, session_policy, unit_of_work, write_unit
from realreview.web.security import SessionData, new_token

router = APIRouter()

Db = Annotated[services.Session, Depends(unit_of_work, scope="function")]
WriteDb = Annotated[services.Session, Depends(write_unit, scope="function")]


def _back(review_id: int) -> RedirectResponse:
    return RedirectResponse(f"/reviews/{review_id}/members", status_code=303)


@router.get("/reviews/{review_id}/members")
def members(request: Request, review_id: int, scope: Reading) -> Response:
    """Members with their roles, and the invitation links made for the review."""
    return render(request, "members.html", services.members_page(scope.session, scope.ctx))


@router.post("/reviews/{review_id}/members", dependencies=CSRF)
def set_member(
    review_id: int, scope: Writing, email: Annotated[str, Form()], role: Annotated[services.Role, Form()]
) -> Response:
    """Give an existing account a role in the review, or change a member's role."""
    services.add_member(scope.session, scope.ctx, email=email, role=role)
    return _back(review_id)


@router.post("/reviews/{review_id}/members/remove", dependencies=CSRF)
def remove(review_id: int, scope: Writing, email: Annotated[str, Form()]) -> Response:
    """Take a member off the review (their work stays; their sessions end)."""
    services.remove_member(scope.session, scope.ctx, email=email)
    return _back(review_id)


@router.post("/reviews/{review_id}/invitations", dependencies=CSRF)
def invite(
    request: Request,
    review_id: int,
    scope: Writing,
    email: Annotated[str, Form()],
    role: Annotated[services.Role, Form()],
) -> Response:
    """Make a one-time invitation link and show it, this once, to copy."""
    issued = services.create_invitation(scope.session, scope.ctx, email=email, role=role)
    return render(request, "members.html", services.members_page(scope.session, scope.ctx, issued=issued))


@router.post("/reviews/{review_id}/members/reset", dependencies=CSRF)
def reset(request: Request, review_id: int, scope: Writing, email: Annotated[str, Form()]) -> Response:
    """Make a one-time link with which a member sets a new password, and show it this once."""
    issued = services.create_password_reset(scope.session, scope.ctx, email=email)
    return render(request, "members.html", services.members_page(scope.session, scope.ctx, issued=issued))


@router.post("/reviews/{review_id}/invitations/{invitation_id}/revoke", dependencies=CSRF)
def revoke(review_id: int, invitation_id: int, scope: Writing) -> Response:
    """Withdraw a link that has not been used."""
    services.revoke_invitation(scope.session, scope.ctx, invitation_id=invitation_id)
    return _back(review_id)


@router.get("/invite/{token}")
def invitation(request: Request, token: str, session: Db) -> Response:
    """What the link offers: create an account, join as the signed-in account, or set a new password."""
    offer = services.invitation_offer(session, token=token, signed_in=request.state.session.email)
    return render(request, "invite.html", {"offer": offer, "token": token, "error": None})


@router.post("/invite/{token}", dependencies=CSRF)
def accept(
    request: Request,
    token: str,
    session: WriteDb,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """Use the link; a new account or password signs its holder in, and they land in the review."""
    if password != confirm:
        offer = services.invitation_offer(session, token=token, signed_in=request.state.session.email)
        context = {"offer": offer, "token": token, "error": "The two passwords differ."}
        return render(request, "invite.html", context, status_code=400)
    current: SessionData = request.state.session
    accepted = services.accept_invitation(
        session,
        token=token,
        email=email,
        name=name or None,
        password=password or None,
        signed_in=current.email,
        client=request.client.host if request.client else None,
        policy=session_policy(request.app.state.settings),
    )
    if accepted.session_token is not None:  # a new identity: a new CSRF token too (no session fixation)
        request.state.session = SessionData(
            email=accepted.email, csrf=new_token(), sid=accepted.session_token
        )
    return RedirectResponse(f"/reviews/{accepted.review_id}", status_code=303)
