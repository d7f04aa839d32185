"""Use cases: the only API the CLI and the web app call.

Every function takes a ``session`` keyword and never commits; the caller owns the transaction
(``with transaction(factory) as session: ...``).
"""

from realreview.services.database import (
    connect,
    current_revision,
    migration_history,
    transaction,
    upgrade_schema,
)
from realreview.services.dedup import (
    DedupSummary,
    DuplicateGroup,
    PairForReview,
    decide_pair,
    duplicate_groups,
    pairs_for_review,
    run_dedup,
    unmerge_record,
)
from realreview.services.imports import ImportReport, import_export
from realreview.services.records import StoredRecord, count_records, export_records, iter_records
from realreview.services.reviews import ReviewInfo, create_review, get_review, list_reviews
from realreview.services.searches import SearchSummary, add_search, summarise_searches

__all__ = [
    "unmerge_record",
    "run_dedup",
    "pairs_for_review",
    "duplicate_groups",
    "decide_pair",
    "PairForReview",
    "DuplicateGroup",
    "DedupSummary",
    "ImportReport",
    "ReviewInfo",
    "SearchSummary",
    "StoredRecord",
    "add_search",
    "connect",
    "count_records",
    "create_review",
    "current_revision",
    "export_records",
    "get_review",
    "import_export",
    "iter_records",
    "list_reviews",
    "migration_history",
    "summarise_searches",
    "transaction",
    "upgrade_schema",
]
