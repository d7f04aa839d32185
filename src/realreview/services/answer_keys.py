"""Which of a record's raw fields are a data set's answer key, kept off the pages screeners read (issue #14)."""

from __future__ import annotations

__all__ = ["ANSWER_KEYS", "is_answer_key"]

#: Columns that labelled benchmark data sets (ASReview's format, the demo's Nagtegaal 2019 CSV) use
#: for the review's own outcome: ASReview's names for the final and the title/abstract labels.
ANSWER_KEYS = frozenset(
    {
        "label",
        "include",
        "included",
        "included_flag",
        "included_label",
        "included_final",
        "final_included",
        "abstract_included",
        "included_abstracts",
        "included_after_abstract",
    }
)


def is_answer_key(tag: str) -> bool:
    """Whether a raw field holds a data set's answer key (its screening outcome), not the record.

    A screener must not see how the original review decided: a field named as ASReview names its
    label columns (:data:`ANSWER_KEYS`), or any field whose name starts with ``label_``, is one.
    The value stays stored (raw fields are kept verbatim) and exported; pages leave it out.

    >>> [is_answer_key(t) for t in ("label_included", "Included", "record_id", "AB")]
    [True, True, False, False]
    """
    name = tag.strip().casefold()
    return name in ANSWER_KEYS or name.startswith("label_")
