"""The rectification's state machine, as data: who may do what from which state.

States seen in deployed hall systems (DOMAIN.md, Ratings): 待回访核实 → 待分类 → 整改中 →
整改完成(待反馈) → 待评价整改 → 待抽查回访 → 已办结, with the side branches 无效差评审核 and
无法整改审核. The flag 整改超期 (``overdue``) is set by the deadline sweeper, not by a transition.

抽查回访 (spot check) follows the rater's verdict: someone outside the rated department — the
ratings center's staff, or the bureau's staff or head, who oversee the 好差评 — checks the fix.
Passed, the rectification closes (rectified); failed, it goes back to 整改中 with the reason,
under a new 整改 time limit, and no longer counts as rectified on time.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Any

from yingshang.auth import BUREAU, ROLES
from yingshang.cases.rules import Rule, any_of, of_case, roles, system
from yingshang.cases.statemachine import StateMachine, Transition
from yingshang.cases.timeline import TimelineLabels
from yingshang.time import DEADLINE_TIMELINE
from ys_ratings.access import HALL_ROLES, RatingsCenter

CASE_KIND = "rectification"


class State(StrEnum):
    AWAITING_CALLBACK = "awaiting_callback"
    AWAITING_CLASSIFICATION = "awaiting_classification"
    RECTIFYING = "rectifying"
    INVALID_REVIEW = "invalid_review"
    UNFIXABLE_REVIEW = "unfixable_review"
    AWAITING_FEEDBACK = "awaiting_feedback"
    AWAITING_VERDICT = "awaiting_verdict"
    AWAITING_SPOT_CHECK = "awaiting_spot_check"
    CLOSED = "closed"


LABELS: dict[str, str] = {
    State.AWAITING_CALLBACK: "待回访核实",
    State.AWAITING_CLASSIFICATION: "待分类",
    State.RECTIFYING: "整改中",
    State.INVALID_REVIEW: "无效差评审核",
    State.UNFIXABLE_REVIEW: "无法整改审核",
    State.AWAITING_FEEDBACK: "整改完成待反馈",
    State.AWAITING_VERDICT: "待评价整改",
    State.AWAITING_SPOT_CHECK: "待抽查回访",
    State.CLOSED: "已办结",
}
OPEN_STATES = frozenset(State) - {State.CLOSED}
REVIEWS = frozenset({State.INVALID_REVIEW, State.UNFIXABLE_REVIEW})
# What a step does to the timed ``rectify`` stage, the 整改 clock (15 working days by
# default). An approved 无效差评 / 无法整改 claim ends the clock without a rectification: it is
# not "rectified on time" in the bulletin (it keeps its own outcome, invalid / unfixable). A
# failed spot check times the redo afresh.
STAGE_EFFECTS = {
    "complete": "complete",
    "approve_claim": "cancel",
    "appeal_upheld": "cancel",
    "fail_spot_check": "restart",
}
SPOT_CHECK_STEPS = {True: "pass_spot_check", False: "fail_spot_check"}  # passed? → step
CANCEL_REASONS = {
    "approve_claim": "无效差评/无法整改审核通过",
    "appeal_upheld": "申诉成立 appeal upheld",
}


def _t(
    name: str,
    label: str,
    sources: set[State] | frozenset[State],
    target: State,
    allowed: Rule[Any],
    event: str,
    *,
    note_required: bool = False,
) -> Transition[Any]:
    return Transition(
        name,
        frozenset(sources),
        target,
        allowed,
        event=event,
        label=label,
        note_required=note_required,
    )


@lru_cache(maxsize=8)
def rectification_machine(center: RatingsCenter) -> StateMachine[Any]:
    """The machine for a county's ratings center (its positions come from settings)."""
    center_staff = roles(*center.roles, depts=[center.dept])
    # The matter's department and, for a window's 差评, the hall's management co-handle it:
    # the hall answers for its windows and clerks, the department for its matter (DOMAIN.md).
    department = any_of(of_case(*ROLES), of_case(*HALL_ROLES, attr="hall_department"))
    reviewer = any_of(roles("head", depts=[center.dept]), roles("head", depts=[BUREAU]))
    # 抽查回访: the center's staff or the bureau's staff/head (never the rated department:
    # ``actions.spot_check``)
    checker = any_of(center_staff, roles("staff", "head", depts=[BUREAU]))
    s = State
    transitions = (
        _t(
            "call_back",
            "回访核实",
            {s.AWAITING_CALLBACK},
            s.AWAITING_CLASSIFICATION,
            center_staff,
            "called_back",
            note_required=True,
        ),
        _t(
            "classify",
            "分类",
            {s.AWAITING_CLASSIFICATION},
            s.RECTIFYING,
            center_staff,
            "classified",
        ),
        _t(
            "claim_invalid",
            "申请无效差评",
            {s.RECTIFYING},
            s.INVALID_REVIEW,
            department,
            "claimed",
            note_required=True,
        ),
        _t(
            "claim_unfixable",
            "申请无法整改",
            {s.RECTIFYING},
            s.UNFIXABLE_REVIEW,
            department,
            "claimed",
            note_required=True,
        ),
        _t("approve_claim", "审核通过", REVIEWS, s.CLOSED, reviewer, "closed"),
        _t("reject_claim", "审核驳回", REVIEWS, s.RECTIFYING, reviewer, "reviewed"),
        _t(
            "complete",
            "整改完成",
            {s.RECTIFYING},
            s.AWAITING_FEEDBACK,
            department,
            "completed",
            note_required=True,
        ),
        _t(
            "feed_back",
            "反馈评价人",
            {s.AWAITING_FEEDBACK},
            s.AWAITING_VERDICT,
            any_of(department, center_staff),
            "fed_back",
            note_required=True,
        ),
        _t(
            "record_verdict",
            "评价整改",
            {s.AWAITING_VERDICT},
            s.AWAITING_SPOT_CHECK,
            center_staff,
            "verdict_recorded",
        ),
        # A 12345 ticket reopened after its 差评 and revisited again: that 回访 is the verdict.
        _t(
            "verdict_by_revisit",
            "回访评价整改",
            {s.AWAITING_VERDICT},
            s.AWAITING_SPOT_CHECK,
            system(),
            "verdict_recorded",
        ),
        _t(
            "pass_spot_check",
            "抽查回访合格",
            {s.AWAITING_SPOT_CHECK},
            s.CLOSED,
            checker,
            "closed",
        ),
        _t(
            "fail_spot_check",
            "抽查回访不合格",
            {s.AWAITING_SPOT_CHECK},
            s.RECTIFYING,
            checker,
            "spot_check_failed",
            note_required=True,
        ),
        # 申诉复核 upheld: the 差评 no longer stands, so its rectification ends.
        _t("appeal_upheld", "申诉成立", OPEN_STATES, s.CLOSED, system(), "closed"),
    )
    return StateMachine(
        service="ratings",
        kind=CASE_KIND,
        states=tuple(State),
        initial=State.AWAITING_CALLBACK,
        transitions=transitions,
        final=frozenset({State.CLOSED}),
        labels=LABELS,
    )


# A rectification's one step written outside the machine: opened on a 差评 (``service``).
OTHER_STEPS = {"opened": "生成整改单"}


@lru_cache(maxsize=8)
def timeline_labels(center: RatingsCenter) -> TimelineLabels:
    """The timeline's words: the machine's steps, the opening and the deadline engine's."""
    return rectification_machine(center).timeline_labels(OTHER_STEPS, DEADLINE_TIMELINE)
