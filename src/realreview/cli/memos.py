"""``realreview memos`` and ``realreview appraisals``: read every wording of a memo, remove memos and appraisals.

The command line acts as the review's owner (whoever holds the database), so removing a colleague's
memo or appraisal needs ``--reason``; the removal is audited and the wordings stay readable.
"""

from __future__ import annotations

from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import review_unit
from realreview.services import MemoTarget

app = typer.Typer(help="Memos on the review, codes, documents and excerpts: list, every wording, remove.")
appraisals_app = typer.Typer(help="Relevance and rigour appraisals of documents and excerpts: list, remove.")

Reason = Annotated[
    str | None, typer.Option("--reason", help="Why (required to remove a colleague's, kept in the history).")
]


@app.command("list")
def list_(
    ctx: typer.Context,
    target: Annotated[
        MemoTarget | None, typer.Option("--target", help="Only memos on this kind of target.")
    ] = None,
    target_id: Annotated[
        int | None, typer.Option("--id", help="Only memos on this target (with --target).")
    ] = None,
    removed: Annotated[bool, typer.Option("--removed", help="List the removed memos instead.")] = False,
) -> None:
    """List the current memos: id, target, author, versions, text."""
    with review_unit(ctx) as (session, review):
        find = services.removed_memos if removed else services.memos_of
        memos = find(session, review, target_kind=target, target_id=target_id)
    for memo in memos:
        gone = f"\tremoved by {memo.removal.by}: {memo.removal.reason or ''}" if memo.removal else ""
        typer.echo(
            f"{memo.id}\t{memo.target_kind.value} {memo.target_id}\t{memo.author}\t"
            f"{memo.versions} versions\t{memo.text[:80]!r}{gone}"
        )


@app.command("versions")
def versions(
    ctx: typer.Context, memo: Annotated[int, typer.Argument(help="Memo id (any version's).")]
) -> None:
    """Print every wording of a memo, oldest first, with who wrote it and when."""
    with review_unit(ctx) as (session, review):
        found = services.memo_versions(session, review, memo_id=memo)
    for version in found:
        removed = f" (removed by {version.removal.by})" if version.removal else ""
        at = f"{version.created_at:%Y-%m-%d %H:%M}"
        typer.echo(f"version {version.number} · memo {version.id} · {version.created_by} · {at}{removed}")
        typer.echo(f"  {version.text}")


@app.command("remove")
def remove(
    ctx: typer.Context,
    memo: Annotated[int, typer.Argument(help="Memo id (its current version).")],
    reason: Reason = None,
) -> None:
    """Remove a memo (audited; every wording stays readable with `memos versions`)."""
    with review_unit(ctx) as (session, review):
        found = services.remove_memo(session, review, memo_id=memo, reason=reason)
    typer.echo(f"Removed memo {found.id} by {found.author}.")


@appraisals_app.command("list")
def list_appraisals(
    ctx: typer.Context,
    target: Annotated[MemoTarget, typer.Argument(help="document or excerpt.")],
    target_id: Annotated[int, typer.Argument(help="Its id.")],
) -> None:
    """Each reviewer's current appraisal of a document or an excerpt: id, reviewer, relevance, rigour."""
    with review_unit(ctx) as (session, review):
        found = services.appraisals_of(session, review, target_kind=target, target_id=target_id)
    for a in found:
        relevance, rigour = (j.value if j else "-" for j in (a.relevance, a.rigour))
        typer.echo(f"{a.id}\t{a.reviewer}\trelevance {relevance}\trigour {rigour}")


@appraisals_app.command("remove")
def remove_appraisal(
    ctx: typer.Context, appraisal: Annotated[int, typer.Argument(help="Appraisal id.")], reason: Reason = None
) -> None:
    """Remove a reviewer's appraisal of its target (audited; the judgements stay in the database)."""
    with review_unit(ctx) as (session, review):
        found = services.remove_appraisal(session, review, appraisal_id=appraisal, reason=reason)
    typer.echo(f"Removed {found.reviewer}'s appraisal of {found.target_kind.value} {found.target_id}.")
