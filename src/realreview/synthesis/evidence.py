"""Evidence: coded excerpts linked to one component of a CMOC, with the reviewer's reading of them.

One passage seldom holds a whole configuration, so a CMOC gathers its context, mechanism and outcome
from excerpts of any number of documents. Each link says whether the excerpt supports, contradicts or
refines that component, and carries the reviewer's interpretation and answers to the questions a
realist reviewer asks of any passage (:data:`PROMPTS`). A component with no supporting link is a gap:
shown, not refused, because partial CMOCs are normal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from realreview.synthesis.cmoc import CMOC, CMOCError, Component

__all__ = [
    "PROMPTS",
    "EvidenceCount",
    "EvidenceKey",
    "EvidenceLink",
    "Prompt",
    "Role",
    "check_links",
    "evidence_counts",
    "gaps",
    "sources",
]


class Role(StrEnum):
    """What an excerpt does for the component it is linked to."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    REFINES = "refines"


@dataclass(frozen=True)
class Prompt:
    """A question put to the reviewer when linking evidence; ``key`` names its answer."""

    key: str
    question: str


#: The questions a link asks, after the relevance-and-rigour questions of realist synthesis
#: (worded here for RealReview; see the seed review's methods, Johnson et al. 2025).
PROMPTS = (
    Prompt("relevance", "Does this passage bear on the programme theory, and on which part of it?"),
    Prompt("trustworthiness", "Is the passage credible enough to change or confirm the theory?"),
    Prompt("function", "Does the passage work here as a context, a mechanism or an outcome, and why?"),
    Prompt(
        "relation",
        "How does it connect with other CMOCs, and does the programme theory need to change?",
    ),
)
_PROMPT_KEYS = tuple(prompt.key for prompt in PROMPTS)


@dataclass(frozen=True, order=True)
class EvidenceKey:
    """What identifies a link: one excerpt counts once per component of a CMOC."""

    cmoc: str
    component: Component
    excerpt_id: int


@dataclass(frozen=True)
class EvidenceLink:
    """An excerpt of a document used as evidence for one component of a CMOC.

    ``answers`` pairs a :data:`PROMPTS` key with the reviewer's answer; unanswered prompts are left out.

    >>> link = EvidenceLink("7A", "context", excerpt_id=3, document_id=1, answers=(("relevance", "yes"),))
    >>> link.answer("relevance"), link.answer("function")
    ('yes', '')
    """

    cmoc: str
    component: Component
    excerpt_id: int
    document_id: int
    role: Role = Role.SUPPORTS
    interpretation: str = ""
    answers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "component", Component(self.component))
        object.__setattr__(self, "role", Role(self.role))
        object.__setattr__(self, "interpretation", self.interpretation.strip())
        answers = tuple((key, text.strip()) for key, text in self.answers if text.strip())
        for key, _ in answers:
            if key not in _PROMPT_KEYS:
                raise CMOCError(f"{key!r} is not a prompt; the prompts are {', '.join(_PROMPT_KEYS)}")
        if len({key for key, _ in answers}) != len(answers):
            raise CMOCError(f"evidence for CMOC {self.cmoc}: a prompt is answered twice")
        object.__setattr__(self, "answers", answers)

    @property
    def key(self) -> EvidenceKey:
        """The link's identity within a programme theory."""
        return EvidenceKey(self.cmoc, self.component, self.excerpt_id)

    def answer(self, key: str) -> str:
        """The answer to prompt ``key`` ("" when not answered)."""
        return dict(self.answers).get(key, "")


def check_links(links: Iterable[EvidenceLink]) -> tuple[EvidenceLink, ...]:
    """Refuse the same excerpt linked twice to one component of one CMOC (its role is one claim)."""
    links = tuple(links)
    seen: set[EvidenceKey] = set()
    for link in links:
        if link.key in seen:
            raise CMOCError(
                f"excerpt {link.excerpt_id} is already evidence for the {link.component} of CMOC {link.cmoc}"
            )
        seen.add(link.key)
    return links


def gaps(cmoc: CMOC, links: Iterable[EvidenceLink]) -> tuple[Component, ...]:
    """The components of ``cmoc`` that no excerpt supports directly, in C, M, O order.

    Contradicting or refining excerpts do not close a gap: they argue with the statement, they do not
    ground it.

    >>> cmoc = CMOC("2", "values", context="staff favour equal shares", outcome="gaps persist")
    >>> gaps(cmoc, [EvidenceLink("2", "context", excerpt_id=1, document_id=1),
    ...             EvidenceLink("2", "outcome", excerpt_id=2, document_id=1, role="contradicts")])
    (<Component.MECHANISM: 'mechanism'>, <Component.OUTCOME: 'outcome'>)
    """
    supported = {link.component for link in links if link.cmoc == cmoc.label and link.role is Role.SUPPORTS}
    return tuple(component for component in Component if component not in supported)


@dataclass(frozen=True)
class EvidenceCount:
    """How much evidence stands behind one CMOC: distinct documents and excerpts, links by role."""

    cmoc: str
    documents: int
    excerpts: int
    supports: int
    contradicts: int
    refines: int


def evidence_counts(
    links: Iterable[EvidenceLink], *, labels: Iterable[str] = ()
) -> Mapping[str, EvidenceCount]:
    """Per CMOC label, the counts of its evidence; every label in ``labels`` appears, with zeros if need be.

    >>> counts = evidence_counts([EvidenceLink("1", "context", excerpt_id=5, document_id=9),
    ...                           EvidenceLink("1", "outcome", excerpt_id=5, document_id=9)], labels=["2"])
    >>> counts["1"].documents, counts["1"].excerpts, counts["1"].supports, counts["2"].supports
    (1, 1, 2, 0)
    """
    by_cmoc: dict[str, list[EvidenceLink]] = {label: [] for label in labels}
    for link in links:
        by_cmoc.setdefault(link.cmoc, []).append(link)
    return {
        label: EvidenceCount(
            label,
            documents=len({link.document_id for link in group}),
            excerpts=len({link.excerpt_id for link in group}),
            supports=sum(link.role is Role.SUPPORTS for link in group),
            contradicts=sum(link.role is Role.CONTRADICTS for link in group),
            refines=sum(link.role is Role.REFINES for link in group),
        )
        for label, group in by_cmoc.items()
    }


def sources(label: str, links: Iterable[EvidenceLink]) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """Every document behind CMOC ``label`` with its excerpts, both in ascending id order.

    >>> sources("1", [EvidenceLink("1", "context", excerpt_id=8, document_id=2),
    ...               EvidenceLink("1", "outcome", excerpt_id=4, document_id=2),
    ...               EvidenceLink("1", "outcome", excerpt_id=1, document_id=1)])
    ((1, (1,)), (2, (4, 8)))
    """
    by_document: dict[int, set[int]] = {}
    for link in links:
        if link.cmoc == label:
            by_document.setdefault(link.document_id, set()).add(link.excerpt_id)
    return tuple((document, tuple(sorted(excerpts))) for document, excerpts in sorted(by_document.items()))
