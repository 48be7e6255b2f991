"""The deadline ladder's SMS: one template per kind of message, its parameters.

The county SMS gateway holds the wording under a template id per name (``YS_SMS_TEMPLATES``,
deploy/README.md); the file channel writes the name and the parameters. Parameters name the
case (number, kind, stage), the responsible department and the due time in county time,
never anything about the requester (the deadline events carry ids only anyway).
"""

from __future__ import annotations

from datetime import datetime

from yingshang.clock import county_due
from yingshang.time.terms import Target

WARNING = "deadline_warning"  # 时限预警, to the department's heads
OVERDUE = "deadline_overdue"  # 超期 (L1 督办), to the department's heads
URGE = "deadline_urge"  # 催办 (L2), to the bureau's heads
NOTICE = "deadline_notice"  # 书面通报 (L3), to the committee
SUPERVISED = "deadline_supervised"  # a 督办 issued by hand, to the department's heads
TEMPLATES = (WARNING, OVERDUE, URGE, NOTICE, SUPERVISED)
BY_TARGET: dict[Target, str] = {"responsible_head": OVERDUE, "bureau": URGE, "committee": NOTICE}

# The console's labels (console/js/labels.js: CASE_KINDS, STAGES), for the text of an SMS.
CASE_KINDS = {
    "ticket": "12345工单",
    "application": "办件",
    "case": "投诉案件",
    "finding": "暗访问题",
    "problem": "企业诉求交办单",
    "pairing": "挂帮走访",
    "rectification": "差评整改",
}
STAGES = {
    "sign": "签收",
    "contact": "联系",
    "handle": "办理",
    "feedback": "反馈",
    "revisit": "回访",
    "acceptance": "受理决定",
    "reply": "答复",
    "supervision": "督办",
    "checkback": "回访核查",
    "review": "审查",
    "intake": "受理",
    "rectification": "整改",
    "rectify": "整改",
    "proposal": "提出方案",
    "resolution": "解决",
    "visit": "走访",
    "progress": "月度进展",
    "confirmation": "企业确认",
    "handling": "办理",
    "delivery": "送达",
}


def template_for(event: str, audience: Target, *, by_hand: bool = False) -> str:
    """``event``: the deadline event's name (``warning``, ``overdue``, ``escalated``);
    ``by_hand``: an ``escalated`` that is a 督办 someone issued (not the clock's ladder)."""
    if by_hand:
        return SUPERVISED
    return WARNING if event == "warning" else BY_TARGET[audience]


def params_for(
    *, kind: str, case_number: str, stage: str, level: int, due_at: datetime, department: str
) -> dict[str, str]:
    """``department``: the responsible department's name."""
    return {
        "number": case_number,
        "case": CASE_KINDS.get(kind, kind),
        "stage": STAGES.get(stage, stage),
        "department": department,
        "due": county_due(due_at),
        "level": str(level),
    }
