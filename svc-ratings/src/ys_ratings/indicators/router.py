"""Indicator sets: read by anyone on staff, new versions by the ratings center or admins."""

from __future__ import annotations

from fastapi import status

from yingshang.app import allow, router
from yingshang.auth import BUREAU, CurrentPrincipal, staff
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.time.auditing import admin_change
from ys_ratings.access import RATINGS_CENTER
from ys_ratings.indicators import service
from ys_ratings.indicators.schemas import IndicatorSetIn, IndicatorSetOut

api = router("/api/v1/ratings/indicator-sets", tags=["indicators"])


@api.get(
    "",
    response_model=list[IndicatorSetOut],
    summary="Indicator sets, every version",
    dependencies=[allow(staff())],
)
async def list_sets(session: SessionDep) -> list[IndicatorSetOut]:
    return [IndicatorSetOut.of(row) for row in await service.list_sets(session)]


@idempotent_post(
    api,
    "",
    response_model=IndicatorSetOut,
    status_code=status.HTTP_201_CREATED,
    summary="Publish a new version of the offline or online set (older ratings keep theirs)",
    dependencies=[allow(staff("head", "admin", depts=[RATINGS_CENTER, BUREAU]))],
    responses={422: {"description": "invalid or duplicate indicator codes"}},
)
async def publish_set(
    body: IndicatorSetIn, session: SessionDep, principal: CurrentPrincipal
) -> IndicatorSetOut:
    row = await service.publish(session, body, principal.sub)
    await admin_change(
        session,
        principal,
        "publish",
        "indicator_set",
        str(row.id),
        {"kind": row.kind, "version": row.version},
    )
    return IndicatorSetOut.of(row)
