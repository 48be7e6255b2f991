"""``GET /api/v1/visits/stats``: the center's figures for a period (center and oversight)."""

from yingshang.app import allow, router
from yingshang.clock import today
from yingshang.db import SessionDep
from yingshang.problems import Invalid
from yingshang.validators import PlausibleDate, ordered_period
from ys_visits.access import ANALYSTS
from ys_visits.deps import PREFIX
from ys_visits.stats import service
from ys_visits.stats.schemas import StatsOut

api = router(PREFIX, tags=["statistics"])
MAX_DAYS = 3 * 366


@api.get(
    "/stats",
    response_model=StatsOut,
    summary="Visits per leader vs plan, problems, resolution, 好差评, duty sittings",
    responses={422: {"description": "invalid period"}},
    dependencies=[allow(ANALYSTS)],
)
async def statistics(
    session: SessionDep,
    date_from: PlausibleDate | None = None,
    date_to: PlausibleDate | None = None,
) -> StatsOut:
    end = date_to or today()
    start = date_from or end.replace(month=1, day=1)
    ordered_period(start, end, field="date_to")
    if (end - start).days > MAX_DAYS:
        raise Invalid("一次最多查询三年，请缩短期间", field="date_from")
    return await service.report(session, start, end)
