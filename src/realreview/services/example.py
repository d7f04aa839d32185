"""The worked example, loaded through the same services a review team uses (``realreview example load``).

It rebuilds the realist review of Johnson et al. (BMJ Qual Saf 2025; CC BY 4.0) from what the paper
states (:mod:`realreview.example.johnson_2025`): the question, criteria and PROGRESS-Plus tags, the
six database searches, the flow of figure 1 as entered counts (the 9,859 records are not public),
the 27 included documents the text cites as records screened in by the first author, the paper
itself as a document whose passages back the 20 CMOCs in four clusters, the final programme theory
as a version, the totals the paper reports as reported figures, and the RAMESES checklist.

Each included document gets a one-page stand-in: its reference as the paper prints it, marked as
not being its full text. A CMOC's evidence is then both the paper's own passages about it and the
documents those passages cite, so the CMOC table and the CMOC × document matrix name the studies
the paper names, without quoting studies the example does not hold.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from realreview.access import Role
from realreview.example import johnson_2025 as paper
from realreview.fulltext import FileStore
from realreview.screening import Allocation, Event, Stage
from realreview.services.accounts import add_member, create_user
from realreview.services.coding import CodeOrigin, create_code
from realreview.services.context import ReviewContext, review_context, trusted_context
from realreview.services.documents import add_document
from realreview.services.excerpts import add_excerpt, apply_code
from realreview.services.imports import import_export
from realreview.services.prisma import enter_prisma_count
from realreview.services.rameses import enter_checklist_item
from realreview.services.reported_figures import enter_reported_figure
from realreview.services.reviews import create_review, set_review_details
from realreview.services.screening import configure_screening, record_decision
from realreview.services.searches import add_search
from realreview.services.synthesis import add_cluster, link_evidence, save_cmoc
from realreview.services.theory import snapshot_theory
from realreview.storage.models import RecordRow, UserRow

__all__ = ["ExampleLogin", "load_example"]

_PAPER_FILE = "johnson_2025_paper.txt"
_RECORDS_FILE = "johnson_2025_included.ris"
_FIRST_REFERENCE = 23  # the included documents are references 23-49, in the order of the RIS file


@dataclass(frozen=True, slots=True)
class ExampleLogin:
    """An account of the example; ``password`` is None for an account that already existed."""

    email: str
    password: str | None
    role: Role


@contextmanager
def _package_file(name: str) -> Iterator[Path]:
    with resources.as_file(resources.files("realreview.example").joinpath(name)) as path:
        yield path


def load_example(
    session: Session, *, actor: str, store: FileStore, max_bytes: int
) -> tuple[int, list[ExampleLogin]]:
    """Add the worked example as a new review; return its id and the logins of its two people."""
    review = create_review(session, title=paper.TITLE, question=paper.QUESTION, actor=actor)
    owner = trusted_context(session, review_id=review.id, actor=actor)
    set_review_details(session, owner, protocol=paper.PROTOCOL, funding=paper.FUNDING)
    logins = _people(session, owner)
    lead = review_context(session, review_id=review.id, email=paper.PEOPLE[0][0])
    configure_screening(
        session,
        lead,
        inclusion=paper.INCLUSION,
        exclusion=paper.EXCLUSION,
        tags={"PROGRESS-Plus": paper.PROGRESS_PLUS, "Equity approach": paper.EQUITY_APPROACH},
        # The paper's second reviewer checked a random 10% of all 6,259 records; which ones it does
        # not say, so the example holds the first author's calls alone (the 27 it names).
        allocation=Allocation.LEAD,
        lead_reviewer=paper.PEOPLE[0][0],
    )
    lead = review_context(session, review_id=review.id, email=paper.PEOPLE[0][0])
    for database in paper.DATABASES:
        add_search(session, lead, database=database, query=paper.SEARCH_QUERY)
    record_ids = _included_records(session, lead, max_bytes=max_bytes)
    for box, entered in paper.PRISMA.items():
        enter_prisma_count(session, lead, box=box, value=entered, note=f"{paper.SHORT}, figure 1 and results")
    _synthesis(session, lead, store=store, record_ids=record_ids, max_bytes=max_bytes)
    for topic, figures in paper.REPORTED.items():
        for label, total in figures:
            enter_reported_figure(
                session, lead, topic=topic, label=label, value=total, source=f"{paper.SHORT}, results"
            )
    for item, (location, note) in paper.RAMESES.items():
        enter_checklist_item(session, lead, item=item, location=location, note=note)
    return review.id, logins


def _people(session: Session, owner: ReviewContext) -> list[ExampleLogin]:
    logins = []
    for email, name in paper.PEOPLE:
        exists = session.scalar(select(UserRow.id).where(UserRow.email == email)) is not None
        password = None if exists else secrets.token_urlsafe(9)
        if not exists:
            create_user(session, email=email, name=name, password=password, actor=owner.actor)
        add_member(session, owner, email=email, role=Role.OWNER)
        logins.append(ExampleLogin(email, password, Role.OWNER))
    return logins


def _included_records(session: Session, lead: ReviewContext, *, max_bytes: int) -> dict[int, int]:
    """Import the 27 cited documents and screen them in; return reference number -> record id."""
    search = add_search(
        session,
        lead,
        database="Included documents the paper cites (references 23-49)",
        platform=f"Reference list of {paper.SHORT}",
        query="The 27 included documents the paper's results cite; the other 9 of its 36 are not named.",
    )
    with _package_file(_RECORDS_FILE) as path:
        import_export(session, lead, path=path, search_id=search.id, max_bytes=max_bytes)
    ids = session.scalars(
        select(RecordRow.id).where(RecordRow.search_id == search.id).order_by(RecordRow.position)
    ).all()
    note = f"Included in {paper.SHORT}"
    for record_id in ids:
        for stage in (Stage.TITLE_ABSTRACT, Stage.FULL_TEXT):
            record_decision(session, lead, record_id=record_id, stage=stage, event=Event.INCLUDE, note=note)
    return {_FIRST_REFERENCE + index: record_id for index, record_id in enumerate(ids)}


def _passage(text: str, first: str, last: str) -> tuple[int, int]:
    start = text.index(first)
    return start, text.index(last, start) + len(last)


def _synthesis(
    session: Session, lead: ReviewContext, *, store: FileStore, record_ids: dict[int, int], max_bytes: int
) -> None:
    """Clusters, CMOCs, codes and excerpts, each CMOC linked to its passages and its cited documents."""
    with _package_file(_PAPER_FILE) as path:
        data = path.read_bytes()
    document = add_document(
        session,
        lead,
        data=data,
        name=f"{paper.SHORT} (BMJ Qual Saf, CC BY 4.0).txt",
        store=store,
        max_bytes=max_bytes,
    )
    text, document_id = document.text, document.info.id
    stand_ins = _stand_ins(session, lead, store=store, record_ids=record_ids, max_bytes=max_bytes)
    parents = {}
    for cluster in paper.CLUSTERS:
        add_cluster(
            session,
            lead,
            key=cluster.key,
            title=cluster.title,
            description=cluster.description,
            subthemes=cluster.subthemes,
        )
        parents[cluster.key] = create_code(
            session,
            lead,
            name=cluster.title,
            origin=CodeOrigin.INDUCTIVE,
            description=f"A cluster of CMOCs in {paper.SHORT} (table 3)",
        ).id
    made: dict[tuple[int, int, int], int] = {}
    for cmoc in paper.CMOCS:
        code = create_code(
            session,
            lead,
            name=f"{cmoc.label}: {cmoc.code}",
            parent_id=parents[cmoc.cluster],
            origin=CodeOrigin.INDUCTIVE,
        ).id
        save_cmoc(
            session,
            lead,
            label=cmoc.label,
            cluster=cmoc.cluster,
            context=cmoc.context,
            mechanism=cmoc.mechanism,
            outcome=cmoc.outcome,
            subtheme=cmoc.subtheme,
            direction=cmoc.direction,
            status="agreed",
        )
        row = re.search(rf"^{re.escape(cmoc.label)}\t.*$", text, re.MULTILINE)
        assert row is not None, cmoc.label  # checked by the example's tests
        links = [(_excerpt(session, lead, document_id, row.span(), made, code), "Table 3 states this CMOC.")]
        for first, last in cmoc.passages:
            span = _passage(text, first, last)
            links.append((_excerpt(session, lead, document_id, span, made, code), "The results discuss it."))
        for reference in cmoc.references:
            doc_id, span = stand_ins[reference]
            excerpt = _excerpt(session, lead, doc_id, span, made, code)
            links.append(
                (excerpt, f"Cited for CMOC {cmoc.label} (reference {reference}) by the paper's results.")
            )
        for excerpt_id, why in links:
            for component in ("context", "mechanism", "outcome"):
                link_evidence(
                    session,
                    lead,
                    label=cmoc.label,
                    component=component,
                    excerpt_id=excerpt_id,
                    interpretation=f"{why} The paper backs the CMOC as a whole, not this part alone.",
                )
    snapshot_theory(
        session,
        lead,
        name="final",
        note=f"The final programme theory of {paper.SHORT}: four clusters, 20 CMOCs (table 3, figure 2).",
    )


def _excerpt(
    session: Session,
    lead: ReviewContext,
    document_id: int,
    span: tuple[int, int],
    made: dict[tuple[int, int, int], int],
    code: int,
) -> int:
    """The excerpt of ``span``, made once: a second CMOC citing the same passage adds its code to it."""
    key = (document_id, *span)
    if key in made:
        apply_code(session, lead, excerpt_id=made[key], code_id=code)
        return made[key]
    excerpt = add_excerpt(session, lead, document_id=document_id, start=span[0], end=span[1], code_ids=[code])
    made[key] = excerpt.id
    return excerpt.id


def _stand_ins(
    session: Session, lead: ReviewContext, *, store: FileStore, record_ids: dict[int, int], max_bytes: int
) -> dict[int, tuple[int, tuple[int, int]]]:
    """Per cited document, a one-page text holding its reference; returns the document and that span."""
    with _package_file(_PAPER_FILE) as path:
        entries = references(path.read_text(encoding="utf-8"))
    out = {}
    for reference, record_id in record_ids.items():
        entry = entries[reference]
        text = (
            f"Reference {reference} of {paper.CITATION}:\n\n{entry}\n\n"
            "This is not the document's full text: the worked example holds only the reference, "
            "as the paper prints it. Attach the full text here to code it.\n"
        )
        document = add_document(
            session,
            lead,
            data=text.encode(),
            name=f"Reference {reference} (citation only).txt",
            record_id=record_id,
            store=store,
            max_bytes=max_bytes,
        )
        start = document.text.index(entry)
        out[reference] = (document.info.id, (start, start + len(entry)))
    return out


def references(text: str) -> dict[int, str]:
    """The paper's reference list by number (its first entries carry no number in this text).

    An unnumbered line after an entry ending in a colon continues that entry (the text breaks
    reference 23 over two list items at its subtitle).
    """
    listing = text[text.index("REFERENCES") :]
    entries: dict[int, str] = {}
    for line in listing.splitlines():
        item = re.match(r"\s*-\s*(?:(\d+)\s+)?(.+)$", line)
        if item is None:
            continue
        number, body = item.group(1), item.group(2).strip()
        last = max(entries, default=0)
        if number is None and last and entries[last].endswith(":"):
            entries[last] = f"{entries[last]} {body}"
        else:
            entries[int(number) if number else last + 1] = body
    return entries
