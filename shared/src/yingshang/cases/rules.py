"""Who may perform a transition: rules as data, each answering with the position it used.

A rule is any callable ``(principal, case) -> Position | None``: the position that allows the
action (recorded on the timeline as "acting as"), or ``None`` for no. The rules here cover
what the county's case kinds need and describe themselves for the exported diagrams:

* :func:`roles` — staff with a role, optionally only in fixed departments;
* :func:`of_case` — staff with a role in the department the case names, e.g. the head of the
  department a ticket was dispatched to (一把手亲自接单, the head personally signs for it);
* :func:`client_scope` — an integration client (provincial platform) holding a scope;
* :func:`system` — a background component (deadline sweeper, event consumer);
* :func:`any_of` — the first of several rules that allows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from yingshang.auth import Position, Principal
from yingshang.vocabulary import SYSTEM_NAMES

C_contra = TypeVar("C_contra", contravariant=True)

Rule = Callable[[Principal, C_contra], Position | None]
"""``rule(principal, case)`` → the position used, or ``None`` (not allowed)."""

SYSTEM_DEPT = "SYSTEM"


@dataclass(frozen=True, slots=True)
class SystemPrincipal(Principal):
    """A background component acting on a case. Never built from a token, so a token cannot
    pass :func:`system` whatever its claims say."""


def system_actor(component: str) -> Principal:
    """The principal of a background component: ``system_actor("deadline-sweeper")``, named
    as staff read it (``yingshang.vocabulary.SYSTEM_NAMES``: 系统（时限监控）); a component
    without a name there is refused at import."""
    return SystemPrincipal(sub=f"system:{component}", name=SYSTEM_NAMES[component])


def first_position(
    principal: Principal, roles: Collection[str], depts: Collection[str] | None
) -> Position | None:
    """The first of the principal's positions with one of ``roles`` in one of ``depts``."""
    for position in principal.positions:
        if position.role in roles and (depts is None or position.dept in depts):
            return position
    return None


@dataclass(frozen=True)
class Roles:
    """Staff holding one of ``roles``, in one of ``depts`` (any department when empty)."""

    roles: tuple[str, ...]
    depts: tuple[str, ...] = ()

    def __call__(self, principal: Principal, case: object) -> Position | None:
        if principal.is_client or isinstance(principal, SystemPrincipal):
            return None
        return first_position(principal, self.roles, self.depts or None)

    def describe(self) -> str:
        where = f" @ {'|'.join(self.depts)}" if self.depts else ""
        return f"{'|'.join(self.roles)}{where}"


@dataclass(frozen=True)
class OfCase:
    """Staff holding one of ``roles`` in the department named by ``case.<attr>``."""

    roles: tuple[str, ...]
    attr: str = "department"

    def __call__(self, principal: Principal, case: object) -> Position | None:
        dept = getattr(case, self.attr, None)
        if not dept or principal.is_client or isinstance(principal, SystemPrincipal):
            return None
        return first_position(principal, self.roles, (dept,))

    def describe(self) -> str:
        return f"{'|'.join(self.roles)} of case.{self.attr}"


@dataclass(frozen=True)
class ClientScope:
    """An integration client holding ``scope``; its position is ``(client id, "client")``."""

    scope: str

    def __call__(self, principal: Principal, case: object) -> Position | None:
        if not principal.is_client or not principal.has_scope(self.scope):
            return None
        return Position(str(principal.client_id)[:60], "client")

    def describe(self) -> str:
        return f"client with {self.scope}"


@dataclass(frozen=True)
class System:
    """A background component (see :func:`system_actor`)."""

    def __call__(self, principal: Principal, case: object) -> Position | None:
        if not isinstance(principal, SystemPrincipal):
            return None
        return Position(SYSTEM_DEPT, "system")

    def describe(self) -> str:
        return "system"


@dataclass(frozen=True)
class AnyOf:
    """The first rule that allows wins (its position is the one recorded)."""

    rules: tuple[Rule[Any], ...]

    def __call__(self, principal: Principal, case: object) -> Position | None:
        for rule in self.rules:
            position = rule(principal, case)
            if position is not None:
                return position
        return None

    def describe(self) -> str:
        return " or ".join(describe_rule(r) for r in self.rules)


def roles(*names: str, depts: Iterable[str] = ()) -> Roles:
    """``roles("clerk", "staff", depts=[HOTLINE_CENTER])``: hotline operators and staff."""
    return Roles(tuple(names), tuple(depts))


def of_case(*names: str, attr: str = "department") -> OfCase:
    """``of_case("head")``: the head of the case's department (``case.department``)."""
    return OfCase(tuple(names), attr)


def client_scope(scope: str) -> ClientScope:
    return ClientScope(scope)


def system() -> System:
    return System()


def any_of(*rules: Rule[Any]) -> AnyOf:
    return AnyOf(tuple(rules))


def describe_rule(rule: Rule[Any]) -> str:
    """A rule's ``describe()``, else its docstring's first line, else its name."""
    describe = getattr(rule, "describe", None)
    if callable(describe):
        return str(describe())
    doc = (getattr(rule, "__doc__", None) or "").strip()
    return doc.splitlines()[0] if doc else getattr(rule, "__name__", type(rule).__name__)
