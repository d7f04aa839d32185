"""``realreview archive`` and ``restore``: the whole review as one portable zip, and back (docs/archive.md).

An archive is a backup that outlives the database: it restores into SQLite or PostgreSQL, as a new
review beside any others there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import fail, review_unit, unit_of_work, write_output
from realreview.fulltext import FileStore


def archive(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The .zip to write.")],
) -> None:
    """Write the whole review (every table, the audit log, the full-text files) to OUT.zip; owners only."""
    store = FileStore(ctx.obj.settings.file_store_root())
    with review_unit(ctx) as (session, review):
        made = services.archive_review(session, review, store=store)
    write_output(out, made.data)
    typer.echo(
        f"Review {made.review_id}: {sum(made.rows.values()):,} rows of {len(made.rows)} tables, {_files(made.files)}"
    )
    for sha256 in made.missing_files:
        typer.echo(
            f"  note: file {sha256} of a document is not in {store.root}; its text is archived, the file not"
        )


def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An archive written by realreview archive.")],
    title: Annotated[str | None, typer.Option("--title", help="Title of the restored review.")] = None,
) -> None:
    """Check FILE.zip whole, then restore it as a new review with new ids (nothing is written if it fails)."""
    try:
        data = file.read_bytes()
    except OSError as error:
        raise fail(f"{file}: {error.strerror or error}") from None
    store = FileStore(ctx.obj.settings.file_store_root())
    with unit_of_work(ctx) as (session, state):
        restored = services.restore_review(
            session, data=data, name=file.name, store=store, actor=state.settings.actor, title=title
        )
    typer.echo(
        f"Restored review {restored.id}: {restored.title} ({sum(restored.rows.values()):,} rows, "
        f"{_files(restored.files)}; it was review {restored.source_review_id} where it was archived)"
    )
    if restored.accounts_created:
        typer.echo(
            "New accounts, without a password until one is set (realreview members password EMAIL): "
            + ", ".join(restored.accounts_created)
        )


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def register(app: typer.Typer) -> None:
    """Add ``archive`` and ``restore`` to the main app."""
    app.command("archive")(archive)
    app.command("restore")(restore)
