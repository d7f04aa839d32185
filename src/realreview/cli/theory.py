"""``realreview theory``: programme theory versions, their diff, the diagram, the tables and the matrix."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from realreview import services
from realreview.cli.context import fail, review_unit, write_output

theory_app = typer.Typer(help="Programme theory versions: snapshots, their diff, the diagram and the tables.")


def _enum_value(value: object) -> object:
    return getattr(value, "value", value)


@theory_app.command("versions")
def versions(ctx: typer.Context) -> None:
    """The stored programme theory versions, oldest first."""
    with review_unit(ctx) as (session, review):
        found = services.theory_versions(session, review)
    if not found:
        typer.echo("No version yet; take one with: realreview theory snapshot NAME --note '...'")
    for info in found:
        typer.echo(
            f"{info.name}\t{info.created_at:%Y-%m-%d %H:%M}\t{info.created_by}\t"
            f"{info.clusters} clusters, {info.cmocs} CMOCs\t{info.note}"
        )


@theory_app.command("snapshot")
def take_snapshot(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The version's name, e.g. initial, refined, final.")],
    note: Annotated[str, typer.Option("--note", help="What changed since the last version, and why.")],
) -> None:
    """Freeze the synthesis as it stands as version NAME."""
    with review_unit(ctx) as (session, review):
        info = services.snapshot_theory(session, review, name=name, note=note)
    typer.echo(f"Version {info.name}: {info.clusters} clusters, {info.cmocs} CMOCs.")


@theory_app.command("diff")
def theory_diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The earlier version (or 'working').")],
    new: Annotated[str, typer.Argument(help="The later version (or 'working').")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """What changed between two versions: CMOCs added, removed, reworded, moved; relations; evidence."""
    with review_unit(ctx) as (session, review):
        change = services.diff_theories(session, review, old=old, new=new)
    if as_json:
        typer.echo(json.dumps(asdict(change), ensure_ascii=False, indent=2, default=_enum_value))
        return
    typer.echo(f"{change.old} -> {change.new}")
    for label in change.cmocs_added:
        typer.echo(f"  + CMOC {label}")
    for label in change.cmocs_removed:
        typer.echo(f"  - CMOC {label}")
    for rewording in change.reworded:
        typer.echo(
            f"  ~ CMOC {rewording.label} {rewording.component.value}: {rewording.old!r} -> {rewording.new!r}"
        )
    for move in change.moved:
        typer.echo(f"  > CMOC {move.label} moved {move.old_cluster} -> {move.new_cluster}")
    for judgement in change.changed:
        typer.echo(f"  ~ CMOC {judgement.label} {judgement.field}: {judgement.old} -> {judgement.new}")
    for relation in change.relations_added:
        typer.echo(f"  + {relation}")
    for relation in change.relations_removed:
        typer.echo(f"  - {relation}")
    for evidence in change.evidence:
        typer.echo(f"  evidence of CMOC {evidence.label}: +{len(evidence.added)} -{len(evidence.removed)}")
    for key in change.clusters_added:
        typer.echo(f"  + cluster {key}")
    for key in change.clusters_removed:
        typer.echo(f"  - cluster {key}")


def _write(out: Path | None, content: str | bytes) -> None:
    if out is None:
        if isinstance(content, bytes):
            raise fail("this format is binary: give --out FILE")
        typer.echo(content, nl=not content.endswith("\n"))
        return
    write_output(out, content)


@theory_app.command("diagram")
def diagram(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="svg or mermaid.")] = "svg",
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: standard output).")
    ] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="A stored version (default: as it stands).")
    ] = None,
) -> None:
    """The programme theory as a diagram: clusters as groups, CMOCs inside, relations as arrows."""
    with review_unit(ctx) as (session, review):
        content = services.theory_diagram(session, review, fmt=fmt, version=version)
    _write(out, content)


@theory_app.command("table")
def table(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="csv, md or docx.")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="File to write (needed for docx).")] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="A stored version (default: as it stands).")
    ] = None,
    appendix: Annotated[
        bool, typer.Option("--appendix", help="Add the evidence per CMOC (md, docx).")
    ] = False,
) -> None:
    """The CMOC table (cluster, label, 'When C, then O, because M', direction, documents)."""
    with review_unit(ctx) as (session, review):
        content = services.cmoc_tables(session, review, fmt=fmt, version=version, appendix=appendix)
    _write(out, content)


@theory_app.command("codes")
def seed_codes(
    ctx: typer.Context,
    version: Annotated[
        str | None, typer.Option("--version", help="A stored version (default: as it stands).")
    ] = None,
    unstated: Annotated[
        bool, typer.Option("--unstated", help="Also a code for each part not stated yet.")
    ] = False,
) -> None:
    """Seed the code tree with deductive codes: one per cluster, one per stated context, mechanism, outcome."""
    with review_unit(ctx) as (session, review):
        seeded = services.seed_deductive_codes(session, review, version=version, include_unstated=unstated)
    typer.echo(f"{seeded.created} codes created ({seeded.proposed - seeded.created} already there).")


@theory_app.command("matrix")
def matrix(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="File to write (needed for xlsx).")] = None,
) -> None:
    """The CMOC x document matrix: excerpts of each document supporting and contradicting each CMOC."""
    with review_unit(ctx) as (session, review):
        content = services.cmoc_matrix(session, review, fmt=fmt)
    _write(out, content)


def register(app: typer.Typer) -> None:
    """Add ``theory`` to the main app."""
    app.add_typer(theory_app, name="theory")
