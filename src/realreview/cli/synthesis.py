"""``realreview cmocs``, ``cmoc``, ``cluster`` and ``theory``: the realist synthesis from the command line."""

from __future__ import annotations

import json
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
    if not groups:
        typer.echo(
            "No cluster yet; start with: realreview cluster add KEY TITLE, then realreview cmoc set LABEL"
        )
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


def register(app: typer.Typer) -> None:
    """Add ``cmocs``, ``cmoc`` and ``cluster`` to the main app."""
    app.command("cmocs")(cmocs)
    app.add_typer(cmoc_app, name="cmoc")
    app.add_typer(cluster_app, name="cluster")
