"""Programme theory versions: named, frozen snapshots of the clusters, CMOCs, relations and evidence.

A realist review moves from an initial programme theory through refined ones to a final one; each
version is kept whole, with a note on what changed and why, so that any two can be compared
(:func:`~realreview.synthesis.diff.diff`). A snapshot holds evidence as link keys only: which excerpt
backs which component, not the excerpt text, which stays with the coding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from realreview.synthesis.clusters import Cluster, check_placement
from realreview.synthesis.cmoc import CMOC, CMOCError, UnknownCMOCError, label_sort_key
from realreview.synthesis.evidence import EvidenceKey, EvidenceLink, check_links
from realreview.synthesis.relations import Relation, check_relations

__all__ = ["ProgrammeTheory", "snapshot"]


@dataclass(frozen=True)
class ProgrammeTheory:
    """One named version of the programme theory.

    Build it with :func:`snapshot`, which checks it and puts its parts in a stable order; the
    constructor checks too, so a version read back from storage is held to the same rules.
    """

    name: str
    note: str
    created_by: str
    created_at: datetime
    clusters: tuple[Cluster, ...]
    cmocs: tuple[CMOC, ...]
    relations: tuple[Relation, ...] = ()
    evidence: tuple[EvidenceKey, ...] = ()

    def __post_init__(self) -> None:
        name = self.name.strip()
        if not name or len(name) > 100:
            raise CMOCError("a programme theory version needs a name of 1-100 characters")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "note", self.note.strip())
        keys = [cluster.key for cluster in self.clusters]
        if len(set(keys)) != len(keys):
            raise CMOCError(f"version {name}: two clusters share a key")
        check_placement(self.cmocs, self.clusters)
        labels = {cmoc.label for cmoc in self.cmocs}
        check_relations(self.relations, labels=labels)
        if len(set(self.evidence)) != len(self.evidence):
            raise CMOCError(f"version {name}: an evidence link is listed twice")
        for key in self.evidence:
            if key.cmoc not in labels:
                raise UnknownCMOCError(f"version {name}: evidence for CMOC {key.cmoc}, which it lacks")

    def cmoc(self, label: str) -> CMOC:
        """The CMOC labelled ``label`` in this version.

        Raises:
            UnknownCMOCError: the version has no such CMOC.
        """
        for cmoc in self.cmocs:
            if cmoc.label == label:
                return cmoc
        raise UnknownCMOCError(f"version {self.name} has no CMOC {label}")

    def cluster(self, key: str) -> Cluster:
        """The cluster with ``key`` in this version.

        Raises:
            UnknownCMOCError: the version has no such cluster.
        """
        for cluster in self.clusters:
            if cluster.key == key:
                return cluster
        raise UnknownCMOCError(f"version {self.name} has no cluster {key!r}")

    def evidence_of(self, label: str) -> tuple[EvidenceKey, ...]:
        """The evidence link keys of CMOC ``label``."""
        return tuple(key for key in self.evidence if key.cmoc == label)


def snapshot(
    name: str,
    *,
    note: str,
    created_by: str,
    created_at: datetime,
    clusters: Iterable[Cluster],
    cmocs: Iterable[CMOC],
    relations: Iterable[Relation] = (),
    links: Iterable[EvidenceLink] = (),
) -> ProgrammeTheory:
    """Freeze the current synthesis as version ``name``.

    Clusters keep the order given (it is the review's); CMOCs, relations and evidence are sorted so
    that two snapshots of the same state are equal whatever order storage returned them in.

    Raises:
        CMOCError: no author is named, or ``created_at`` has no timezone.
    """
    if not created_by.strip():
        raise CMOCError(f"version {name}: a snapshot needs the name of who took it")
    if created_at.tzinfo is None or created_at.utcoffset() is None:
        raise CMOCError(f"version {name}: the snapshot time needs a timezone")
    return ProgrammeTheory(
        name=name,
        note=note,
        created_by=created_by.strip(),
        created_at=created_at,
        clusters=tuple(clusters),
        cmocs=tuple(sorted(cmocs, key=lambda cmoc: label_sort_key(cmoc.label))),
        relations=tuple(
            sorted(relations, key=lambda r: (label_sort_key(r.source), r.kind, label_sort_key(r.target)))
        ),
        evidence=tuple(sorted(link.key for link in check_links(links))),
    )
