"""Use cases: the only API the CLI and the web app call.

Every function takes a ``session`` keyword and never commits; the caller owns the transaction
(``with transaction(factory) as session: ...``).
"""

from realreview.services.accounts import (
    Member,
    Role,
    User,
    add_member,
    authenticate,
    create_user,
    members_of,
    require_role,
    reviews_of,
    set_password,
)
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
from realreview.services.reviews import ReviewInfo, create_review, get_review, list_reviews, set_question
from realreview.services.screening import (
    EXPORT_COLUMNS,
    PairAgreement,
    ScreeningSetup,
    agreement_report,
    calls_visible_to,
    configure_screening,
    conflicts,
    export_decisions,
    import_decisions,
    record_decision,
    record_states,
    resolve_conflict,
    screening_setup,
    stage_events,
)
from realreview.services.searches import SearchSummary, add_search, summarise_searches

__all__ = [
    "EXPORT_COLUMNS",
    "Member",
    "PairAgreement",
    "Role",
    "ScreeningSetup",
    "User",
    "add_member",
    "agreement_report",
    "authenticate",
    "calls_visible_to",
    "configure_screening",
    "conflicts",
    "create_user",
    "export_decisions",
    "import_decisions",
    "members_of",
    "record_decision",
    "record_states",
    "require_role",
    "resolve_conflict",
    "reviews_of",
    "screening_setup",
    "set_password",
    "set_question",
    "stage_events",
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
