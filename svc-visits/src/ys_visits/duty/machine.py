"""A duty sitting's life as data: scheduled → on duty (签到) → completed (签退), or cancelled.

The leader signs in and out themself (recognised by 工号), or the hall's staff or the
center's record it for them; the schedulers (center, bureau, county hall) cancel.
"""

from dataclasses import dataclass

from yingshang.auth import BUREAU, HALL, ROLES, Position, Principal
from yingshang.cases.rules import any_of, first_position, of_case, roles
from yingshang.cases.statemachine import StateMachine, Transition
from ys_visits.access import CENTER, MANAGER_ROLES
from ys_visits.clocks import SERVICE
from ys_visits.duty.models import KIND, DutyShift

SCHEDULED, ON_DUTY, COMPLETED, CANCELLED = "scheduled", "on_duty", "completed", "cancelled"


@dataclass(frozen=True)
class Leader:
    """The leader named on the sitting (工号 matches), acting in any of their positions."""

    def __call__(self, principal: Principal, case: object) -> Position | None:
        staff_no = getattr(case, "leader_staff_no", None)
        if principal.is_client or not staff_no or principal.staff_no != staff_no:
            return None
        return first_position(principal, ROLES, None)

    def describe(self) -> str:
        return "the leader on duty (工号)"


RECORDERS = any_of(Leader(), of_case(*ROLES, attr="hall_department"), roles(*ROLES, depts=[CENTER]))
CANCELLERS = roles(*MANAGER_ROLES, depts=[CENTER, BUREAU, HALL])

# Mapped[...] columns do not satisfy the kit's CaseLike protocol under mypy; DutyShift has
# id, state and version all the same.
TRANSITIONS: tuple[Transition[DutyShift], ...] = (  # type: ignore[type-var, assignment]
    Transition("check_in", frozenset({SCHEDULED}), ON_DUTY, RECORDERS, event="updated",
               label="签到"),
    Transition("check_out", frozenset({ON_DUTY}), COMPLETED, RECORDERS, event="updated",
               label="签退"),
    Transition("cancel", frozenset({SCHEDULED}), CANCELLED, CANCELLERS, event="cancelled",
               note_required=True, label="取消"),
)  # fmt: skip
MACHINE: StateMachine[DutyShift] = StateMachine(  # type: ignore[type-var]
    service=SERVICE,
    kind=KIND,
    states=(SCHEDULED, ON_DUTY, COMPLETED, CANCELLED),
    initial=SCHEDULED,
    final=frozenset({COMPLETED, CANCELLED}),
    labels={SCHEDULED: "已排班", ON_DUTY: "坐班中", COMPLETED: "已完成", CANCELLED: "已取消"},
    transitions=TRANSITIONS,
)

# The timeline's words: the machine's steps, the sitting's scheduling and each matter handled
# on duty (``service``); a sitting has no clock.
OTHER_STEPS = {"created": "排班", "matter": "登记办件"}
TIMELINE = MACHINE.timeline_labels(OTHER_STEPS)
