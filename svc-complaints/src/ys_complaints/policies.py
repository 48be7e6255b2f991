"""Time-limit defaults of the complaints center (DOMAIN.md, "Enterprise complaints"; *defaults*:
admins edit the rows at ``/api/v1/complaints/policies``).

受理决定 3 wd; the responsible unit replies in 15 wd; the result goes to the enterprise within
5 wd of the reply; 督办 after a dispute 10 wd (not fixed by the county: our default); the
anti-retaliation check-back after 30 natural days, done within 5 wd of that; an inspection
finding's rectification 15 wd (as the 差评 rectification default). Ladder: the foundation
default — L1 at due to the unit's head, L2 (催办) the bureau one working day later, L3
(书面通报) the committee five working days later.
"""

from typing import Any

from yingshang.time.arithmetic import Unit
from ys_complaints.cases.machine import CHECKBACK_WAIT, Stage
from ys_complaints.cases.models import CASE_KIND
from ys_complaints.inspections.models import FINDING_KIND

WD, DAYS = Unit.WORKING_DAYS, Unit.NATURAL_DAYS
RECTIFICATION = "rectification"

DEFAULTS: list[tuple[str, str, int, Unit, str]] = [
    (CASE_KIND, Stage.ACCEPTANCE, 3, WD, "受理决定 3 个工作日"),
    (CASE_KIND, Stage.REPLY, 15, WD, "责任单位答复 15 个工作日"),
    (CASE_KIND, Stage.FEEDBACK, 5, WD, "答复后反馈企业 5 个工作日"),
    (CASE_KIND, Stage.SUPERVISION, 10, WD, "企业有异议: 督办 10 个工作日"),
    (CASE_KIND, CHECKBACK_WAIT, 30, DAYS, "办结后 30 日回访核查 (防打击报复)"),
    (CASE_KIND, Stage.CHECKBACK, 5, WD, "回访核查 5 个工作日内完成"),
    (FINDING_KIND, RECTIFICATION, 15, WD, "暗访问题整改 15 个工作日"),
]


def default_policies() -> list[dict[str, Any]]:
    return [
        {
            "case_kind": kind,
            "stage": str(stage),
            "amount": amount,
            "unit": unit.value,
            "description": text,
        }
        for kind, stage, amount, unit, text in DEFAULTS
    ]
