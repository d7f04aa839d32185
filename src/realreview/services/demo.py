"""The demo review ``make run`` serves: real records, real exports, three people, a screening setup.

The records come from Nagtegaal et al. 2019, a scoping review of nudges aimed at healthcare
professionals (CC0, via the ASReview systematic-review-datasets), plus a few real database exports.
The criteria below paraphrase that review's question; they are a demo setup, not the authors' text.

A full text, our reading notes on the worked example (Johnson et al., BMJ Qual Saf 2025, CC BY 4.0),
is attached and two of its passages are coded with a deductive codebook of that review's four CMOC
clusters, so that the reading view, the code tree and the matrix have something to show.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from realreview.access import Role
from realreview.fulltext import FileStore
from realreview.screening import Allocation
from realreview.services.accounts import add_member, create_user
from realreview.services.coding import CodeOrigin, create_code
from realreview.services.context import ReviewContext, review_context, trusted_context
from realreview.services.documents import add_document
from realreview.services.excerpts import add_excerpt
from realreview.services.imports import import_export
from realreview.services.reviews import create_review
from realreview.services.screening import configure_screening
from realreview.services.searches import add_search

__all__ = ["DemoLogin", "build_demo"]


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A demo account and its generated password."""

    email: str
    password: str
    role: Role


def build_demo(
    session: Session, *, data: Path, max_bytes: int, actor: str, store: FileStore | None = None
) -> tuple[int, list[DemoLogin]]:
    """Create the demo review from the files under ``data`` (tests/data); return its id and the logins."""
    review = create_review(
        session,
        title="Demo: nudging healthcare professionals towards evidence-based practice",
        question="Which nudges change what healthcare professionals do, for whom, and how?",
        actor=actor,
    )
    owner = trusted_context(session, review_id=review.id, actor=actor)
    search = add_search(
        session,
        owner,
        database="Demo set (Nagtegaal 2019)",
        platform="ASReview datasets",
        date_run=None,
        query="records of Nagtegaal et al. 2019, J Behav Public Adm 2(2)",
        reported_hits=2019,
    )
    import_export(
        session,
        owner,
        path=data / "screening" / "nagtegaal_2019" / "Nagtegaal_2019.csv",
        search_id=search.id,
        max_bytes=max_bytes,
    )
    import_export(session, owner, path=data / "exports" / "ris" / "cff_embase.ris", max_bytes=max_bytes)
    logins = [
        DemoLogin("owner@demo.local", secrets.token_urlsafe(9), Role.OWNER),
        DemoLogin("ana@demo.local", secrets.token_urlsafe(9), Role.REVIEWER),
        DemoLogin("ben@demo.local", secrets.token_urlsafe(9), Role.REVIEWER),
    ]
    for login in logins:
        create_user(session, email=login.email, password=login.password, actor=actor)
        add_member(session, owner, email=login.email, role=login.role)
    configure_screening(
        session,
        review_context(session, review_id=review.id, email=logins[0].email),
        inclusion=(
            "An intervention that changes the choice environment of healthcare professionals (a nudge)",
            "Evaluates an effect on what professionals do (prescribing, ordering, adherence)",
        ),
        exclusion=("Targets patients or the public only", "Uses mandates, bans or financial incentives only"),
        exclusion_reasons=(
            "not a nudge",
            "not aimed at professionals",
            "no behavioural outcome",
            "not primary research",
        ),
        include_words=("nudge", "default", "reminder", "feedback", "alert"),
        exclude_words=("patient education", "incentive"),
        dual_fraction=0.1,
        dual_seed=2019,
        # The worked example's protocol: one reviewer screens everything, a second a random 10%.
        allocation=Allocation.LEAD,
        lead_reviewer=logins[1].email,
    )
    if store is not None:
        reviewer = review_context(session, review_id=review.id, email=logins[1].email)
        _code_demo_text(session, reviewer, data=data, store=store)
    return review.id, logins


_CLUSTERS = ("Values and understanding", "Resources", "Data", "Design")
_CODED = (
    ("Values and understanding", "When leaders treat equity as a moral duty"),
    ("Data", "When data are not broken down by"),
)


def _code_demo_text(session: Session, ctx: ReviewContext, *, data: Path, store: FileStore) -> None:
    path = data / "fulltext_demo" / "johnson_2025_notes.txt"
    document = add_document(
        session,
        ctx,
        data=path.read_bytes(),
        name=path.name,
        record_id=None,
        store=store,
        max_bytes=10 * 2**20,
    )
    codes = {
        name: create_code(
            session,
            ctx,
            name=name,
            origin=CodeOrigin.DEDUCTIVE,
            description="A CMOC cluster of the initial programme theory (Johnson et al. 2025)",
        ).id
        for name in _CLUSTERS
    }
    for code, opening in _CODED:
        start = document.text.index(opening)
        end = document.text.index(".", start) + 1
        add_excerpt(session, ctx, document_id=document.info.id, start=start, end=end, code_ids=[codes[code]])
