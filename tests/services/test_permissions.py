"""The whole permission table walked through the services: each public service checks its action first.

Every public service that takes a review context must be declared with ``@reads`` or ``@mutation``
(:mod:`realreview.services.audit`); a service added later without one fails here. For each declared
service and each role, a role the table refuses gets ForbiddenError before the service touches the
database; a role it allows gets past the check (the stand-in session then trips on first use).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from realreview import services
from realreview.access import Action, Role, is_allowed
from realreview.errors import ForbiddenError
from realreview.screening import ScreeningSetup
from realreview.services.audit import SERVICES, ServiceSpec
from realreview.services.reviews import ReviewInfo


class Reached(Exception):
    """The service got past its permission check and used the session."""


class Tripwire:
    """A session that must never be reached by a refused call."""

    def __getattr__(self, name: str) -> Any:
        raise Reached(name)


def _takes_context(fn: Callable[..., Any]) -> bool:
    return "ctx" in inspect.signature(inspect.unwrap(fn)).parameters


PUBLIC = {
    name: getattr(services, name)
    for name in services.__all__
    if inspect.isfunction(getattr(services, name)) and _takes_context(getattr(services, name))
}


def _spec(fn: Callable[..., Any]) -> ServiceSpec | None:
    return SERVICES.get(f"{fn.__module__}.{fn.__qualname__}")


def test_every_public_service_on_a_review_declares_its_action() -> None:
    undeclared = sorted(name for name, fn in PUBLIC.items() if _spec(fn) is None)
    assert undeclared == []
    assert len(PUBLIC) > 30  # the walk below sees the real API, not an empty list


def _context(role: Role) -> services.ReviewContext:
    return services.ReviewContext(
        ReviewInfo(1, "T", None), f"{role.value}@example.org", role, ScreeningSetup()
    )


def _arguments(fn: Callable[..., Any]) -> dict[str, Any]:
    """A placeholder for each required keyword argument (their values never matter before the check)."""
    return {
        name: object()
        for name, parameter in inspect.signature(inspect.unwrap(fn)).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is inspect.Parameter.empty
    }


CASES = [
    pytest.param(name, role, id=f"{name}-{role.value}")
    for name, fn in sorted(PUBLIC.items())
    if (spec := _spec(fn)) is not None and spec.action is not None
    for role in Role
]


@pytest.mark.parametrize(("name", "role"), CASES)
def test_the_service_applies_the_table(name: str, role: Role) -> None:
    fn = PUBLIC[name]
    spec = _spec(fn)
    assert spec is not None
    arguments, ctx = _arguments(fn), _context(role)
    action = spec.action if isinstance(spec.action, Action) else spec.action({"ctx": ctx, **arguments})  # type: ignore[misc, operator]
    if is_allowed(role, action):
        try:
            fn(Tripwire(), ctx, **arguments)
        except ForbiddenError as error:  # blinding may still refuse, but never for the owner
            assert role is not Role.OWNER, error
            assert "blinding" in str(error), error
        except Exception:  # noqa: BLE001 - any failure after the check is the stand-in arguments' doing
            pass
    else:
        with pytest.raises(ForbiddenError, match=f"{role.value}@example.org is {role.value}"):
            fn(Tripwire(), ctx, **arguments)


def test_every_row_of_the_table_is_some_service_s_check() -> None:
    declared = {spec.action for spec in SERVICES.values() if isinstance(spec.action, Action)}
    # Removing a colleague's memo, coding or appraisal is checked inside the removal, once its author is known.
    declared.add(Action.REMOVE_OTHERS_WORK)
    # Settling a value is set_value with the consensus extractor: a rule, not a static action.
    assert set(Action) - declared <= {Action.SETTLE_VALUES}


def test_a_refusal_names_the_person_the_act_and_who_may() -> None:
    with pytest.raises(ForbiddenError) as refused:
        services.record_decision(
            Tripwire(), _context(Role.VIEWER), record_id=1, stage=object(), event=object()
        )  # type: ignore[arg-type]
    assert (
        str(refused.value)
        == "viewer@example.org is viewer of review 1; to screen needs the role: owner, reviewer"
    )
