"""What changed between two programme theory versions, for the version page and ``theory diff``.

CMOCs are matched by label and clusters by key, since those are what the team calls them in
meetings; a relabelled CMOC shows as one removed and one added. Every list in a
:class:`TheoryDiff` is in a fixed order (labels naturally, then field order), so the same two
versions always give the same report.
"""

from __future__ import annotations

from dataclasses import dataclass

from realreview.synthesis.cmoc import CMOC, Component, label_sort_key
from realreview.synthesis.evidence import EvidenceKey
from realreview.synthesis.relations import Relation
from realreview.synthesis.theory import ProgrammeTheory

__all__ = [
    "ClusterRename",
    "EvidenceChange",
    "JudgementChange",
    "Move",
    "Rewording",
    "TheoryDiff",
    "diff",
]

#: The judgement fields whose change a diff reports as such (not as rewording).
JUDGEMENTS = ("direction", "confidence", "status")


@dataclass(frozen=True)
class Rewording:
    """A statement of a CMOC kept under the same label but worded differently."""

    label: str
    component: Component
    old: str
    new: str


@dataclass(frozen=True)
class Move:
    """A CMOC placed in another cluster or subtheme."""

    label: str
    old_cluster: str
    new_cluster: str
    old_subtheme: str | None
    new_subtheme: str | None


@dataclass(frozen=True)
class JudgementChange:
    """A change of a CMOC's direction, confidence or status (values as their text)."""

    label: str
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ClusterRename:
    """A cluster kept under its key with a new title."""

    key: str
    old_title: str
    new_title: str


@dataclass(frozen=True)
class EvidenceChange:
    """Evidence links gained and lost by one CMOC present in both versions or either."""

    label: str
    added: tuple[EvidenceKey, ...]
    removed: tuple[EvidenceKey, ...]


@dataclass(frozen=True)
class TheoryDiff:
    """Everything that differs from version ``old`` to version ``new``."""

    old: str
    new: str
    cmocs_added: tuple[str, ...] = ()
    cmocs_removed: tuple[str, ...] = ()
    reworded: tuple[Rewording, ...] = ()
    moved: tuple[Move, ...] = ()
    changed: tuple[JudgementChange, ...] = ()
    relations_added: tuple[Relation, ...] = ()
    relations_removed: tuple[Relation, ...] = ()
    evidence: tuple[EvidenceChange, ...] = ()
    clusters_added: tuple[str, ...] = ()
    clusters_removed: tuple[str, ...] = ()
    clusters_renamed: tuple[ClusterRename, ...] = ()

    def is_empty(self) -> bool:
        """Whether the two versions hold the same theory (names, notes and authors aside)."""
        return self == TheoryDiff(self.old, self.new)


def _labels(labels: set[str]) -> tuple[str, ...]:
    return tuple(sorted(labels, key=label_sort_key))


def _cmoc_changes(old: CMOC, new: CMOC) -> tuple[list[Rewording], list[Move], list[JudgementChange]]:
    reworded = [
        Rewording(new.label, component, old.statement(component), new.statement(component))
        for component in Component
        if old.statement(component) != new.statement(component)
    ]
    moved = []
    if (old.cluster, old.subtheme) != (new.cluster, new.subtheme):
        moved.append(Move(new.label, old.cluster, new.cluster, old.subtheme, new.subtheme))
    changed = [
        JudgementChange(new.label, field, str(getattr(old, field)), str(getattr(new, field)))
        for field in JUDGEMENTS
        if getattr(old, field) != getattr(new, field)
    ]
    return reworded, moved, changed


def _relation_order(relation: Relation) -> tuple[object, ...]:
    return label_sort_key(relation.source), relation.kind.value, label_sort_key(relation.target)


def _relations(a: ProgrammeTheory, b: ProgrammeTheory) -> tuple[tuple[Relation, ...], tuple[Relation, ...]]:
    old = {relation.key: relation for relation in a.relations}
    new = {relation.key: relation for relation in b.relations}
    added = sorted((new[key] for key in new.keys() - old.keys()), key=_relation_order)
    removed = sorted((old[key] for key in old.keys() - new.keys()), key=_relation_order)
    return tuple(added), tuple(removed)


def _evidence_order(key: EvidenceKey) -> tuple[int, int]:
    return list(Component).index(key.component), key.excerpt_id


def _evidence(a: ProgrammeTheory, b: ProgrammeTheory) -> tuple[EvidenceChange, ...]:
    old, new = set(a.evidence), set(b.evidence)
    changes = []
    for label in _labels({key.cmoc for key in old ^ new}):
        added = sorted((key for key in new - old if key.cmoc == label), key=_evidence_order)
        removed = sorted((key for key in old - new if key.cmoc == label), key=_evidence_order)
        changes.append(EvidenceChange(label, tuple(added), tuple(removed)))
    return tuple(changes)


def _clusters(
    a: ProgrammeTheory, b: ProgrammeTheory
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[ClusterRename, ...]]:
    old = {cluster.key: cluster for cluster in a.clusters}
    new = {cluster.key: cluster for cluster in b.clusters}
    renamed = tuple(
        ClusterRename(key, old[key].title, cluster.title)
        for key, cluster in new.items()
        if key in old and old[key].title != cluster.title
    )
    added = tuple(key for key in new if key not in old)
    removed = tuple(key for key in old if key not in new)
    return added, removed, renamed


def diff(a: ProgrammeTheory, b: ProgrammeTheory) -> TheoryDiff:
    """What changed from version ``a`` to version ``b``.

    Clusters are listed in the order of the version they are found in (added ones in ``b``'s order,
    removed ones in ``a``'s); everything about CMOCs is in natural label order.

    >>> from datetime import UTC, datetime
    >>> from realreview.synthesis.clusters import Cluster
    >>> def version(name, *cmocs):
    ...     return ProgrammeTheory(name, "", "lj", datetime(2025, 1, 1, tzinfo=UTC),
    ...                            (Cluster("values", "Values"),), cmocs)
    >>> d = diff(version("initial", CMOC("1", "values", context="staff value equity")),
    ...          version("refined", CMOC("1", "values", context="staff value health equity"),
    ...                  CMOC("2", "values", outcome="gaps widen")))
    >>> d.cmocs_added, [(r.label, r.component.value, r.new) for r in d.reworded]
    (('2',), [('1', 'context', 'staff value health equity')])
    """
    old = {cmoc.label: cmoc for cmoc in a.cmocs}
    new = {cmoc.label: cmoc for cmoc in b.cmocs}
    reworded: list[Rewording] = []
    moved: list[Move] = []
    changed: list[JudgementChange] = []
    for label in _labels(old.keys() & new.keys()):
        more_reworded, more_moved, more_changed = _cmoc_changes(old[label], new[label])
        reworded += more_reworded
        moved += more_moved
        changed += more_changed
    relations_added, relations_removed = _relations(a, b)
    clusters_added, clusters_removed, clusters_renamed = _clusters(a, b)
    return TheoryDiff(
        old=a.name,
        new=b.name,
        cmocs_added=_labels(new.keys() - old.keys()),
        cmocs_removed=_labels(old.keys() - new.keys()),
        reworded=tuple(reworded),
        moved=tuple(moved),
        changed=tuple(changed),
        relations_added=relations_added,
        relations_removed=relations_removed,
        evidence=_evidence(a, b),
        clusters_added=clusters_added,
        clusters_removed=clusters_removed,
        clusters_renamed=clusters_renamed,
    )
