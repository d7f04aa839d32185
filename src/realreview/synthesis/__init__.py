"""Realist synthesis: CMOCs, their clusters and relations, the evidence behind them, theory versions.

Everything here is pure (issue #12): it takes and returns frozen dataclasses and never touches the
database. :class:`CMOC` is a context–mechanism–outcome configuration; :class:`Cluster` groups them;
:class:`Relation` records how reviewers see two CMOCs connect; :class:`EvidenceLink` ties an excerpt
to one component; :func:`snapshot` freezes a :class:`ProgrammeTheory` version and :func:`diff`
compares two; :func:`edit_entry` keeps a CMOC's earlier wording; :func:`deductive_codes` proposes
the code tree an initial programme theory implies.
"""

from realreview.synthesis.clusters import (
    Cluster,
    ClusterGroup,
    check_placement,
    group_by_cluster,
    move,
    reorder,
)
from realreview.synthesis.cmoc import (
    CMOC,
    MAX_STATEMENT,
    CMOCError,
    Component,
    Confidence,
    Direction,
    Status,
    UnknownCMOCError,
    check_key,
    label_sort_key,
)
from realreview.synthesis.deductive import ProposedCode, deductive_codes
from realreview.synthesis.diff import (
    ClusterRename,
    EvidenceChange,
    JudgementChange,
    Move,
    Rewording,
    TheoryDiff,
    diff,
)
from realreview.synthesis.evidence import (
    PROMPTS,
    EvidenceCount,
    EvidenceKey,
    EvidenceLink,
    Prompt,
    Role,
    check_links,
    evidence_counts,
    gaps,
    sources,
)
from realreview.synthesis.history import CMOCEdit, FieldChange, changed_fields, edit_entry
from realreview.synthesis.matrix import CMOCDocumentMatrix, build_cmoc_matrix
from realreview.synthesis.relations import (
    Relation,
    RelationError,
    RelationKind,
    add_relation,
    check_relations,
    relations_of,
    remove_relation,
    without_cmoc,
)
from realreview.synthesis.theory import ProgrammeTheory, snapshot

__all__ = [
    "CMOC",
    "MAX_STATEMENT",
    "PROMPTS",
    "CMOCDocumentMatrix",
    "CMOCEdit",
    "CMOCError",
    "Cluster",
    "ClusterGroup",
    "ClusterRename",
    "Component",
    "Confidence",
    "Direction",
    "EvidenceChange",
    "EvidenceCount",
    "EvidenceKey",
    "EvidenceLink",
    "FieldChange",
    "JudgementChange",
    "Move",
    "ProgrammeTheory",
    "Prompt",
    "ProposedCode",
    "Relation",
    "RelationError",
    "RelationKind",
    "Rewording",
    "Role",
    "Status",
    "TheoryDiff",
    "UnknownCMOCError",
    "add_relation",
    "build_cmoc_matrix",
    "changed_fields",
    "check_key",
    "check_links",
    "check_placement",
    "check_relations",
    "deductive_codes",
    "diff",
    "edit_entry",
    "evidence_counts",
    "gaps",
    "group_by_cluster",
    "label_sort_key",
    "move",
    "relations_of",
    "remove_relation",
    "reorder",
    "snapshot",
    "sources",
    "without_cmoc",
]
