"""Appeals (申诉复核): lists, reads with ETag, the bureau's decision (If-Match)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Query, Response
from sqlalchemy import select

from yingshang.app import allow, router
from yingshang.auth import BUREAU, staff
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.cases.pagination import Page, PageParams, paginate
from yingshang.db import SessionDep
from ys_ratings.access import ViewerDep
from ys_ratings.appeals import service
from ys_ratings.appeals.models import Appeal
from ys_ratings.appeals.schemas import AppealOut, DecisionIn
from ys_ratings.responses import Responses

api = router("/api/v1/ratings/appeals", tags=["appeals"])
NOT_FOUND: Responses = {404: {"description": "no such appeal (or not yours to see)"}}
DECISION_ERRORS: Responses = {
    **NOT_FOUND,
    403: {"description": "only the bureau decides"},
    409: {"description": "already decided"},
    412: {"description": "stale If-Match"},
    428: {"description": "If-Match missing"},
}


@api.get("", response_model=Page[AppealOut], summary="List appeals", dependencies=[allow(staff())])
async def list_appeals(
    session: SessionDep,
    viewer: ViewerDep,
    page: PageParams,
    state: Literal["pending", "upheld", "rejected"] | None = None,
    department: Annotated[str | None, Query(max_length=60)] = None,
) -> Page[AppealOut]:
    stmt = select(Appeal)
    departments = viewer.departments()
    if departments is not None:
        stmt = stmt.where(Appeal.department.in_(departments))
    if state:
        stmt = stmt.where(Appeal.state == state)
    if department:
        stmt = stmt.where(Appeal.department == department)
    rows, cursor = await paginate(session, stmt, page, sort=Appeal.filed_at, id_col=Appeal.id)
    return Page(items=[AppealOut.model_validate(r) for r in rows], next_cursor=cursor)


@api.get(
    "/{appeal_id}",
    response_model=AppealOut,
    summary="Read an appeal (ETag)",
    dependencies=[allow(staff())],
    responses=NOT_FOUND,
)
async def read_appeal(
    appeal_id: uuid.UUID, session: SessionDep, viewer: ViewerDep, response: Response
) -> AppealOut:
    appeal = await service.visible(session, appeal_id, viewer)
    set_etag(response, appeal, service.CASE_KIND)
    return AppealOut.model_validate(appeal)


async def _decide(
    appeal_id: uuid.UUID,
    body: DecisionIn,
    session: SessionDep,
    viewer: ViewerDep,
    response: Response,
    if_match: str | None,
    uphold: bool,
) -> AppealOut:
    appeal = await service.decide(session, appeal_id, viewer, if_match, body, uphold=uphold)
    set_etag(response, appeal, service.CASE_KIND)
    return AppealOut.model_validate(appeal)


@api.post(
    "/{appeal_id}/uphold",
    response_model=AppealOut,
    summary="Uphold: the rating leaves the statistics (never deleted)",
    dependencies=[allow(staff("head", "staff", depts=[BUREAU]))],
    responses=DECISION_ERRORS,
)
async def uphold_appeal(
    appeal_id: uuid.UUID,
    body: DecisionIn,
    session: SessionDep,
    viewer: ViewerDep,
    response: Response,
    if_match: IfMatch = None,
) -> AppealOut:
    return await _decide(appeal_id, body, session, viewer, response, if_match, True)


@api.post(
    "/{appeal_id}/reject",
    response_model=AppealOut,
    summary="Reject the appeal",
    dependencies=[allow(staff("head", "staff", depts=[BUREAU]))],
    responses=DECISION_ERRORS,
)
async def reject_appeal(
    appeal_id: uuid.UUID,
    body: DecisionIn,
    session: SessionDep,
    viewer: ViewerDep,
    response: Response,
    if_match: IfMatch = None,
) -> AppealOut:
    return await _decide(appeal_id, body, session, viewer, response, if_match, False)
