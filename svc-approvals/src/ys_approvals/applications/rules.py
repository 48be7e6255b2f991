"""Who may perform each step of an application: rules as data (``yingshang.cases.rules``).

* front office (前台): any position in the department running the hall that took the
  application in (``front_office``: HALL, or a town);
* back office (后台): staff or head of a department deciding one of the application's parts;
* the responsible department's head approves a statutory extension (行政许可法 art. 42).
"""

from __future__ import annotations

from dataclasses import dataclass

from yingshang.auth import Position, Principal
from yingshang.cases.rules import Rule, SystemPrincipal, any_of, first_position, of_case
from ys_approvals.applications.models import Application

DECIDERS = ("staff", "head")
INSTANT = "instant"  # 即办件 (catalog.models.HandlingKind)
ANY_ROLE = ("clerk", "staff", "head")


def part_departments(app: Application) -> set[str]:
    """Departments deciding the application (its parts, loaded by the service)."""
    departments: set[str] | None = getattr(app, "_departments", None)
    return departments if departments is not None else {app.department}


@dataclass(frozen=True)
class PartDepartment:
    """Staff or head of a department that decides a part of the application."""

    roles: tuple[str, ...] = DECIDERS

    def __call__(self, principal: Principal, case: object) -> Position | None:
        if principal.is_client or isinstance(principal, SystemPrincipal):
            return None
        assert isinstance(case, Application)
        return first_position(principal, self.roles, part_departments(case))

    def describe(self) -> str:
        return f"{'|'.join(self.roles)} of a deciding department"


@dataclass(frozen=True)
class OnlyInstant:
    """``rule``, for a 即办件 only: a 承诺件 is never finished on the spot."""

    rule: Rule[Application]

    def __call__(self, principal: Principal, case: object) -> Position | None:
        assert isinstance(case, Application)
        if case.handling_kind != INSTANT:
            return None
        return self.rule(principal, case)

    def describe(self) -> str:
        inner = getattr(self.rule, "describe", None)
        return f"{inner() if callable(inner) else 'allowed'}, for a 即办件"


front = of_case(*ANY_ROLE, attr="front_office")
handler = PartDepartment()
front_or_handler = any_of(front, handler)
on_the_spot = OnlyInstant(front_or_handler)
responsible_head = of_case("head")
