"""``/api/v1/visits/indicators``: the business-environment indicators and their owners (指标长),
each with its scores per period and the tasks (交办单) linked to it. Any staff reads; the
bureau adds and edits (If-Match) and corrects a score; a score is recorded by the bureau, the
lead unit's head or the owner. Every version is kept (``/revisions``)."""

from typing import Annotated

from fastapi import Path, Query, Response

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_visits.access import ANY_STAFF, STEERING
from ys_visits.deps import CREATE_ERRORS, NOT_FOUND, PREFIX, WRITE_ERRORS
from ys_visits.indicators import scores, service
from ys_visits.indicators.models import KIND, SCORE_KIND
from ys_visits.indicators.periods import PeriodPath
from ys_visits.indicators.schemas import (
    CODE_PATTERN,
    IndicatorDetail,
    IndicatorEdit,
    IndicatorIn,
    IndicatorOut,
    RevisionOut,
    ScoreEdit,
    ScoreIn,
    ScoreOut,
)

api = router(f"{PREFIX}/indicators", tags=["indicators (指标长)"])
Code = Annotated[str, Path(pattern=CODE_PATTERN)]
DeptFilter = Annotated[str | None, Query(pattern=r"^[A-Z][A-Z0-9_]{1,59}$")]


@idempotent_post(
    api,
    "",
    status_code=201,
    response_model=IndicatorDetail,
    summary="Add an indicator with its lead unit and owner (指标长); the bureau",
    responses=CREATE_ERRORS,
    dependencies=[allow(STEERING)],
)
async def create_indicator(
    body: IndicatorIn, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> IndicatorDetail:
    row = await service.create(session, body, principal)
    set_etag(response, row, KIND)
    response.headers["Location"] = f"{api.prefix}/{row.code}"
    return await service.detail(session, row, principal)


@api.get(
    "",
    response_model=list[IndicatorOut],
    summary="The indicators with their latest score and linked tasks (filters: lead unit, "
    "owner, active)",
    dependencies=[allow(ANY_STAFF)],
)
async def list_indicators(
    session: SessionDep,
    lead_department: DeptFilter = None,
    owner_staff_no: Annotated[str | None, Query(max_length=40)] = None,
    active: bool | None = None,
) -> list[IndicatorOut]:
    stmt = service.list_query(
        lead_department=lead_department, owner_staff_no=owner_staff_no, active=active
    )
    return await service.views(session, list((await session.execute(stmt)).scalars()))


@api.get(
    "/{code}",
    response_model=IndicatorDetail,
    summary="One indicator: its scores, latest first, and its linked tasks; with its ETag",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def read_indicator(
    code: Code, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> IndicatorDetail:
    row = await service.get(session, code)
    set_etag(response, row, KIND)
    return await service.detail(session, row, principal)


@api.put(
    "/{code}",
    response_model=IndicatorDetail,
    summary="Edit an indicator (the bureau; If-Match required; the old version is kept)",
    responses=WRITE_ERRORS,
    dependencies=[allow(STEERING)],
)
async def edit_indicator(
    code: Code,
    body: IndicatorEdit,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> IndicatorDetail:
    row = await service.edit(session, code, body, if_match, principal)
    set_etag(response, row, KIND)
    return await service.detail(session, row, principal)


@api.get(
    "/{code}/revisions",
    response_model=list[RevisionOut],
    summary="Every kept version of the indicator and of its scores, oldest first",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def indicator_revisions(code: Code, session: SessionDep) -> list[RevisionOut]:
    row = await service.get(session, code)
    return [RevisionOut.model_validate(r) for r in await service.revisions(session, row)]


@idempotent_post(
    api,
    "/{code}/scores",
    status_code=201,
    response_model=ScoreOut,
    summary="Record a period's score (the bureau, the lead unit's head or the owner); once "
    "per period",
    responses={**CREATE_ERRORS, 404: {"description": "no such indicator"}},
    dependencies=[allow(ANY_STAFF)],
)
async def record_score(
    code: Code,
    body: ScoreIn,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
) -> ScoreOut:
    indicator = await service.get(session, code)
    row = await scores.record(session, indicator, body, principal)
    set_etag(response, row, SCORE_KIND)
    response.headers["Location"] = f"{api.prefix}/{code}/scores/{row.period}"
    return service.score_view(row)


@api.get(
    "/{code}/scores/{period}",
    response_model=ScoreOut,
    summary="One period's score, with its ETag (for a correction)",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def read_score(
    code: Code, period: PeriodPath, session: SessionDep, response: Response
) -> ScoreOut:
    row = await scores.get(session, await service.get(session, code), period)
    set_etag(response, row, SCORE_KIND)
    return service.score_view(row)


@api.put(
    "/{code}/scores/{period}",
    response_model=ScoreOut,
    summary="Correct a period's score (the bureau; If-Match required; the old value is kept)",
    responses=WRITE_ERRORS,
    dependencies=[allow(STEERING)],
)
async def correct_score(
    code: Code,
    period: PeriodPath,
    body: ScoreEdit,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> ScoreOut:
    indicator = await service.get(session, code)
    row = await scores.correct(session, indicator, period, body, if_match, principal)
    set_etag(response, row, SCORE_KIND)
    return service.score_view(row)
