"""Deductive codes proposed from an initial programme theory, for the coding services to create.

Realist reviewers often code first against the initial programme theory (a parent node per cluster,
child nodes for its CMOCs' contexts, mechanisms and outcomes), then add inductive codes from the
data. This module only proposes the tree as plain data; creating the codes, and skipping any that a
reviewer already made, is the services' job.
"""

from __future__ import annotations

from dataclasses import dataclass

from realreview.coding.codebook import CodeOrigin
from realreview.synthesis.clusters import group_by_cluster
from realreview.synthesis.cmoc import Component
from realreview.synthesis.theory import ProgrammeTheory

__all__ = ["ProposedCode", "deductive_codes"]


@dataclass(frozen=True)
class ProposedCode:
    """A code to create: ``key`` is stable across runs, ``parent`` is the key of its parent code.

    ``cmoc`` and ``component`` say which statement a child code stands for, so that an excerpt coded
    with it can be offered as evidence for that component.
    """

    key: str
    name: str
    parent: str | None
    description: str
    cmoc: str | None = None
    component: Component | None = None
    origin: CodeOrigin = CodeOrigin.DEDUCTIVE


def deductive_codes(theory: ProgrammeTheory, *, include_unstated: bool = False) -> tuple[ProposedCode, ...]:
    """A parent code per cluster and, under it, a child code per stated component of each CMOC.

    Codes come in display order (clusters as the theory orders them, CMOCs by label, then C, M, O).
    A component with no statement gets a code only with ``include_unstated``: coding for a part the
    theory has not yet guessed at is a choice the team makes, not a default.

    >>> from datetime import UTC, datetime
    >>> from realreview.synthesis.clusters import Cluster
    >>> from realreview.synthesis.cmoc import CMOC
    >>> theory = ProgrammeTheory("initial", "", "lj", datetime(2025, 1, 1, tzinfo=UTC),
    ...     (Cluster("data", "Data"),), (CMOC("11", "data", context="data are split by ethnicity"),))
    >>> [(code.key, code.name, code.parent) for code in deductive_codes(theory)]
    [('cluster:data', 'Data', None), ('cmoc:11:context', 'CMOC 11 – context', 'cluster:data')]
    """
    codes: list[ProposedCode] = []
    for group in group_by_cluster(theory.cmocs, theory.clusters):
        parent = f"cluster:{group.cluster.key}"
        codes.append(ProposedCode(parent, group.cluster.title, None, group.cluster.description))
        for cmoc in group.cmocs:
            for component in Component:
                statement = cmoc.statement(component)
                if not statement and not include_unstated:
                    continue
                codes.append(
                    ProposedCode(
                        key=f"cmoc:{cmoc.label}:{component.value}",
                        name=f"CMOC {cmoc.label} – {component.value}",
                        parent=parent,
                        description=statement,
                        cmoc=cmoc.label,
                        component=component,
                    )
                )
    return tuple(codes)
