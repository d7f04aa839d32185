"""A programme theory version as plain JSON data, and back: how a snapshot is stored.

The stored form names every field, so a version taken today still reads when the dataclasses gain
fields; reading it back goes through the same constructors, so a stored version is held to the
same rules as a new one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from realreview.synthesis.clusters import Cluster
from realreview.synthesis.cmoc import CMOC, Component
from realreview.synthesis.evidence import EvidenceKey
from realreview.synthesis.relations import Relation, RelationKind
from realreview.synthesis.theory import ProgrammeTheory

__all__ = ["theory_from_dict", "theory_to_dict"]


def theory_to_dict(theory: ProgrammeTheory) -> dict[str, Any]:
    """The version as JSON-ready data (``created_at`` in ISO 8601 with its offset).

    >>> from datetime import UTC
    >>> t = ProgrammeTheory("initial", "", "ana", datetime(2025, 1, 1, tzinfo=UTC),
    ...     (Cluster("data", "Data"),), (CMOC("1", "data", outcome="gaps close"),))
    >>> theory_from_dict(theory_to_dict(t)) == t
    True
    """
    return {
        "name": theory.name,
        "note": theory.note,
        "created_by": theory.created_by,
        "created_at": theory.created_at.isoformat(),
        "clusters": [
            {"key": c.key, "title": c.title, "description": c.description, "subthemes": list(c.subthemes)}
            for c in theory.clusters
        ],
        "cmocs": [
            {
                "label": m.label,
                "cluster": m.cluster,
                "subtheme": m.subtheme,
                "context": m.context,
                "mechanism": m.mechanism,
                "outcome": m.outcome,
                "direction": m.direction.value,
                "confidence": m.confidence.value,
                "status": m.status.value,
            }
            for m in theory.cmocs
        ],
        "relations": [
            {"source": r.source, "kind": r.kind.value, "target": r.target, "note": r.note}
            for r in theory.relations
        ],
        "evidence": [[k.cmoc, k.component.value, k.excerpt_id] for k in theory.evidence],
    }


def theory_from_dict(data: dict[str, Any]) -> ProgrammeTheory:
    """Read back what :func:`theory_to_dict` wrote."""
    return ProgrammeTheory(
        name=data["name"],
        note=data.get("note", ""),
        created_by=data["created_by"],
        created_at=datetime.fromisoformat(data["created_at"]),
        clusters=tuple(
            Cluster(c["key"], c["title"], c.get("description", ""), tuple(c.get("subthemes", ())))
            for c in data.get("clusters", ())
        ),
        cmocs=tuple(CMOC(**m) for m in data.get("cmocs", ())),
        relations=tuple(
            Relation(r["source"], RelationKind(r["kind"]), r["target"], r.get("note", ""))
            for r in data.get("relations", ())
        ),
        evidence=tuple(
            EvidenceKey(cmoc, Component(part), int(excerpt))
            for cmoc, part, excerpt in data.get("evidence", ())
        ),
    )
