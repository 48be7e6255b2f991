"""Time-limit defaults of the enterprise service center (DOMAIN.md, "Enterprise services and
visits"; *defaults*: admins edit the rows at ``/api/v1/visits/policies``).

Visit frequency of a pairing: quarterly for county leaders (key ``leader``), monthly for
department cadres (``cadre``); an admin may add ``<key>_<scale>`` rows, e.g. ``cadre_above_scale``,
which take precedence. The table counts in days: 90 and 30 natural days are read as three and
one calendar months (``pairings.clock.calendar_months``). A 交办单, under the five time limits
(五限时) of a matter handed to a unit's head: 签收 by the head within 1 working day and 联系 with
the enterprise within 1 working day of it (the hotline's defaults, DOMAIN.md); proposed solution
within 7 days; resolved by the assigner's date, else 30 days (not fixed by the county: our
default); a progress update every month until 销号; the center goes back to the enterprise for
its confirmation (回访) within 5 working days of the solution (our default). Ladder: the
foundation default — L1 at due to the responsible department's head, L2 (催办) the bureau one
working day later, L3 (书面通报) the committee five working days later.
"""

from typing import Any

from yingshang.time.arithmetic import Unit
from ys_visits.pairings.clock import RANK_KEYS
from ys_visits.pairings.clock import STAGE as VISIT
from ys_visits.pairings.models import KIND as PAIRING
from ys_visits.pairings.schemas import LeaderRank
from ys_visits.problems.models import KIND as PROBLEM
from ys_visits.problems.vocabulary import Stage

WD, DAYS = Unit.WORKING_DAYS, Unit.NATURAL_DAYS
NORMAL = "normal"
LEADER, CADRE = RANK_KEYS[LeaderRank.COUNTY_LEADER], RANK_KEYS[LeaderRank.DEPARTMENT_CADRE]

DEFAULTS: list[tuple[str, str, str, int, Unit, str]] = [
    (PAIRING, VISIT, LEADER, 90, DAYS, "县领导挂帮: 每季度至少走访一次"),
    (PAIRING, VISIT, CADRE, 30, DAYS, "部门干部挂帮: 每月至少走访一次"),
    (PROBLEM, Stage.SIGN, NORMAL, 1, WD, "交办后 1 个工作日内由责任单位一把手签收"),
    (PROBLEM, Stage.CONTACT, NORMAL, 1, WD, "签收后 1 个工作日内联系企业"),
    (PROBLEM, Stage.PROPOSAL, NORMAL, 7, DAYS, "交办后 7 日内提出解决方案"),
    (PROBLEM, Stage.RESOLUTION, NORMAL, 30, DAYS, "解决时限 (交办未定日期时)"),
    (PROBLEM, Stage.PROGRESS, NORMAL, 30, DAYS, "每月报送办理进展, 直至销号"),
    (PROBLEM, Stage.CONFIRMATION, NORMAL, 5, WD, "解决后 5 个工作日内取得企业确认"),
]


def default_policies() -> list[dict[str, Any]]:
    return [
        {
            "case_kind": kind,
            "stage": str(stage),
            "urgency": str(urgency),
            "amount": amount,
            "unit": unit.value,
            "description": text,
        }
        for kind, stage, urgency, amount, unit, text in DEFAULTS
    ]
