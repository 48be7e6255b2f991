"""The bureau's oversight: department scorecards and the 督办 ledger of escalations."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from sqlalchemy import select

from yingshang.app import allow, router
from yingshang.auth import staff
from yingshang.cases.pagination import Page, PageParams, paginate
from yingshang.db import SessionDep
from ys_ratings.access import ViewerDep
from ys_ratings.months import MONTH_PATTERN
from ys_ratings.oversight.models import LedgerEntry
from ys_ratings.oversight.schemas import LedgerEntryOut, ScorecardsOut
from ys_ratings.oversight.scorecards import scorecards

api = router("/api/v1/ratings", tags=["oversight"])


@api.get(
    "/scorecards",
    response_model=ScorecardsOut,
    summary="Department scorecards of a month (departments see their own)",
    dependencies=[allow(staff())],
)
async def list_scorecards(
    session: SessionDep,
    viewer: ViewerDep,
    month: Annotated[str, Query(pattern=MONTH_PATTERN)],
    department: Annotated[str | None, Query(max_length=60)] = None,
) -> ScorecardsOut:
    departments = viewer.departments()
    if department is not None:
        departments = {department} & departments if departments is not None else {department}
    return await scorecards(session, month, departments)


@api.get(
    "/escalations",
    response_model=Page[LedgerEntryOut],
    summary="督办 ledger: open escalations (service, case number, department, level, since)",
    dependencies=[allow(staff())],
)
async def list_escalations(
    session: SessionDep,
    viewer: ViewerDep,
    page: PageParams,
    level: Annotated[int | None, Query(ge=1, le=5)] = None,
    department: Annotated[str | None, Query(max_length=60)] = None,
    service: Annotated[str | None, Query(max_length=40)] = None,
    status: Literal["open", "closed", "all"] = "open",
) -> Page[LedgerEntryOut]:
    e = LedgerEntry
    stmt = select(e)
    departments = viewer.departments()
    if departments is not None:
        stmt = stmt.where(e.department.in_(departments))
    if status != "all":
        stmt = stmt.where(e.closed_at.is_(None) if status == "open" else e.closed_at.is_not(None))
    for column, value in ((e.level, level), (e.department, department), (e.service, service)):
        if value is not None:
            stmt = stmt.where(column == value)
    rows, cursor = await paginate(session, stmt, page, sort=e.since, id_col=e.id)
    return Page(items=[LedgerEntryOut.of(r) for r in rows], next_cursor=cursor)
