"""Blinding without side channels: nothing a blinded reviewer gets back depends on a colleague's calls.

Every record needs two calls here (dual fraction 1.0, blinding on). Ben is blinded; Ana and the
owner screen records into every state a colleague's calls can make. Ben then (1) posts a full-text
decision on each record that has not passed, and every answer must be the same; (2) reads every
page, partial, list, filter, count and export he can, the colleagues change their calls, and he
reads them again: nothing may differ.
"""

from __future__ import annotations

import re

import pytest
from tests.web.conftest import ANA, BEN, OWNER, Client, csrf, member_ctx

from realreview import services
from realreview.screening import Event, Stage, Verdict

TA = Stage.TITLE_ABSTRACT


def _decide(session: services.Session, email: str, record_id: int, event: Event) -> None:
    services.record_decision(session, member_ctx(session, email), record_id=record_id, stage=TA, event=event)


def _states(app_url: str) -> dict[str, int]:
    """Records in every state a colleague's calls can put a record in that has not passed."""
    database = services.connect(app_url)
    try:
        with database.unit_of_work() as session:
            ids = [r.id for r in services.iter_records(session, member_ctx(session, OWNER))]
            states = dict(
                zip(
                    (
                        "unscreened",
                        "awaiting_include",
                        "awaiting_exclude",
                        "conflict",
                        "excluded",
                        "resolved",
                    ),
                    ids,
                    strict=False,
                )
            )
            _decide(session, ANA, states["awaiting_include"], Event.INCLUDE)
            _decide(session, ANA, states["awaiting_exclude"], Event.EXCLUDE)
            _decide(session, ANA, states["conflict"], Event.INCLUDE)
            _decide(session, OWNER, states["conflict"], Event.EXCLUDE)
            _decide(session, ANA, states["excluded"], Event.EXCLUDE)
            _decide(session, OWNER, states["excluded"], Event.EXCLUDE)
            _decide(session, ANA, states["resolved"], Event.INCLUDE)
            _decide(session, OWNER, states["resolved"], Event.EXCLUDE)
            services.resolve_conflict(
                session,
                member_ctx(session, OWNER),
                record_id=states["resolved"],
                stage=TA,
                verdict=Verdict.EXCLUDE,
            )
    finally:
        database.close()
    return states


def _message(html: str) -> str:
    found = re.search(r"data-message>([^<]*)<", html)
    return found.group(1) if found else html


@pytest.mark.parametrize("htmx", [True, False])
def test_a_full_text_decision_on_a_record_that_has_not_passed_answers_the_same_whatever_the_reason(
    client_for: Client, app_url: str, htmx: bool
) -> None:
    states = _states(app_url)
    ben = client_for(BEN)
    token = csrf(ben, "/reviews/1/screen/full_text")
    headers = {"HX-Request": "true"} if htmx else {}
    answers = {}
    for state, record_id in states.items():
        for event, extra in (("include", {}), ("exclude", {"reasons": "wrong population"})):
            response = ben.post(
                f"/reviews/1/screen/full_text/{record_id}",
                data={"event": event, "csrf_token": token, **extra},
                headers=headers,
                follow_redirects=False,
            )
            answers[(state, event)] = (
                response.status_code,
                _message(response.text).replace(str(record_id), "N"),
            )
    assert len(set(answers.values())) == 1, answers
    status, message = next(iter(answers.values()))
    assert status == 400 and "is not at the full-text stage" in message


def _pages(ben, states: dict[str, int]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    paths = [
        "/reviews/1",
        "/reviews/1/decisions.csv",
        *(
            f"/reviews/1/screen/{stage}?filter={name}"
            for stage in ("title_abstract", "full_text")
            for name in ("undecided", "all", "included", "excluded", "maybe", "conflicts")
        ),
        "/reviews/1/screen/title_abstract?reviewer=ana@example.org",
        "/reviews/1/screen/title_abstract?filter=all&tag=Education",
        *(f"/reviews/1/records/{record_id}" for record_id in states.values()),
        *(f"/reviews/1/screen/title_abstract?filter=all&record={record_id}" for record_id in states.values()),
    ]
    answers = {}
    for path in paths:
        for htmx in (False, True):
            response = ben.get(path, headers={"HX-Request": "true"} if htmx else {})
            answers[f"{path} htmx={htmx}"] = f"{response.status_code}\n" + re.sub(
                r'name="csrf_token" value="[^"]+"', "", response.text
            )
    return answers


def test_a_colleague_changing_calls_changes_nothing_a_blinded_reviewer_can_see(
    client_for: Client, app_url: str
) -> None:
    states = _states(app_url)
    ben = client_for(BEN)
    before = _pages(ben, states)
    database = services.connect(app_url)
    try:
        with database.unit_of_work() as session:
            for record_id, who, event in (
                (states["awaiting_include"], ANA, Event.EXCLUDE),
                (states["awaiting_exclude"], ANA, Event.INCLUDE),
                (states["conflict"], ANA, Event.EXCLUDE),  # the conflict becomes an agreed exclusion
                (states["unscreened"], OWNER, Event.INCLUDE),  # now awaiting Ben or someone else
            ):
                _decide(session, who, record_id, event)
    finally:
        database.close()
    after = _pages(ben, states)
    changed = [path for path in before if before[path] != after[path]]
    assert changed == []
