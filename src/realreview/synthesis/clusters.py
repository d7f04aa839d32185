"""Clusters: the named groups (with ordered subthemes) a programme theory arranges its CMOCs in.

A cluster is the unit a reader meets first ("values and understanding", "resources", ...), so its
order and its subthemes' order are the review's own choice and are kept, never re-sorted. CMOCs
inside a cluster follow their subtheme's order and then their label's natural order.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from realreview.synthesis.cmoc import CMOC, CMOCError, UnknownCMOCError, check_key, label_sort_key

__all__ = ["Cluster", "ClusterGroup", "check_placement", "group_by_cluster", "move", "reorder"]


@dataclass(frozen=True)
class Cluster:
    """A cluster: a stable key, the title shown, a description and its subthemes in display order.

    >>> Cluster("data", "Data", subthemes=("Collection", "Use")).subthemes
    ('Collection', 'Use')
    """

    key: str
    title: str
    description: str = ""
    subthemes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_key(self.key)
        title = self.title.strip()
        if not title:
            raise CMOCError(f"cluster {self.key} needs a title")
        subthemes = tuple(subtheme.strip() for subtheme in self.subthemes)
        if any(not subtheme for subtheme in subthemes):
            raise CMOCError(f"cluster {self.key}: a subtheme needs a name")
        if len(set(subthemes)) != len(subthemes):
            raise CMOCError(f"cluster {self.key}: subtheme names must differ")
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "description", self.description.strip())
        object.__setattr__(self, "subthemes", subthemes)


@dataclass(frozen=True)
class ClusterGroup:
    """A cluster with its CMOCs in display order, as a page or a table lists them."""

    cluster: Cluster
    cmocs: tuple[CMOC, ...]


def reorder(clusters: Sequence[Cluster], keys: Sequence[str]) -> tuple[Cluster, ...]:
    """Put clusters in the order of ``keys``, which must name each of them exactly once.

    >>> [c.key for c in reorder([Cluster("a", "A"), Cluster("b", "B")], ["b", "a"])]
    ['b', 'a']
    """
    by_key = {cluster.key: cluster for cluster in clusters}
    if sorted(keys) != sorted(by_key) or len(set(keys)) != len(keys):
        raise CMOCError(f"the new order must name each cluster once: {', '.join(sorted(by_key))}")
    return tuple(by_key[key] for key in keys)


def move(cmoc: CMOC, cluster: Cluster, *, subtheme: str | None = None) -> CMOC:
    """The CMOC moved into ``cluster`` (and one of its subthemes, or none).

    >>> cmoc = CMOC("4", "values", context="bias is named")
    >>> move(cmoc, Cluster("design", "Design", subthemes=("Co-design",)), subtheme="Co-design").cluster
    'design'
    """
    if subtheme is not None and subtheme not in cluster.subthemes:
        raise CMOCError(f"cluster {cluster.key} has no subtheme {subtheme!r}")
    return dataclasses.replace(cmoc, cluster=cluster.key, subtheme=subtheme)


def check_placement(cmocs: Iterable[CMOC], clusters: Iterable[Cluster]) -> None:
    """Refuse CMOCs whose labels repeat, or whose cluster or subtheme is not among ``clusters``.

    Raises:
        CMOCError: two CMOCs share a label, or a subtheme is not one of its cluster's.
        UnknownCMOCError: a CMOC names a cluster that is not given (nothing to show it under).
    """
    by_key = {cluster.key: cluster for cluster in clusters}
    seen: set[str] = set()
    for cmoc in cmocs:
        if cmoc.label in seen:
            raise CMOCError(f"two CMOCs are labelled {cmoc.label}")
        seen.add(cmoc.label)
        cluster = by_key.get(cmoc.cluster)
        if cluster is None:
            raise UnknownCMOCError(f"CMOC {cmoc.label} is in cluster {cmoc.cluster!r}, which does not exist")
        if cmoc.subtheme is not None and cmoc.subtheme not in cluster.subthemes:
            raise CMOCError(f"CMOC {cmoc.label}: cluster {cluster.key} has no subtheme {cmoc.subtheme!r}")


def _position(cluster: Cluster, cmoc: CMOC) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    # CMOCs outside any subtheme come first: they speak for the cluster as a whole.
    rank = -1 if cmoc.subtheme is None else cluster.subthemes.index(cmoc.subtheme)
    return rank, label_sort_key(cmoc.label)


def group_by_cluster(cmocs: Iterable[CMOC], clusters: Sequence[Cluster]) -> tuple[ClusterGroup, ...]:
    """Every cluster in its order with its CMOCs in display order (an empty cluster is kept).

    >>> groups = group_by_cluster(
    ...     [CMOC("10", "a", outcome="x"), CMOC("9", "a", outcome="y")], [Cluster("a", "A")])
    >>> [c.label for c in groups[0].cmocs]
    ['9', '10']
    """
    cmocs = tuple(cmocs)
    check_placement(cmocs, clusters)
    return tuple(
        ClusterGroup(
            cluster,
            tuple(
                sorted(
                    (cmoc for cmoc in cmocs if cmoc.cluster == cluster.key),
                    key=functools.partial(_position, cluster),
                )
            ),
        )
        for cluster in clusters
    )
