"""Audit and permission as one mechanism: every service that acts declares its action once.

``@mutation(Action.SCREEN, audit="screening.decide", entity="record")`` on a service means: refuse
the call unless the permission table lets the context's role take the action, count every row the
call changes (the storage session refuses changes outside such a call), and append one audit row
naming the actor, the action, the entity and its id. ``@reads(Action.VIEW_SCREENING)`` checks the
permission of a service that only reads. A service adds details to its audit row with :func:`note`.
Both register the service in :data:`SERVICES`, so a test can walk every one.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from realreview.access import Action
from realreview.storage import audit as recorder
from realreview.storage import queries

__all__ = ["SERVICES", "ServiceSpec", "mutation", "note", "reads"]

P = ParamSpec("P")
R = TypeVar("R")
#: An action, or a rule choosing it from the call's arguments (e.g. settling values vs extracting).
ActionRule = Action | Callable[[Mapping[str, Any]], Action] | None


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """What a registered service declares: its permission and, for a write, its audit action."""

    name: str
    action: ActionRule
    audit: str | None
    entity: str | None


#: Every registered service by qualified name.
SERVICES: dict[str, ServiceSpec] = {}


def _action(rule: ActionRule, arguments: Mapping[str, Any]) -> Action | None:
    if rule is None or isinstance(rule, Action):
        return rule
    return rule(arguments)


def _check(fn: Callable[..., Any], rule: ActionRule) -> Callable[..., tuple[inspect.BoundArguments, Any]]:
    signature = inspect.signature(fn)

    def check(*args: Any, **kwargs: Any) -> tuple[inspect.BoundArguments, Any]:
        bound = signature.bind(*args, **kwargs)
        ctx = bound.arguments.get("ctx")
        action = _action(rule, bound.arguments)
        if action is not None:
            require = getattr(ctx, "require", None)
            if require is None:
                raise TypeError(f"{fn.__qualname__} checks {action!r} but has no review context")
            require(action)
        return bound, ctx

    return check


def reads(action: ActionRule) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare a read-only service and the action it needs."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        check = _check(fn, action)

        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            check(*args, **kwargs)
            return fn(*args, **kwargs)

        SERVICES[f"{fn.__module__}.{fn.__qualname__}"] = ServiceSpec(fn.__qualname__, action, None, None)
        return inner

    return wrap


def mutation(
    action: ActionRule, *, audit: str, entity: str, entity_id: str | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare a service that writes: its action, and the audit row each call leaves.

    Args:
        action: the permission-table action (``None`` for the few acts outside a review: accounts).
        audit: the audit log's action name, e.g. ``"screening.decide"``.
        entity: what the row is about, e.g. ``"record"``.
        entity_id: the argument holding the entity's id; otherwise the result's ``id``, or what the
            service passed to :func:`note`.
    """

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        check = _check(fn, action)

        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            bound, ctx = check(*args, **kwargs)
            session: Session = bound.arguments["session"]
            with recorder.recording(session) as entry:
                result = fn(*args, **kwargs)
            if not entry.rows:
                return result  # nothing changed (a no-op edit): nothing to audit
            ident = (
                bound.arguments.get(entity_id)
                if entity_id
                else entry.entity_id or getattr(result, "id", None)
            )
            review_id = ctx.review_id if ctx else (ident if entity == "review" else None)
            actor = ctx.actor if ctx else str(bound.arguments.get("actor") or bound.arguments.get("email"))
            details = {**entry.details, "rows": dict(sorted(entry.rows.items()))}
            queries.add_audit(
                session,
                actor=actor,
                action=audit,
                entity=entity,
                entity_id=ident if isinstance(ident, int) else None,
                review_id=review_id,
                details=details,
            )
            return result

        SERVICES[f"{fn.__module__}.{fn.__qualname__}"] = ServiceSpec(fn.__qualname__, action, audit, entity)
        return inner

    return wrap


def note(session: Session, *, entity_id: int | None = None, **details: Any) -> None:
    """Add ``details`` (and the entity's id, when the service learns it late) to the running audit row."""
    entry = recorder.current(session)
    if entry is None:
        raise recorder.UnauditedWriteError("audit.note outside an audited service")
    entry.details.update(details)
    if entity_id is not None:
        entry.entity_id = entity_id
