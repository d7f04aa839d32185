"""One permission table: every action a person can take on a review, against every role.

Services check it (through :class:`realreview.services.ReviewContext`); routes and commands never do,
so an edge added later cannot forget a check. What a permitted person may *see* of other people's
work is a separate question, answered by :func:`realreview.access.blinding.may_see`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from realreview.access.roles import Role

__all__ = ["PERMISSIONS", "Action", "is_allowed", "roles_allowed"]


class Action(StrEnum):
    """Something a person does to a review (the rows of :data:`PERMISSIONS`)."""

    VIEW_REVIEW = "view the review"
    VIEW_RECORDS = "view records"
    EXPORT_RECORDS = "export records"
    EDIT_SETUP = "edit the setup"
    MANAGE_MEMBERS = "manage members"
    LOG_SEARCHES = "log searches"
    IMPORT_RECORDS = "import records"
    DEDUPLICATE = "deduplicate"
    VIEW_SCREENING = "view screening"
    SCREEN = "screen"
    IMPORT_DECISIONS = "import decisions"
    EXPORT_DECISIONS = "export decisions"
    VIEW_AGREEMENT = "view agreement"
    VIEW_CONFLICTS = "view conflicts"
    RESOLVE_CONFLICTS = "resolve conflicts"
    READ_FULL_TEXTS = "read full texts"
    ADD_DOCUMENTS = "add full texts"
    CODE = "code"
    EDIT_CODEBOOK = "edit the codebook"
    MERGE_CODES = "merge codes"
    COMMENT = "write memos"
    APPRAISE = "appraise"
    #: Removing a colleague's memo, coding or appraisal (with a reason); one's own needs only the
    #: action that made it. Checked inside the removal, once the item's author is known.
    REMOVE_OTHERS_WORK = "remove a colleague's work"
    VIEW_CHARACTERISTICS = "view characteristics"
    EXTRACT = "extract"
    SETTLE_VALUES = "settle values"
    EDIT_FORM = "edit the extraction form"
    EXPORT_TABLES = "export tables"
    IMPORT_PROJECT = "import a REFI-QDA project"
    EXPORT_PROJECT = "export a REFI-QDA project"
    VIEW_SYNTHESIS = "view the synthesis"
    SYNTHESISE = "edit the synthesis"
    SNAPSHOT_THEORY = "snapshot the programme theory"
    COMMENT_SYNTHESIS = "comment on the synthesis"
    LOG_ENGAGEMENT = "log stakeholder meetings"
    VIEW_REPORTS = "view the review's reports"
    ENTER_COUNTS = "enter counts from outside the tool"
    ENTER_CHECKLIST = "enter where the paper reports a checklist item"
    MARK_REPORTS = "mark another report of a study"
    ARCHIVE_REVIEW = "archive the whole review"


_OWNER = frozenset({Role.OWNER})
_WORKERS = frozenset({Role.OWNER, Role.REVIEWER})
_READERS = frozenset({Role.OWNER, Role.REVIEWER, Role.VIEWER})
_EVERYONE = frozenset(Role)

#: Who may take each action. Reading the review's evidence is for its members; the panel sees the
#: review itself (and, with the synthesis, its CMOCs), never a record's screening.
PERMISSIONS: Mapping[Action, frozenset[Role]] = {
    Action.VIEW_REVIEW: _EVERYONE,
    Action.VIEW_RECORDS: _READERS,
    Action.EXPORT_RECORDS: _READERS,
    Action.EDIT_SETUP: _OWNER,
    Action.MANAGE_MEMBERS: _OWNER,
    Action.LOG_SEARCHES: _OWNER,
    Action.IMPORT_RECORDS: _OWNER,
    Action.DEDUPLICATE: _OWNER,
    Action.VIEW_SCREENING: _READERS,
    Action.SCREEN: _WORKERS,
    Action.IMPORT_DECISIONS: _OWNER,
    Action.EXPORT_DECISIONS: _READERS,
    Action.VIEW_AGREEMENT: _READERS,
    Action.VIEW_CONFLICTS: _OWNER,
    Action.RESOLVE_CONFLICTS: _OWNER,
    Action.READ_FULL_TEXTS: _READERS,
    Action.ADD_DOCUMENTS: _WORKERS,
    Action.CODE: _WORKERS,
    Action.EDIT_CODEBOOK: _WORKERS,
    Action.MERGE_CODES: _OWNER,
    Action.COMMENT: _WORKERS,
    Action.APPRAISE: _WORKERS,
    Action.REMOVE_OTHERS_WORK: _OWNER,
    Action.VIEW_CHARACTERISTICS: _READERS,
    Action.EXTRACT: _WORKERS,
    Action.SETTLE_VALUES: _OWNER,
    Action.EDIT_FORM: _OWNER,
    Action.EXPORT_TABLES: _READERS,
    Action.IMPORT_PROJECT: _OWNER,
    Action.EXPORT_PROJECT: _READERS,
    # The synthesis is what the panel is there for: they read CMOCs, the excerpts behind them and the
    # versions (never a screening decision); building it is the reviewers' work.
    Action.VIEW_SYNTHESIS: _EVERYONE,
    Action.SYNTHESISE: _WORKERS,
    Action.SNAPSHOT_THEORY: _WORKERS,
    # Panel members are there to comment; a viewer only reads.
    Action.COMMENT_SYNTHESIS: frozenset({Role.OWNER, Role.REVIEWER, Role.PANEL}),
    Action.LOG_ENGAGEMENT: _WORKERS,
    # The PRISMA flow counts only completed outcomes (the team's, never one reviewer's call), so
    # every member may read it; typing a count in is the owner's.
    Action.VIEW_REPORTS: _EVERYONE,
    Action.ENTER_COUNTS: _OWNER,
    Action.ENTER_CHECKLIST: _OWNER,
    Action.MARK_REPORTS: _OWNER,
    # The archive holds every row of the review, everyone's blinded work included.
    Action.ARCHIVE_REVIEW: _OWNER,
}


def is_allowed(role: Role, action: Action) -> bool:
    """Whether ``role`` may take ``action``.

    >>> is_allowed(Role.REVIEWER, Action.SCREEN), is_allowed(Role.VIEWER, Action.SCREEN)
    (True, False)
    """
    return role in PERMISSIONS[action]


def roles_allowed(action: Action) -> frozenset[Role]:
    """The roles that may take ``action``."""
    return PERMISSIONS[action]
