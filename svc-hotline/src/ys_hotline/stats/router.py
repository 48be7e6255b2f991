"""``GET /api/v1/hotline/stats``: the center's and the bureau's statistics."""

from typing import Annotated

from fastapi import Query

from yingshang.app import allow, router
from yingshang.auth import ROLES, staff
from yingshang.db import SessionDep
from yingshang.validators import PlausibleDateTime, ordered_period
from ys_hotline.access import CENTER, OVERSIGHT
from ys_hotline.stats.service import GroupBy, StatRow, statistics

api = router("/api/v1/hotline/stats", tags=["statistics"])


@api.get(
    "",
    response_model=list[StatRow],
    summary="Received, closed, on-time rate per stage, working days to close, satisfaction",
    description=(
        "Tickets received in [received_from, received_to), grouped by `by`. "
        "`on_time_rate`: per stage of the five time limits (五限时: sign, contact, handle, "
        "feedback, revisit), the share of tickets whose **first round** met the limit — each "
        "ticket counted once per stage, as its department is judged; a stage counts once its "
        "outcome is known (completed, open past its due time, or cancelled after going "
        "overdue), and a stage run twice in a round (before and after a 退单) is late when "
        "either clock was. A reopened ticket runs its stages again: "
        "`reopened_on_time_rate` gives, per stage, the share of reopened tickets whose "
        "latest round (with an outcome) met the limit; it never enters `on_time_rate`. "
        "`good_rate` counts the first 回访 (the ticket's 好差评 rating), `final_good_rate` "
        "the latest."
    ),
    dependencies=[allow(staff(*ROLES, depts=[CENTER, *OVERSIGHT]))],
)
async def stats(
    session: SessionDep,
    by: Annotated[GroupBy, Query()] = "type",
    received_from: Annotated[PlausibleDateTime | None, Query()] = None,
    received_to: Annotated[PlausibleDateTime | None, Query()] = None,
) -> list[StatRow]:
    ordered_period(received_from, received_to, field="received_to")
    return await statistics(session, by, received_from, received_to)
