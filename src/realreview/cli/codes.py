"""``realreview codes`` and ``realreview excerpts``: the codebook and coded spans from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import fail, unit_of_work
from realreview.coding.codebook import CodeNode, ordered
from realreview.coding.matrix import to_csv, to_xlsx
from realreview.services import CodeOrigin

app = typer.Typer(
    help="The codebook: parent/child codes, deductive or inductive; the code x document matrix."
)
excerpts_app = typer.Typer(help="Excerpts: spans of a document's text with the codes applied to them.")

Origin = Annotated[
    CodeOrigin, typer.Option("--origin", help="deductive (from the initial theory) or inductive.")
]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The code's name.")],
    parent: Annotated[int | None, typer.Option("--parent", help="Parent code id.")] = None,
    origin: Origin = CodeOrigin.INDUCTIVE,
    color: Annotated[str | None, typer.Option("--color", help="#RRGGBB.")] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
) -> None:
    """Add a code (under --parent when given)."""
    with unit_of_work(ctx) as (session, state):
        review = services.get_review(session, review_id=state.review_id)
        code = services.create_code(
            session,
            review_id=review.id,
            name=name,
            parent_id=parent,
            origin=origin,
            color=color,
            description=description,
            actor=state.settings.actor,
        )
    typer.echo(f"Code {code.id}: {code.name} ({code.origin.value})")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Print the code tree with each code's id, origin and number of excerpts."""
    with unit_of_work(ctx) as (session, state):
        review = services.get_review(session, review_id=state.review_id)
        codes = services.codebook(session, review_id=review.id)
    by_id = {code.id: code for code in codes}
    for node, depth in ordered([CodeNode(c.id, c.parent_id, c.name) for c in codes]):
        code = by_id[node.id]
        typer.echo(f"{'  ' * depth}{code.id}\t{code.name}\t{code.origin.value}\t{code.excerpts} excerpts")


@app.command("rename")
def rename(
    ctx: typer.Context,
    code: Annotated[int, typer.Argument(help="Code id.")],
    name: Annotated[str, typer.Argument(help="The new name.")],
) -> None:
    """Rename a code (the old name stays in the audit log)."""
    with unit_of_work(ctx) as (session, state):
        review = services.get_review(session, review_id=state.review_id)
        found = services.update_code(
            session, review_id=review.id, code_id=code, name=name, actor=state.settings.actor
        )
    typer.echo(f"Code {found.id}: {found.name}")


@app.command("move")
def move(
    ctx: typer.Context,
    code: Annotated[int, typer.Argument(help="Code id.")],
    parent: Annotated[
        int | None, typer.Option("--parent", help="New parent id; leave out for the top.")
    ] = None,
) -> None:
    """Re-parent a code."""
    with unit_of_work(ctx) as (session, state):
        review = services.get_review(session, review_id=state.review_id)
        services.move_code(
            session, review_id=review.id, code_id=code, parent_id=parent, actor=state.settings.actor
        )
    typer.echo(f"Code {code} now under {parent if parent is not None else 'the top'}.")


@app.command("merge")
def merge(
    ctx: typer.Context,
    source: Annotated[int, typer.Argument(help="The code to merge away.")],
    target: Annotated[int, typer.Argument(help="The code that takes its excerpts and children.")],
) -> None:
    """Merge SOURCE into TARGET (SOURCE is kept, marked merged)."""
    with unit_of_work(ctx) as (session, state):
        review = services.get_review(session, review_id=state.review_id)
        code = services.merge_codes(
            session, review_id=review.id, source_id=source, target_id=target, actor=state.settings.actor
        )
    typer.echo(f"Merged {source} into {code.id} ({code.name}): {code.excerpts} excerpts.")


@app.command("matrix")
def matrix(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="Write .csv or .xlsx (by suffix).")] = None,
) -> None:
    """The code x document matrix (counts of coded excerpts) as CSV, or XLSX with --out x.xlsx."""
    with unit_of_work(ctx) as (session, state):
        review = services.get_review(session, review_id=state.review_id)
        found = services.code_matrix(session, review_id=review.id)
    if out is not None and out.suffix.lower() == ".xlsx":
        out.write_bytes(to_xlsx(found))
    elif out is not None:
        out.write_text(to_csv(found), encoding="utf-8")
    else:
        typer.echo(to_csv(found), nl=False)


@excerpts_app.command("add")
def add_excerpt(
    ctx: typer.Context,
    document: Annotated[int, typer.Argument(help="Document id.")],
    start: Annotated[int, typer.Argument(help="First character (0-based).")],
    end: Annotated[int, typer.Argument(help="One past the last character.")],
    code: Annotated[list[int] | None, typer.Option("--code", help="Code id to apply (repeatable).")] = None,
) -> None:
    """Make characters START..END of DOCUMENT an excerpt, coded with each --code."""
    with unit_of_work(ctx) as (session, state):
        review = services.get_review(session, review_id=state.review_id)
        excerpt = services.add_excerpt(
            session,
            review_id=review.id,
            document_id=document,
            start=start,
            end=end,
            code_ids=code or [],
            actor=state.settings.actor,
        )
    typer.echo(f"Excerpt {excerpt.id} (page {excerpt.page}): {excerpt.text[:80]!r}")


@excerpts_app.command("list")
def list_excerpts(
    ctx: typer.Context,
    code: Annotated[
        int | None, typer.Option("--code", help="Only excerpts with this code (and children).")
    ] = None,
    document: Annotated[int | None, typer.Option("--document", help="Only this document's excerpts.")] = None,
) -> None:
    """List excerpts of a code across documents, or of one document."""
    if (code is None) == (document is None):
        raise fail("give one of --code ID or --document ID")
    with unit_of_work(ctx) as (session, state):
        review = services.get_review(session, review_id=state.review_id)
        if code is not None:
            found = services.excerpts_of_code(session, review_id=review.id, code_id=code, with_children=True)
        else:
            found = services.excerpts_of_document(session, review_id=review.id, document_id=document or 0)
    for e in found:
        typer.echo(f"{e.id}\t{e.document_name} p{e.page} {e.start}-{e.end}\t{e.text[:100]!r}")
