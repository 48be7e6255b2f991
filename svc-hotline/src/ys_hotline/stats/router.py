"""``GET /api/v1/hotline/stats``: the center's and the bureau's statistics."""

from typing import Annotated

from fastapi import Query

from yingshang.app import allow, router
from yingshang.auth import ROLES, staff
from yingshang.db import SessionDep
from yingshang.validators import PlausibleDateTime
from ys_hotline.access import CENTER, OVERSIGHT
from ys_hotline.stats.service import GroupBy, StatRow, statistics
from ys_hotline.tickets.queries import ordered_period

api = router("/api/v1/hotline/stats", tags=["statistics"])


@api.get(
    "",
    response_model=list[StatRow],
    summary="Received, closed, on-time rate per stage, working days to close, satisfaction",
    dependencies=[allow(staff(*ROLES, depts=[CENTER, *OVERSIGHT]))],
)
async def stats(
    session: SessionDep,
    by: Annotated[GroupBy, Query()] = "type",
    received_from: Annotated[PlausibleDateTime | None, Query()] = None,
    received_to: Annotated[PlausibleDateTime | None, Query()] = None,
) -> list[StatRow]:
    ordered_period(received_from, received_to)
    return await statistics(session, by, received_from, received_to)
