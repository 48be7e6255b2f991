"""The application (办件) state machine, as data (``yingshang.cases.statemachine``).

收件 received ─┬─ request_materials ─▶ awaiting_materials ─ materials_received ─▶ received
               │     (once per application: 一次性告知, at 收件 or by this step; never
               │      completed or repeated — the next 补正 round is the review's)
               ├─ refuse (不予受理) ─▶ refused
               ├─ finish_on_the_spot (即办件) ─▶ finished
               └─ accept (受理, 承诺件) ─▶ in_review ─┬─ request_supplement ▶ review_supplement
                                             │     ─ supplement_received ▶ in_review
                                             ├─ suspend (听证/检验检测/专家评审) ▶ suspended
                                             │     ─ resume ▶ in_review
                                             ├─ request_extension / approve_extension / decide_part
                                             ├─ approve ▶ approved ─┐
                                             └─ reject ▶ rejected ──┴─ deliver ▶ delivered
                                                                        ─ finish ▶ finished
                              approved ─ notify_pickup (通知领取, once) ─▶ approved

The written decision is delivered whether it grants or refuses the licence (行政许可法 art. 38,
44): 办结 follows delivery only. A licence to be collected at the window may first be made
ready and the applicant told (``notify_pickup``): that stops its delivery clock (``timing``);
``deliver`` then records the collection. It is a step, not a state: the application is still
approved and not yet delivered, and ``deliver`` is the same step either way.
"""

from __future__ import annotations

from typing import Any

from yingshang.cases.rules import Rule
from yingshang.cases.statemachine import StateMachine, Transition
from yingshang.time import DEADLINE_TIMELINE
from ys_approvals.applications import rules
from ys_approvals.applications.models import CASE_KIND, Application

STATUS_LABELS = {
    "received": "已收件",
    "awaiting_materials": "待补正",
    "in_review": "审查中",
    "review_supplement": "审查补正中",
    "suspended": "特别程序中",
    "approved": "准予许可",
    "rejected": "不予许可",
    "refused": "不予受理",
    "delivered": "已送达",
    "finished": "已办结",
}
CLOSED = ("refused", "finished")
# The clock stands still in these (补正, hearing, testing, expert review): never overdue there.
PAUSED = ("awaiting_materials", "review_supplement", "suspended")


def _t(
    name: str, sources: str, target: str, rule: Rule[Any], event: str, label: str
) -> Transition[Application]:  # type: ignore[type-var]
    return Transition(name, frozenset(sources.split()), target, rule, event, label=label)


TRANSITIONS: tuple[Transition[Application], ...] = (  # type: ignore[type-var]
    _t(
        "request_materials",
        "received",
        "awaiting_materials",
        rules.intake_notice,
        "supplement_requested",
        "一次性告知补正",
    ),
    _t(
        "materials_received",
        "awaiting_materials",
        "received",
        rules.front_or_handler,
        "supplement_received",
        "补正材料接收",
    ),
    _t("accept", "received", "in_review", rules.into_review, "accepted", "受理"),
    _t(
        "refuse",
        "received awaiting_materials",
        "refused",
        rules.front_or_handler,
        "refused",
        "不予受理",
    ),
    _t("finish_on_the_spot", "received", "finished", rules.on_the_spot, "finished", "即办"),
    _t(
        "request_supplement",
        "in_review",
        "review_supplement",
        rules.handler,
        "supplement_requested",
        "审查补正",
    ),
    _t(
        "supplement_received",
        "review_supplement",
        "in_review",
        rules.front_or_handler,
        "supplement_received",
        "补正材料接收",
    ),
    _t("suspend", "in_review", "suspended", rules.handler, "suspended", "特别程序"),
    _t("resume", "suspended", "in_review", rules.handler, "resumed", "特别程序结束"),
    _t(
        "request_extension",
        "in_review",
        "in_review",
        rules.handler,
        "extension_requested",
        "延期申请",
    ),
    _t(
        "approve_extension",
        "in_review",
        "in_review",
        rules.responsible_head,
        "extended",
        "延期批准",
    ),
    _t("decide_part", "in_review", "in_review", rules.handler, "part_decided", "部门审批"),
    _t("approve", "in_review", "approved", rules.handler, "approved", "准予许可"),
    _t("reject", "in_review", "rejected", rules.handler, "rejected", "不予许可"),
    _t(
        "notify_pickup",
        "approved",
        "approved",
        rules.pickup_notice,
        "pickup_notified",
        "通知领取",
    ),
    _t(
        "deliver",
        "approved rejected",
        "delivered",
        rules.front_or_handler,
        "delivered",
        "送达",
    ),
    _t("finish", "delivered", "finished", rules.front_or_handler, "finished", "办结"),
)

MACHINE: StateMachine[Application] = StateMachine(  # type: ignore[type-var]
    service="approvals",
    kind=CASE_KIND,
    states=tuple(STATUS_LABELS),
    initial="received",
    transitions=TRANSITIONS,
    final=frozenset(CLOSED),
    labels=STATUS_LABELS,
)

# The timeline's words: the machine's steps (intake writes its first 补正 notice as the
# machine's ``request_materials``), 收件 (``intake.submit``) and the deadline engine's entries.
OTHER_STEPS = {"submit": "收件"}
TIMELINE = MACHINE.timeline_labels(OTHER_STEPS, DEADLINE_TIMELINE)
