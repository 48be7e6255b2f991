"""``/api/v1/visits/problems``: problems (诉求) and their 交办单 — raise, list, read (ETag),
timeline, and the contact's phone for a stated reason (audited)."""

import uuid
from typing import Annotated

from fastapi import Query, Response
from pydantic import AfterValidator

from yingshang import audit
from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal
from yingshang.cases import timeline
from yingshang.cases.etag import set_etag
from yingshang.cases.numbers import NUMBER_MAX_LENGTH, case_number_of
from yingshang.cases.pagination import PageParams, paginate
from yingshang.cases.timeline import TimelineOut
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_visits.access import ANY_STAFF, REGISTRARS
from ys_visits.deps import CREATE_ERRORS, LIST_ERRORS, NOT_FOUND, PREFIX, Db
from ys_visits.enterprises import service as enterprises
from ys_visits.indicators.schemas import CODE_PATTERN
from ys_visits.problems import service
from ys_visits.problems.machine import TIMELINE
from ys_visits.problems.models import KIND, Problem
from ys_visits.problems.schemas import (
    ContactOut,
    DirectProblemIn,
    ProblemDetail,
    ProblemIn,
    ProblemPage,
)
from ys_visits.problems.vocabulary import Category, Source, State

api = router(f"{PREFIX}/problems", tags=["problems (诉求/交办单)"])
ProblemNumber = Annotated[str, AfterValidator(case_number_of(service.NUMBER_PREFIX))]
DeptFilter = Annotated[str | None, Query(pattern=r"^[A-Z][A-Z0-9_]{1,59}$")]


@idempotent_post(
    api,
    "",
    status_code=201,
    response_model=ProblemDetail,
    summary="Raise a problem at the center (诉求登记); visits and duty raise theirs too",
    responses=CREATE_ERRORS,
    dependencies=[allow(REGISTRARS)],
)
async def raise_problem(
    body: DirectProblemIn, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> ProblemDetail:
    enterprise = await enterprises.named(session, body.enterprise_id, field="enterprise_id")
    fields = ProblemIn.model_validate(body.model_dump(exclude={"enterprise_id"}))
    problem = await service.raise_problem(session, fields, enterprise, service.DIRECT, principal)
    set_etag(response, problem, KIND)
    response.headers["Location"] = f"{api.prefix}/{problem.id}"
    return await service.detail(session, problem, principal)


@api.get(
    "",
    response_model=ProblemPage,
    summary="Problems you may see, newest first (filters: status, department, overdue, "
    "indicator, meeting, ...)",
    responses=LIST_ERRORS,
    dependencies=[allow(ANY_STAFF)],
)
async def list_problems(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageParams,
    status: Annotated[list[State] | None, Query()] = None,
    department: DeptFilter = None,
    overdue: bool | None = None,
    enterprise_id: uuid.UUID | None = None,
    source: Source | None = None,
    category: Category | None = None,
    meeting_id: Annotated[uuid.UUID | None, Query(description="a joint meeting's")] = None,
    indicator_code: Annotated[
        str | None, Query(pattern=CODE_PATTERN, description="an indicator's linked tasks")
    ] = None,
    number: Annotated[
        ProblemNumber | None,
        Query(max_length=NUMBER_MAX_LENGTH, description="the exact 交办单编号 (JB20261128-00001)"),
    ] = None,
) -> ProblemPage:
    stmt = service.list_query(
        principal, states=status, department=department, overdue=overdue,
        enterprise_id=enterprise_id, source=source, category=category, meeting_id=meeting_id,
        indicator_code=indicator_code,
    )  # fmt: skip
    if number is not None:
        stmt = stmt.where(Problem.number == number)
    rows, cursor = await paginate(session, stmt, page, sort=Problem.created_at, id_col=Problem.id)
    return ProblemPage(items=await service.views(session, rows, principal), next_cursor=cursor)


@api.get(
    "/{problem_id}",
    response_model=ProblemDetail,
    summary="One problem with its clocks and progress, with its ETag",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def read_problem(
    problem_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> ProblemDetail:
    problem = await service.get_visible(session, problem_id, principal)
    set_etag(response, problem, KIND)
    return await service.detail(session, problem, principal)


@api.get(
    "/{problem_id}/timeline",
    response_model=list[TimelineOut],
    summary="Who did what, when (steps, progress, warnings, escalations; in words, zh-CN)",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def problem_timeline(
    problem_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> list[TimelineOut]:
    problem = await service.get_visible(session, problem_id, principal)
    entries = await timeline.entries(session, KIND, problem.id)
    return TIMELINE.outs(entries, redact=service.redactor(problem))


@api.get(
    "/{problem_id}/contact",
    response_model=ContactOut,
    summary="The enterprise contact's full phone number, for a stated reason (audited)",
    responses={**NOT_FOUND, 422: {"description": "reason missing"}},
    dependencies=[allow(ANY_STAFF)],
)
async def problem_contact(
    problem_id: uuid.UUID,
    reason: Annotated[str, Query(min_length=4, max_length=500)],
    session: SessionDep,
    db: Db,
    principal: CurrentPrincipal,
) -> ContactOut:
    problem = await service.get_visible(session, problem_id, principal)
    revealed = ["contact_phone"] if problem.contact_phone else []
    await audit.record_unmasked_read(db, principal, (KIND, problem.id), revealed, reason)
    return ContactOut(contact_name=problem.contact_name, contact_phone=problem.contact_phone)
