"""``realreview codes`` and ``realreview excerpts``: the codebook and coded spans from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import fail, review_unit
from realreview.coding.codebook import tree_rows
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
    with review_unit(ctx) as (session, review):
        code = services.create_code(
            session, review, name=name, parent_id=parent, origin=origin, color=color, description=description
        )
    typer.echo(f"Code {code.id}: {code.name} ({code.origin.value})")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Print the code tree with each code's id, origin and number of excerpts."""
    with review_unit(ctx) as (session, review):
        codes = services.codebook(session, review)
    for code, depth in tree_rows(codes):
        typer.echo(f"{'  ' * depth}{code.id}\t{code.name}\t{code.origin.value}\t{code.excerpts} excerpts")


@app.command("rename")
def rename(
    ctx: typer.Context,
    code: Annotated[int, typer.Argument(help="Code id.")],
    name: Annotated[str, typer.Argument(help="The new name.")],
) -> None:
    """Rename a code (the old name stays in the audit log)."""
    with review_unit(ctx) as (session, review):
        found = services.update_code(session, review, code_id=code, name=name)
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
    with review_unit(ctx) as (session, review):
        services.move_code(session, review, code_id=code, parent_id=parent)
    typer.echo(f"Code {code} now under {parent if parent is not None else 'the top'}.")


@app.command("merge")
def merge(
    ctx: typer.Context,
    source: Annotated[int, typer.Argument(help="The code to merge away.")],
    target: Annotated[int, typer.Argument(help="The code that takes its excerpts and children.")],
) -> None:
    """Merge SOURCE into TARGET (SOURCE is kept, marked merged)."""
    with review_unit(ctx) as (session, review):
        code = services.merge_codes(session, review, source_id=source, target_id=target)
    typer.echo(f"Merged {source} into {code.id} ({code.name}): {code.excerpts} excerpts.")


@app.command("matrix")
def matrix(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", help="Write .csv or .xlsx (by suffix).")] = None,
    raw: Annotated[
        bool, typer.Option("--raw", help="CSV: keep formula-like labels as they are (for scripts).")
    ] = False,
) -> None:
    """The code x document matrix (counts of coded excerpts) as CSV, or XLSX with --out x.xlsx."""
    if out is not None and out.suffix.lower() == ".xlsx":
        with review_unit(ctx) as (session, review):
            workbook = services.matrix_xlsx(session, review)
        out.write_bytes(workbook)
        return
    with review_unit(ctx) as (session, review):
        text = services.matrix_csv(session, review, raw=raw)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)


@excerpts_app.command("add")
def add_excerpt(
    ctx: typer.Context,
    document: Annotated[int, typer.Argument(help="Document id.")],
    start: Annotated[int, typer.Argument(help="First character (0-based).")],
    end: Annotated[int, typer.Argument(help="One past the last character.")],
    code: Annotated[list[int] | None, typer.Option("--code", help="Code id to apply (repeatable).")] = None,
) -> None:
    """Make characters START..END of DOCUMENT an excerpt, coded with each --code."""
    with review_unit(ctx) as (session, review):
        excerpt = services.add_excerpt(
            session, review, document_id=document, start=start, end=end, code_ids=code or []
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
    with review_unit(ctx) as (session, review):
        if code is not None:
            found = services.excerpts_of_code(session, review, code_id=code, with_children=True)
        else:
            found = services.excerpts_of_document(session, review, document_id=document or 0)
    for e in found:
        typer.echo(f"{e.id}\t{e.document_name} p{e.page} {e.start}-{e.end}\t{e.text[:100]!r}")


@excerpts_app.command("remove-code")
def remove_code(
    ctx: typer.Context,
    excerpt: Annotated[int, typer.Argument(help="Excerpt id.")],
    code: Annotated[int, typer.Argument(help="The code to take off it.")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (required to take off a colleague's coding).")
    ] = None,
) -> None:
    """Take CODE off EXCERPT (audited; the coding is kept, marked removed with the reason)."""
    with review_unit(ctx) as (session, review):
        services.remove_code(session, review, excerpt_id=excerpt, code_id=code, reason=reason)
    typer.echo(f"Took code {code} off excerpt {excerpt}.")
