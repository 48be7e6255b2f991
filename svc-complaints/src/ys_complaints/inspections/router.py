"""``/api/v1/complaints/inspections`` (暗访 records: the center and oversight) and
``/api/v1/complaints/findings`` (each department sees and rectifies its own)."""

import uuid
from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import AfterValidator, BaseModel
from sqlalchemy import select

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, staff
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.cases.numbers import NUMBER_MAX_LENGTH, case_number_of
from yingshang.cases.pagination import PageParams, paginate
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_complaints.access import CENTER, OVERSIGHT
from ys_complaints.inspections import service
from ys_complaints.inspections.machine import FindingClass, FindingState
from ys_complaints.inspections.models import FINDING_KIND, Finding, Inspection
from ys_complaints.inspections.schemas import (
    FindingIn,
    FindingOut,
    FindingPage,
    InspectionIn,
    InspectionOut,
    InspectionPage,
    InspectionSummary,
    RectifyIn,
    RejectIn,
    VerifyIn,
)

api = router("/api/v1/complaints", tags=["inspections"])
INSPECTORS = staff("staff", "head", depts=[CENTER, "BUREAU"])
READERS = staff(depts=[CENTER, *OVERSIGHT])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such record"}}
ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "your position may not take this step"},
    409: {"description": "not possible in the finding's current state"},
    412: {"description": "the finding changed since you read it"},
    428: {"description": "If-Match missing"},
}
InspectionNumber = Annotated[str, AfterValidator(case_number_of(service.INSPECTION_PREFIX))]
FindingNumber = Annotated[
    str, AfterValidator(case_number_of(service.FINDING_PREFIX, service.OLDER_FINDING_PREFIX))
]


async def _out(session: SessionDep, inspection: Inspection, who: Any) -> InspectionOut:
    findings = [service.view(f, who) for f in await service.findings_of(session, inspection)]
    base = InspectionSummary.model_validate(inspection).model_dump()
    return InspectionOut(
        **base, team=inspection.team, summary=inspection.summary, findings=findings
    )


@idempotent_post(
    api,
    "/inspections",
    response_model=InspectionOut,
    status_code=201,
    summary="Record an undercover inspection (暗访) with its findings",
    responses={422: {"description": "invalid, or an unknown department"}},
    dependencies=[allow(INSPECTORS)],
)
async def record_inspection(
    body: InspectionIn, session: SessionDep, principal: CurrentPrincipal
) -> InspectionOut:
    inspection = await service.create(session, body, principal)
    return await _out(session, inspection, principal)


@api.get(
    "/inspections",
    response_model=InspectionPage,
    summary="Inspections, newest first (the center and oversight)",
    dependencies=[allow(READERS)],
)
async def list_inspections(
    session: SessionDep,
    page: PageParams,
    number: Annotated[
        InspectionNumber | None,
        Query(max_length=NUMBER_MAX_LENGTH, description="the exact 暗访编号 (AF20261128-00001)"),
    ] = None,
) -> InspectionPage:
    stmt = select(Inspection)
    if number is not None:
        stmt = stmt.where(Inspection.number == number)
    rows, cursor = await paginate(
        session, stmt, page, sort=Inspection.created_at, id_col=Inspection.id
    )
    return InspectionPage(
        items=[InspectionSummary.model_validate(r) for r in rows], next_cursor=cursor
    )


@api.get(
    "/inspections/{inspection_id}",
    response_model=InspectionOut,
    summary="An inspection with its findings",
    responses=NOT_FOUND,
    dependencies=[allow(READERS)],
)
async def read_inspection(
    inspection_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> InspectionOut:
    return await _out(session, await service.load_inspection(session, inspection_id), principal)


@idempotent_post(
    api,
    "/inspections/{inspection_id}/findings",
    response_model=FindingOut,
    status_code=201,
    summary="Add a finding to an inspection",
    responses={**NOT_FOUND, 422: {"description": "invalid, or an unknown department"}},
    dependencies=[allow(INSPECTORS)],
)
async def add_finding(
    inspection_id: uuid.UUID, body: FindingIn, session: SessionDep, principal: CurrentPrincipal
) -> FindingOut:
    inspection = await service.load_inspection(session, inspection_id)
    finding = await service.open_finding(session, inspection, body, principal)
    return service.view(finding, principal)


@api.get(
    "/findings",
    response_model=FindingPage,
    summary="Findings you may see (your department's; all for the center and oversight)",
    dependencies=[allow(staff())],
)
async def list_findings(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageParams,
    state: Annotated[FindingState | None, Query()] = None,
    department: Annotated[str | None, Query(max_length=60)] = None,
    finding_class: Annotated[FindingClass | None, Query()] = None,
    overdue: Annotated[
        bool | None, Query(description="true: still being rectified past its deadline")
    ] = None,
    number: Annotated[
        FindingNumber | None,
        Query(max_length=NUMBER_MAX_LENGTH, description="the exact number (AZ…; older ones ZG…)"),
    ] = None,
) -> FindingPage:
    stmt = select(Finding).where(service.visible(principal))
    for column, value in (
        (Finding.number, number),
        (Finding.state, state),
        (Finding.department, department),
        (Finding.finding_class, finding_class),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if overdue is not None:
        late = service.overdue_clause()
        stmt = stmt.where(late if overdue else ~late)
    rows, cursor = await paginate(session, stmt, page, sort=Finding.created_at, id_col=Finding.id)
    return FindingPage(items=[service.view(r, principal) for r in rows], next_cursor=cursor)


@api.get(
    "/findings/{finding_id}",
    response_model=FindingOut,
    summary="A finding (ETag)",
    responses=NOT_FOUND,
    dependencies=[allow(staff())],
)
async def read_finding(
    finding_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> FindingOut:
    finding = await service.load(session, finding_id, principal)
    set_etag(response, finding, FINDING_KIND)
    return service.view(finding, principal)


def _register(step: str, body_model: type[BaseModel], text: str) -> None:
    async def endpoint(
        finding_id: uuid.UUID,
        body: body_model,  # type: ignore[valid-type]
        response: Response,
        session: SessionDep,
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> FindingOut:
        finding = await service.act(session, finding_id, step, body, principal, if_match)
        await session.flush()
        set_etag(response, finding, FINDING_KIND)
        return service.view(finding, principal)

    endpoint.__name__ = f"finding_{step}"
    api.post(
        f"/findings/{{finding_id}}/{step}",
        response_model=FindingOut,
        summary=text,
        responses=ERRORS,
        dependencies=[allow(staff())],
    )(endpoint)


for _step, _model, _text in (
    ("rectify", RectifyIn, "整改: the department reports what it did"),
    ("verify", VerifyIn, "验证通过: the inspectors verify and close the finding"),
    ("reject", RejectIn, "验证不通过: back to rectification with a new deadline"),
):
    _register(_step, _model, _text)
