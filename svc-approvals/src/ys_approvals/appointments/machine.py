"""Appointments (预约) and door-to-door requests (上门服务) as data, on the case kit.

预约 booked → 到场 attended | 未到场 no_show (once the day has come) | 取消 cancelled (by the
hall, or by the platform that booked it for a citizen).
上门服务 requested → 派员 assigned (the hall's head; again to change who goes) → 上门办结 done,
or 取消 cancelled before the visit.

Each step writes the new state, its timeline entry and its event in one transaction
(``yingshang.cases.statemachine.apply_transition``), If-Match required.
"""

from __future__ import annotations

from typing import Any

from yingshang.auth import HALL, ROLES
from yingshang.cases.rules import any_of, client_scope, of_case, roles
from yingshang.cases.statemachine import StateMachine, Transition
from ys_approvals.appointments.models import Appointment, DoorToDoorRequest

SERVICE = "approvals"
APPOINTMENT, DOOR_TO_DOOR = "appointment", "door_to_door"
# Staff of the department running the appointment's hall (HALL, or a town): the service
# names it on the row it loads (``service.at_hall``).
HALL_STAFF = of_case(*ROLES, attr="hall_department")
BOOKER = client_scope("approvals:write")  # the platform that booked it (its own only: 404)
HALL_HEAD = roles("head", depts=[HALL])
HALL_ANY = roles(*ROLES, depts=[HALL])

APPOINTMENT_STATES = {
    "booked": "已预约",
    "attended": "已到场",
    "no_show": "未到场",
    "cancelled": "已取消",
}
VISIT_STATES = {
    "requested": "待派员",
    "assigned": "已派员",
    "done": "已完成",
    "cancelled": "已取消",
}


def _t(name: str, sources: str, target: str, rule: Any, event: str, label: str) -> Transition[Any]:
    return Transition(name, frozenset(sources.split()), target, rule, event, label=label)


APPOINTMENT_MACHINE: StateMachine[Appointment] = StateMachine(  # type: ignore[type-var]
    service=SERVICE,
    kind=APPOINTMENT,
    states=tuple(APPOINTMENT_STATES),
    initial="booked",
    final=frozenset({"attended", "no_show", "cancelled"}),
    labels=APPOINTMENT_STATES,
    transitions=(
        _t("attend", "booked", "attended", HALL_STAFF, "attended", "到场"),
        _t("no_show", "booked", "no_show", HALL_STAFF, "missed", "未到场"),
        _t("cancel", "booked", "cancelled", any_of(HALL_STAFF, BOOKER), "cancelled", "取消"),
    ),
)
DOOR_TO_DOOR_MACHINE: StateMachine[DoorToDoorRequest] = StateMachine(  # type: ignore[type-var]
    service=SERVICE,
    kind=DOOR_TO_DOOR,
    states=tuple(VISIT_STATES),
    initial="requested",
    final=frozenset({"done", "cancelled"}),
    labels=VISIT_STATES,
    transitions=(
        _t("assign", "requested assigned", "assigned", HALL_HEAD, "assigned", "派员"),
        _t("complete", "assigned", "done", HALL_ANY, "visited", "上门办结"),
        _t("cancel", "requested assigned", "cancelled", HALL_ANY, "cancelled", "取消"),
    ),
)

# The timeline's words: the steps and the creation of each (no clock runs on either).
APPOINTMENT_STEPS = {"book": "预约"}
VISIT_STEPS = {"request": "申请上门服务"}
APPOINTMENT_TIMELINE = APPOINTMENT_MACHINE.timeline_labels(APPOINTMENT_STEPS)
VISIT_TIMELINE = DOOR_TO_DOOR_MACHINE.timeline_labels(VISIT_STEPS)
# The event each creation publishes (``ys.approvals.<kind>.<event>``).
CREATED_EVENTS = {APPOINTMENT: "booked", DOOR_TO_DOOR: "requested"}
