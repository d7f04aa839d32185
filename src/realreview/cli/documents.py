"""``realreview documents``: attach full texts (PDF or text) to studies, list them, print their text."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import fail, review_unit
from realreview.fulltext import FileStore

app = typer.Typer(help="Full texts: attach a PDF or text file to a study, list them, read their text.")


@app.command("add")
def add(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A PDF with a text layer, or a plain-text file.")],
    record: Annotated[
        int | None, typer.Option("--record", help="The study (record id) it is the full text of.")
    ] = None,
) -> None:
    """Extract FILE's text (per page) and attach it; the file is kept by SHA-256 beside the database."""
    try:
        data = file.read_bytes()
    except OSError as error:
        raise fail(f"{file}: {error.strerror or error}") from None
    settings = ctx.obj.settings
    with review_unit(ctx) as (session, review):
        document = services.add_document(
            session,
            review,
            data=data,
            name=file.name,
            record_id=record,
            store=FileStore(settings.file_store_root()),
            max_bytes=settings.max_document_bytes,
            limits=settings.parse_limits,
        )
    info = document.info
    typer.echo(f"Document {info.id}: {info.name}, {info.page_count} pages, {info.characters:,} characters")
    for note in document.notes:
        typer.echo(f"  note: {note}")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List the review's documents: id, study, pages, characters, excerpts, name."""
    with review_unit(ctx) as (session, review):
        documents = services.list_documents(session, review)
    if not documents:
        typer.echo("No documents yet. Attach one with: realreview documents add FILE --record ID")
    for d in documents:
        study = f"record {d.record_id}" if d.record_id else "no study"
        typer.echo(
            f"{d.id}\t{study}\t{d.page_count} pages\t{d.characters} chars\t{d.excerpts} excerpts\t{d.name}"
        )


@app.command("text")
def text(
    ctx: typer.Context,
    document: Annotated[int, typer.Argument(help="Document id.")],
    page: Annotated[int | None, typer.Option("--page", help="Print only this page (1-based).")] = None,
) -> None:
    """Print a document's extracted text (pages separated by form feeds)."""
    with review_unit(ctx) as (session, review):
        found = services.document_text(session, review, document_id=document)
    if page is None:
        typer.echo(found.text)
        return
    spans = [span for span in found.pages if span.number == page]
    if not spans:
        raise fail(f"document {document} has pages 1-{len(found.pages)}, not {page}")
    typer.echo(found.page_text(spans[0]))
