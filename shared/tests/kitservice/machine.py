"""The sample case's life cycle, as data (STYLE.md §5)."""

from __future__ import annotations

from kitservice.models import SampleCase
from yingshang.auth import HOTLINE_CENTER
from yingshang.cases.rules import of_case, roles
from yingshang.cases.statemachine import StateMachine, Transition

SERVICE, KIND = "kit", "case"

CASE_MACHINE = StateMachine[SampleCase](
    service=SERVICE,
    kind=KIND,
    states=("submitted", "dispatched", "accepted", "replied", "returned", "closed"),
    initial="submitted",
    final={"closed"},
    labels={
        "submitted": "已受理",
        "dispatched": "已派单",
        "accepted": "已签收",
        "replied": "已反馈",
        "returned": "已退单",
        "closed": "已办结",
    },
    transitions=(
        # 派单 dispatch: the center's operators choose the handling department.
        Transition(
            "dispatch",
            {"submitted", "returned"},
            "dispatched",
            roles("clerk", "staff", depts=[HOTLINE_CENTER]),
            event="dispatched",
            label="派单",
        ),
        # 签收 sign-for: the head of the assigned department personally (一把手亲自接单).
        Transition("accept", {"dispatched"}, "accepted", of_case("head"), "accepted", label="签收"),
        # 退单 return as wrongly assigned: the same head, with the reason.
        Transition(
            "return",
            {"dispatched"},
            "returned",
            of_case("head"),
            event="returned",
            note_required=True,
            label="退单",
        ),
        # 反馈 reply: anyone of the assigned department.
        Transition(
            "reply",
            {"accepted"},
            "replied",
            of_case("staff", "head"),
            event="replied",
            label="反馈",
        ),
        # 办结 close: back at the center.
        Transition(
            "close",
            {"replied"},
            "closed",
            roles("clerk", "staff", "head", depts=[HOTLINE_CENTER]),
            event="closed",
            label="办结",
        ),
    ),
)

# The sample's one step outside the machine: 受理 intake (``service.create``).
TIMELINE = CASE_MACHINE.timeline_labels({"created": "受理"})
