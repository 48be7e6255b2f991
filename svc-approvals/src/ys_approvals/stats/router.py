"""Statistics route (hall, bureau, committee, departments for their own)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, staff
from yingshang.db import SessionDep
from yingshang.problems import NotFound
from yingshang.validators import PlausibleDateTime
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
    responses={
        404: {"description": "not your department"},
        422: {"description": "the period ends before it starts"},
    },
)
async def read_statistics(
    session: SessionDep,
    principal: CurrentPrincipal,
    department: str | None = None,
    item_code: str | None = None,
    since: Annotated[
        PlausibleDateTime | None,
        Query(description="submitted at or after (no offset: Asia/Shanghai)"),
    ] = None,
    until: Annotated[PlausibleDateTime | None, Query(description="submitted before")] = None,
) -> StatsOut:
    overall = access.oversees(principal) or bool(principal.depts() & HALL_DEPTS)
    if not overall:
        mine = principal.depts()
        if department is None and len(mine) == 1:
            department = next(iter(mine))
        if department not in mine:
            raise NotFound("没有该部门的统计")
    return await statistics(
        session,
        department=department,
        item_code=item_code,
        since=since,  # without an offset: Asia/Shanghai (PlausibleDateTime)
        until=until,
    )
