"""Deduplication: pure functions over records (normalised keys, blocking, pair scoring, clustering).

``find_duplicates(records)`` returns explained links and the groups they form; the services store
them as links (``duplicate_of`` -> the group's root) beside the reviewers' own merge decisions.
"""

from realreview.dedup.clusters import build_groups, group_roots
from realreview.dedup.find import find_duplicates
from realreview.dedup.model import DedupResult, Link, LinkStatus

__all__ = ["DedupResult", "Link", "LinkStatus", "build_groups", "find_duplicates", "group_roots"]
