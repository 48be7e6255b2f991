"""Who may perform each step of an application: rules as data (``yingshang.cases.rules``).

* front office (前台): any position in the department running the hall that took the
  application in (``front_office``: HALL, or a town);
* back office (后台): staff or head of a department deciding one of the application's parts;
* the responsible department's head approves a statutory extension (行政许可法 art. 42);
* the applicant is told once that a licence waits at the window (通知领取), unless it goes by
  post.
"""

from __future__ import annotations

from dataclasses import dataclass

from yingshang.auth import Position, Principal
from yingshang.cases.rules import Rule, SystemPrincipal, any_of, first_position, of_case
from ys_approvals.applications.models import Application

DECIDERS = ("staff", "head")
INSTANT = "instant"  # 即办件 (catalog.models.HandlingKind)
ANY_ROLE = ("clerk", "staff", "head")
POSTAL = "postal"  # 免费邮寄 (schemas.DeliveryMethod)


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


@dataclass(frozen=True)
class NotInstant:
    """``rule``, for a 承诺件 only: a 即办件 is finished on the spot, never 受理'd into review
    (it has no time limit to run there)."""

    rule: Rule[Application]

    def __call__(self, principal: Principal, case: object) -> Position | None:
        assert isinstance(case, Application)
        if case.handling_kind == INSTANT:
            return None
        return self.rule(principal, case)

    def describe(self) -> str:
        inner = getattr(self.rule, "describe", None)
        return f"{inner() if callable(inner) else 'allowed'}, for a 承诺件"


@dataclass(frozen=True)
class OneIntakeNotice:
    """``rule``, while the one intake 补正 notice (一次性告知) was never given. The notice lists
    everything missing at once (行政许可法 art. 32): given — at 收件 or later — it is neither
    repeated nor extended, answered or not. The next 补正 round is the review's (审查补正, once
    the materials arrived and the application was 受理'd)."""

    rule: Rule[Application]

    def __call__(self, principal: Principal, case: object) -> Position | None:
        assert isinstance(case, Application)
        if case.intake_notice_at is not None:
            return None
        return self.rule(principal, case)

    def describe(self) -> str:
        inner = getattr(self.rule, "describe", None)
        return f"{inner() if callable(inner) else 'allowed'}, once per application (一次性告知)"


@dataclass(frozen=True)
class OnePickupNotice:
    """``rule``, for a licence collected at the window whose applicant was not yet told it is
    ready (通知领取 stops the delivery clock once; a postal delivery stops it when posted)."""

    rule: Rule[Application]

    def __call__(self, principal: Principal, case: object) -> Position | None:
        assert isinstance(case, Application)
        if pickup_notice_refused(case) is not None:
            return None
        return self.rule(principal, case)

    def describe(self) -> str:
        inner = getattr(self.rule, "describe", None)
        return f"{inner() if callable(inner) else 'allowed'}, once, for a window pickup"


def pickup_notice_refused(app: Application) -> tuple[str, str] | None:
    """Why (code, text) the applicant may not be told (again) that the licence is ready to
    collect, if they may not."""
    if app.delivery_method == POSTAL:
        return "postal-delivery", "该证照免费邮寄送达：请填写邮件单号办理送达"
    if app.pickup_ready_at is not None:
        return "pickup-notified", "已通知过申请人领取证照"
    return None


front = of_case(*ANY_ROLE, attr="front_office")
handler = PartDepartment()
front_or_handler = any_of(front, handler)
on_the_spot = OnlyInstant(front_or_handler)
into_review = NotInstant(front_or_handler)
intake_notice = OneIntakeNotice(front_or_handler)
pickup_notice = OnePickupNotice(front_or_handler)
responsible_head = of_case("head")
