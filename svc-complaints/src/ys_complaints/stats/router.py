"""``GET /api/v1/complaints/statistics``: the center's figures (center and oversight)."""

from typing import Annotated

from fastapi import Query

from yingshang.app import allow, router
from yingshang.auth import staff
from yingshang.clock import today
from yingshang.db import SessionDep
from yingshang.validators import PlausibleDate
from ys_complaints.access import CENTER, OVERSIGHT
from ys_complaints.stats import service
from ys_complaints.stats.schemas import Statistics

api = router("/api/v1/complaints/statistics", tags=["statistics"])


@api.get(
    "",
    response_model=Statistics,
    summary="Cases received in a period (default: the year up to `to`) by category and month",
    responses={422: {"description": "the period ends before it starts"}},
    dependencies=[allow(staff(depts=[CENTER, *OVERSIGHT]))],
)
async def statistics(
    session: SessionDep,
    since: Annotated[PlausibleDate | None, Query(alias="from")] = None,
    until: Annotated[PlausibleDate | None, Query(alias="to")] = None,
) -> Statistics:
    end = until or today()
    # without a start: from the first of January of the period's last year
    return await service.statistics(session, since or end.replace(month=1, day=1), end)
