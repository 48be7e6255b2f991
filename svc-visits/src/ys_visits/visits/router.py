"""``/api/v1/visits/visits``: visit records (走访) and the problems they raised."""

import uuid
from typing import Annotated

from fastapi import Query, Response
from pydantic import AfterValidator

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal
from yingshang.cases.numbers import NUMBER_MAX_LENGTH, case_number_of
from yingshang.cases.pagination import PageParams, paginate
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.validators import PlausibleDate
from ys_visits.access import ANY_STAFF
from ys_visits.deps import CREATE_ERRORS, LIST_ERRORS, NOT_FOUND, PREFIX
from ys_visits.visits import service
from ys_visits.visits.models import Visit
from ys_visits.visits.schemas import VisitIn, VisitOut, VisitPage

api = router(f"{PREFIX}/visits", tags=["visits (走访)"])
VisitNumber = Annotated[str, AfterValidator(case_number_of(service.NUMBER_PREFIX))]
DeptFilter = Annotated[str | None, Query(pattern=r"^[A-Z][A-Z0-9_]{1,59}$")]


@idempotent_post(
    api,
    "",
    status_code=201,
    response_model=VisitOut,
    summary="Record a visit; each problem found becomes a 交办单",
    responses=CREATE_ERRORS,
    dependencies=[allow(ANY_STAFF)],
)
async def record_visit(
    body: VisitIn, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> VisitOut:
    visit = await service.record(session, body, principal)
    response.headers["Location"] = f"{api.prefix}/{visit.id}"
    return (await service.views(session, [visit]))[0]


@api.get(
    "",
    response_model=VisitPage,
    summary="Visits you may see, newest first",
    responses=LIST_ERRORS,
    dependencies=[allow(ANY_STAFF)],
)
async def list_visits(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageParams,
    enterprise_id: uuid.UUID | None = None,
    assignment_id: Annotated[uuid.UUID | None, Query(description="the pairing")] = None,
    department: DeptFilter = None,
    visited_from: PlausibleDate | None = None,
    visited_to: PlausibleDate | None = None,
    number: Annotated[
        VisitNumber | None,
        Query(max_length=NUMBER_MAX_LENGTH, description="the exact 走访编号 (ZF20261128-00001)"),
    ] = None,
) -> VisitPage:
    stmt = service.list_query(
        principal, enterprise_id=enterprise_id, pairing_id=assignment_id,
        department=department, visited_from=visited_from, visited_to=visited_to,
    )  # fmt: skip
    if number is not None:
        stmt = stmt.where(Visit.number == number)
    rows, cursor = await paginate(session, stmt, page, sort=Visit.created_at, id_col=Visit.id)
    return VisitPage(items=await service.views(session, rows), next_cursor=cursor)


@api.get(
    "/{visit_id}",
    response_model=VisitOut,
    summary="One visit",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def read_visit(
    visit_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> VisitOut:
    visit = await service.get_visible(session, visit_id, principal)
    return (await service.views(session, [visit]))[0]
