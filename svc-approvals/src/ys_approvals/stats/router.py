"""Statistics route (hall, bureau, committee, departments for their own)."""

from __future__ import annotations

from datetime import datetime

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, staff
from yingshang.db import SessionDep
from yingshang.problems import NotFound
from ys_approvals import access
from ys_approvals.auth_helpers import HALL_DEPTS
from ys_approvals.stats.schemas import StatsOut
from ys_approvals.stats.service import statistics

api = router("/api/v1/approvals/statistics", tags=["statistics"])


@api.get(
    "",
    response_model=StatsOut,
    summary="网办率, 零跑腿/最多跑一次, days used vs limits, on-time rate",
    dependencies=[allow(staff())],
    responses={404: {"description": "not your department"}},
)
async def read_statistics(
    session: SessionDep,
    principal: CurrentPrincipal,
    department: str | None = None,
    item_code: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> StatsOut:
    overall = access.oversees(principal) or bool(principal.depts() & HALL_DEPTS)
    if not overall:
        mine = principal.depts()
        if department is None and len(mine) == 1:
            department = next(iter(mine))
        if department not in mine:
            raise NotFound("no statistics for that department")
    return await statistics(
        session, department=department, item_code=item_code, since=since, until=until
    )
