"""``realreview cmocs``, ``cmoc``, ``cluster`` and ``theory``: the realist synthesis from the command line."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from realreview import services
from realreview.cli.context import fail, review_unit
from realreview.errors import NotFoundError
from realreview.synthesis import (
    PROMPTS,
    Component,
    Confidence,
    Direction,
    RelationKind,
    Role,
    Status,
    group_by_cluster,
)

cluster_app = typer.Typer(help="Clusters that group the CMOCs of the programme theory.")
cmoc_app = typer.Typer(help="One CMOC: its statements, the evidence behind each part, its relations.")
theory_app = typer.Typer(help="Programme theory versions: snapshots, their diff, the diagram and the tables.")


def _enum_value(value: object) -> object:
    return getattr(value, "value", value)


@cluster_app.command("add")
def cluster_add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="A short key: a-z, 0-9, '-' or '_' (e.g. values).")],
    title: Annotated[str, typer.Argument(help="The cluster's title as readers see it.")],
    description: Annotated[str, typer.Option("--description")] = "",
    subtheme: Annotated[
        list[str] | None, typer.Option("--subtheme", help="A subtheme, in order (repeat).")
    ] = None,
) -> None:
    """Add a cluster at the end of the order (or retitle the cluster with KEY)."""
    with review_unit(ctx) as (session, review):
        cluster = services.add_cluster(
            session, review, key=key, title=title, description=description, subthemes=subtheme or ()
        )
    typer.echo(f"Cluster {cluster.key}: {cluster.title}")


@cmoc_app.command("set")
def cmoc_set(
    ctx: typer.Context,
    label: Annotated[str, typer.Argument(help="The CMOC's label, e.g. 7A.")],
    cluster: Annotated[
        str | None, typer.Option("--cluster", help="Cluster key (needed for a new CMOC).")
    ] = None,
    context: Annotated[str | None, typer.Option("--context", "-c", help="When ... (the context).")] = None,
    mechanism: Annotated[
        str | None, typer.Option("--mechanism", "-m", help="Because ... (the mechanism).")
    ] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", "-o", help="Then ... (the outcome).")] = None,
    subtheme: Annotated[str | None, typer.Option("--subtheme")] = None,
    direction: Annotated[Direction | None, typer.Option("--direction")] = None,
    confidence: Annotated[Confidence | None, typer.Option("--confidence")] = None,
    status: Annotated[Status | None, typer.Option("--status")] = None,
) -> None:
    """Create CMOC LABEL, or change the parts given; the earlier wording is kept in its history."""
    with review_unit(ctx) as (session, review):
        try:
            current: Any = services.cmoc_page(session, review, label=label).cmoc
        except NotFoundError:
            current = None
        if current is None and cluster is None:
            raise fail(f"CMOC {label} is new: give --cluster")

        def pick(given: object, field: str, default: object) -> Any:
            return _enum_value(given) if given is not None else _enum_value(getattr(current, field, default))

        cmoc = services.save_cmoc(
            session,
            review,
            label=label,
            cluster=pick(cluster, "cluster", ""),
            context=pick(context, "context", ""),
            mechanism=pick(mechanism, "mechanism", ""),
            outcome=pick(outcome, "outcome", ""),
            subtheme=pick(subtheme, "subtheme", None),
            direction=pick(direction, "direction", "unclear"),
            confidence=pick(confidence, "confidence", "low"),
            status=pick(status, "status", "draft"),
        )
    typer.echo(f"CMOC {cmoc.label} ({cmoc.cluster}): {cmoc.sentence()}")


@cmoc_app.command("link")
def cmoc_link(
    ctx: typer.Context,
    label: Annotated[str, typer.Argument(help="The CMOC's label.")],
    component: Annotated[Component, typer.Argument(help="context, mechanism or outcome.")],
    excerpt: Annotated[int, typer.Argument(help="Excerpt id (see realreview excerpts list).")],
    role: Annotated[Role, typer.Option("--role")] = Role.SUPPORTS,
    note: Annotated[str, typer.Option("--note", help="Your interpretation of the passage.")] = "",
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer", help=f"KEY=TEXT for a prompt ({', '.join(p.key for p in PROMPTS)}); repeat."
        ),
    ] = None,
) -> None:
    """Use an excerpt as evidence for one part of a CMOC."""
    answers = []
    for item in answer or ():
        key, sep, text = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--answer {item!r}: write KEY=TEXT")
        answers.append((key.strip(), text))
    with review_unit(ctx) as (session, review):
        link = services.link_evidence(
            session,
            review,
            label=label,
            component=component.value,
            excerpt_id=excerpt,
            role=role.value,
            interpretation=note,
            answers=answers,
        )
    typer.echo(f"Excerpt {link.excerpt_id} {link.role.value} the {link.component.value} of CMOC {link.cmoc}.")


@cmoc_app.command("unlink")
def cmoc_unlink(
    ctx: typer.Context,
    link: Annotated[int, typer.Argument(help="Evidence link id (see realreview cmoc show LABEL).")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (needed for a colleague's link).")
    ] = None,
) -> None:
    """Take an evidence link back (it stays on record, marked)."""
    with review_unit(ctx) as (session, review):
        services.unlink_evidence(session, review, link_id=link, reason=reason)
    typer.echo(f"Evidence link {link} taken back.")


@cmoc_app.command("relate")
def cmoc_relate(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The CMOC that refines, contrasts with or depends on.")],
    kind: Annotated[RelationKind, typer.Argument(help="refines, contrasts_with or depends_on.")],
    target: Annotated[str, typer.Argument(help="The other CMOC.")],
    note: Annotated[str, typer.Option("--note", help="Why the team thinks so.")] = "",
) -> None:
    """Record how two CMOCs connect."""
    with review_unit(ctx) as (session, review):
        relation = services.relate_cmocs(
            session, review, source=source, kind=kind.value, target=target, note=note
        )
    typer.echo(f"{relation}.")


@cmoc_app.command("show")
def cmoc_show(
    ctx: typer.Context,
    label: Annotated[str, typer.Argument(help="The CMOC's label.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """A CMOC with every excerpt behind it, the parts lacking evidence, its relations and history."""
    with review_unit(ctx) as (session, review):
        page = services.cmoc_page(session, review, label=label)
    evidence = [
        {
            "link": item.id,
            "component": item.link.component.value,
            "role": item.link.role.value,
            "excerpt": item.link.excerpt_id,
            "document": item.document,
            "page": item.page,
            "text": item.text,
            "interpretation": item.link.interpretation,
            "by": item.created_by,
        }
        for item in page.evidence
    ]
    if as_json:
        data = {
            **_cmoc_json(page.cmoc),
            "evidence": evidence,
            "lacking_evidence": [c.value for c in page.gaps],
            "relations": [str(r) for r in page.relations],
            "history": [
                {
                    "author": e.author,
                    "at": e.at.isoformat(),
                    "changes": [[c.field, c.old, c.new] for c in e.changes],
                }
                for e in page.history
            ],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"CMOC {page.cmoc.label} [{page.cmoc.cluster}] {page.cmoc.direction.symbol} {page.cmoc.sentence()}"
    )
    if page.gaps:
        typer.echo(f"  no evidence yet for: {', '.join(c.value for c in page.gaps)}")
    for item in page.evidence:
        where = item.document + (f", p. {item.page}" if item.page else "")
        typer.echo(
            f"  [{item.id}] {item.link.component.value} {item.link.role.value}: {where}: {item.text[:100]!r}"
        )
    for relation in page.relations:
        typer.echo(f"  {relation}")


def _cmoc_json(cmoc: Any, count: Any = None, gaps: tuple[Component, ...] | None = None) -> dict[str, Any]:
    data = {
        "label": cmoc.label,
        "cluster": cmoc.cluster,
        "subtheme": cmoc.subtheme,
        "context": cmoc.context,
        "mechanism": cmoc.mechanism,
        "outcome": cmoc.outcome,
        "sentence": cmoc.sentence(),
        "direction": cmoc.direction.value,
        "confidence": cmoc.confidence.value,
        "status": cmoc.status.value,
    }
    if count is not None:
        data["evidence"] = {
            "documents": count.documents,
            "excerpts": count.excerpts,
            "supports": count.supports,
            "contradicts": count.contradicts,
            "refines": count.refines,
        }
    if gaps is not None:
        data["lacking_evidence"] = [c.value for c in gaps]
    return data


def cmocs(
    ctx: typer.Context,
    version: Annotated[
        str | None,
        typer.Option("--version", help="A stored programme theory version (default: as it stands)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Clusters and CMOCs with labels, statements, direction and evidence counts."""
    with review_unit(ctx) as (session, review):
        theory = services.theory_version(session, review, name=version)
        overview = services.synthesis_overview(session, review)
    counts = {label: count for label, count in overview.counts.items()}
    live = {cmoc.label for group in overview.groups for cmoc in group.cmocs}
    keys_by_label: dict[str, list[Any]] = {}
    for key in theory.evidence:
        keys_by_label.setdefault(key.cmoc, []).append(key)
    groups = group_by_cluster(theory.cmocs, theory.clusters)
    if as_json:
        data = {
            "version": theory.name,
            "clusters": [
                {
                    "key": group.cluster.key,
                    "title": group.cluster.title,
                    "subthemes": list(group.cluster.subthemes),
                    "cmocs": [
                        _cmoc_json(
                            cmoc,
                            counts.get(cmoc.label) if cmoc.label in live and version is None else None,
                            overview.gaps.get(cmoc.label) if version is None else None,
                        )
                        | (
                            {}
                            if version is None
                            else {"evidence": {"excerpts": len(keys_by_label.get(cmoc.label, []))}}
                        )
                        for cmoc in group.cmocs
                    ],
                }
                for group in groups
            ],
            "relations": [
                {"source": r.source, "kind": r.kind.value, "target": r.target, "note": r.note}
                for r in theory.relations
            ],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for group in groups:
        typer.echo(f"{group.cluster.title} [{group.cluster.key}]")
        for cmoc in group.cmocs:
            if version is None and cmoc.label in counts:
                count = counts[cmoc.label]
                evidence = f"{count.excerpts} excerpts from {count.documents} documents"
            else:
                evidence = f"{len(keys_by_label.get(cmoc.label, []))} excerpts"
            typer.echo(
                f"  {cmoc.label} {cmoc.direction.symbol} {cmoc.direction.value}: {cmoc.sentence()} ({evidence})"
            )
    for relation in theory.relations:
        typer.echo(f"{relation}")


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
    try:
        if isinstance(content, bytes):
            out.write_bytes(content)
        else:
            out.write_text(content, encoding="utf-8")
    except OSError as error:
        raise fail(f"{out}: {error.strerror or error}") from None
    typer.echo(f"Wrote {out}")


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


def register(app: typer.Typer) -> None:
    """Add ``cmocs``, ``cmoc``, ``cluster`` and ``theory`` to the main app."""
    app.command("cmocs")(cmocs)
    app.add_typer(cmoc_app, name="cmoc")
    app.add_typer(cluster_app, name="cluster")
    app.add_typer(theory_app, name="theory")
