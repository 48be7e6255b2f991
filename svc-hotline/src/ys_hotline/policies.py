"""五限时 defaults (DOMAIN.md, Hotline: Zunyi county level; *defaults*, admins edit the rows).

办理 by type: 咨询 2 wd, 求助 5 wd, 意见建议 5 wd, 普通投诉/举报 12 wd, 表扬 5 wd, urgent 2
natural hours (接诉即办); 签收 1 wd (urgent 30 min); 联系 1 wd; 回访 within 1 wd after 办结;
反馈 (反馈/回复: the department's reply, before the center's 审核) 1 wd. Ladder: the
foundation default — L1 at due to the department head, L2 (催办) one working day later, L3
(书面通报) five working days later.
"""

from typing import Any

from yingshang.time.arithmetic import Unit
from ys_hotline.tickets.machine import Stage
from ys_hotline.tickets.models import CASE_KIND
from ys_hotline.tickets.vocabulary import TicketType as T

WD, HOURS, MINUTES = Unit.WORKING_DAYS, Unit.NATURAL_HOURS, Unit.NATURAL_MINUTES

HANDLING_DAYS = {T.CONSULT: 2, T.HELP: 5, T.SUGGESTION: 5, T.COMPLAINT: 12, T.REPORT: 12,
                 T.PRAISE: 5}  # fmt: skip
URGENT: dict[Stage, tuple[int, Unit]] = {
    Stage.SIGN: (30, MINUTES),
    Stage.CONTACT: (1, HOURS),
    Stage.HANDLE: (2, HOURS),
    Stage.FEEDBACK: (1, HOURS),
    Stage.REVISIT: (1, WD),
}


def _row(stage: Stage, urgency: str, amount: int, unit: Unit, text: str) -> dict[str, Any]:
    return {"case_kind": CASE_KIND, "stage": stage.value, "urgency": urgency, "amount": amount,
            "unit": unit.value, "description": text}  # fmt: skip


# How the policy table says each row (the admin console shows it as the row's 说明).
STAGE_NAMES = {Stage.SIGN: "签收", Stage.CONTACT: "联系", Stage.HANDLE: "办理",
               Stage.FEEDBACK: "反馈", Stage.REVISIT: "回访"}  # fmt: skip
TYPE_NAMES = {T.CONSULT: "咨询", T.HELP: "求助", T.SUGGESTION: "意见建议", T.COMPLAINT: "投诉",
              T.REPORT: "举报", T.PRAISE: "表扬"}  # fmt: skip
UNIT_NAMES = {WD: "个工作日", HOURS: "小时", MINUTES: "分钟"}


def default_policies() -> list[dict[str, Any]]:
    rows = [
        _row(Stage.HANDLE, t.value, d, WD, f"{TYPE_NAMES[t]}办理 {d} 个工作日")
        for t, d in HANDLING_DAYS.items()
    ]
    for stage in (Stage.SIGN, Stage.CONTACT, Stage.FEEDBACK, Stage.REVISIT):
        rows.append(_row(stage, "normal", 1, WD, f"{STAGE_NAMES[stage]} 1 个工作日"))
    for stage, (amount, unit) in URGENT.items():
        text = f"紧急诉求{STAGE_NAMES[stage]} {amount} {UNIT_NAMES[unit]}"
        rows.append(_row(stage, "urgent", amount, unit, text))
    return rows
