"""``realreview qdpx``: exchange coding with NVivo, ATLAS.ti and MAXQDA through REFI-QDA files.

``export OUT`` writes a project (``.qdpx``), or the codebook alone when ``OUT`` ends ``.qdc``;
``import FILE`` reads a ``.qdpx``, a bare ``project.qde`` (its sources beside it, in the same folder or
its ``sources`` folder) or a ``.qdc`` codebook.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import fail, review_unit
from realreview.coding import folder_files
from realreview.fulltext import FileStore

app = typer.Typer(
    help="REFI-QDA files (.qdpx, .qde, .qdc): export the review's coding or codebook, import another tool's."
)


@app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Argument(help="The .qdpx project to write, or a .qdc for the codebook alone.")
    ],
) -> None:
    """Write codebook, documents, excerpts, codings, memos and study characteristics as a .qdpx project.

    An OUT ending .qdc gets the codebook alone (codes, their tree, colours, descriptions, the deductive set).
    """
    store = FileStore(ctx.obj.settings.file_store_root())
    with review_unit(ctx) as (session, review):
        if out.suffix.lower() == ".qdc":
            data = services.export_codebook(session, review)
        else:
            data = services.export_qdpx(session, review, store=store)
    out.write_bytes(data)
    typer.echo(f"Wrote {out} ({len(data):,} bytes)")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A .qdpx project, a bare project.qde or a .qdc codebook (NVivo, ATLAS.ti, MAXQDA...)."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Add a project's codes, sources, selections, codings and notes to the review (all or nothing)."""
    try:
        data = file.read_bytes()
    except OSError as error:
        raise fail(f"{file}: {error.strerror or error}") from None
    store = FileStore(ctx.obj.settings.file_store_root())
    # A bare .qde finds its sources beside it; nothing there is read unless a source names it.
    files = folder_files(file.parent) if file.suffix.lower() == ".qde" else None
    with review_unit(ctx) as (session, review):
        report = services.import_qdpx(
            session,
            review,
            data=data,
            name=file.name,
            store=store,
            files=files,
            limits=ctx.obj.settings.qda_limits,
        )
    if as_json:
        counts = asdict(report.counts)
        added = {
            "codes": report.codes_added,
            "documents": report.documents_added,
            "excerpts": report.excerpts_added,
            "codings": report.codings_added,
            "memos": report.memos_added,
            "studies": report.studies_updated,
        }
        typer.echo(json.dumps({**counts, "added": added, "messages": list(report.notes)}, indent=2))
        return
    c = report.counts
    typer.echo(
        f"{file.name}: {c.codes} codes, {c.sources} sources, {c.selections} selections, {c.codings} codings, "
        f"{c.notes} notes, {c.cases} cases"
    )
    typer.echo(
        f"Added {report.codes_added} codes, {report.documents_added} documents, {report.excerpts_added} "
        f"excerpts, {report.codings_added} codings, {report.memos_added} memos."
    )
    for note in report.notes:
        typer.echo(f"  note: {note}")
