"""A finding's rectification as data: 整改中 → 已整改 (the department's report) → 验证通过
(closed) or 验证不通过 (back to 整改中, with a new deadline)."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from yingshang.auth import Position, Principal
from yingshang.cases.rules import Rule, describe_rule, of_case, roles
from yingshang.cases.statemachine import StateMachine, Transition
from ys_complaints.access import CENTER, DECIDERS
from ys_complaints.inspections.models import FINDING_KIND, Finding

SERVICE = "complaints"


@dataclass(frozen=True)
class NotOfFinding:
    """``rule``, but never for a person holding any post at the department the finding is
    against (交叉挂职): a department does not verify its own rectification."""

    rule: Rule[Any]

    def __call__(self, principal: Principal, finding: Finding) -> Position | None:
        if finding.department in principal.held_depts():
            return None
        return self.rule(principal, finding)

    def describe(self) -> str:
        return f"{describe_rule(self.rule)}, not of finding.department"


# 暗访组: the center and the bureau, never of the department found wanting
INSPECTORS = NotOfFinding(roles(*DECIDERS, depts=[CENTER, "BUREAU"]))
DEPARTMENT = of_case("staff", "head")  # the department the finding is against
RECTIFICATION = "rectification"


class FindingClass(StrEnum):
    """暗访 targets "不诚信、不规范、不担当" (DOMAIN.md)."""

    DISHONEST = "dishonest"  # 不诚信
    IRREGULAR = "irregular"  # 不规范
    UNACCOUNTABLE = "unaccountable"  # 不担当


CLASS_LABELS = {
    FindingClass.DISHONEST: "不诚信",
    FindingClass.IRREGULAR: "不规范",
    FindingClass.UNACCOUNTABLE: "不担当",
}


class FindingState(StrEnum):
    OPEN = "open"  # 整改中
    RECTIFIED = "rectified"  # 已整改待验证
    CLOSED = "closed"  # 验证通过, 销号


S = FindingState


def _t(
    name: str, label: str, source: S, target: S, who: Rule[Finding], **kw: object
) -> Transition[Finding]:  # type: ignore[type-var]  # Mapped columns, see MACHINE
    return Transition(name, frozenset({source.value}), target.value, who, label=label, **kw)  # type: ignore[type-var, arg-type]


MACHINE: StateMachine[Finding] = StateMachine(  # type: ignore[type-var]  # Mapped columns
    service=SERVICE,
    kind=FINDING_KIND,
    states=tuple(s.value for s in S),
    initial=S.OPEN.value,
    final=frozenset({S.CLOSED.value}),
    labels={S.OPEN: "整改中", S.RECTIFIED: "已整改待验证", S.CLOSED: "已销号"},
    transitions=(
        _t(
            "rectify",
            "整改",
            S.OPEN,
            S.RECTIFIED,
            DEPARTMENT,
            event="rectified",
            note_required=True,
        ),
        _t("verify", "验证通过", S.RECTIFIED, S.CLOSED, INSPECTORS, event="closed"),
        _t(
            "reject",
            "验证不通过",
            S.RECTIFIED,
            S.OPEN,
            INSPECTORS,
            event="rejected",
            note_required=True,
        ),
    ),
)
