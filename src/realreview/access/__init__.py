"""Who may do what in a review, and who may see whose work: roles, one permission table, blinding.

Pure domain: the services consult it through the review context; no edge repeats these rules.
"""

from realreview.access.blinding import BLINDED_WORK, Work, may_see
from realreview.access.permissions import PERMISSIONS, Action, is_allowed, roles_allowed
from realreview.access.roles import Role

__all__ = ["BLINDED_WORK", "PERMISSIONS", "Action", "Role", "Work", "is_allowed", "may_see", "roles_allowed"]
