"""``/api/v1/complaints/enforcement-actions``: record, list, the mix report, the targets."""

import uuid
from typing import Annotated, Any

from fastapi import Query

from yingshang import audit
from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, county_admin, staff
from yingshang.cases.pagination import PageParams, paginate
from yingshang.clock import now, today
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.problems import NotFound
from yingshang.validators import PlausibleDate
from ys_complaints.enforcement import service
from ys_complaints.enforcement.models import EnforcementAction, EnforcementTargets
from ys_complaints.enforcement.schemas import (
    ActionIn,
    ActionOut,
    ActionPage,
    Kind,
    MixReport,
    TargetsIn,
    TargetsOut,
)

api = router("/api/v1/complaints/enforcement-actions", tags=["enforcement oversight"])
FORBIDDEN: dict[int | str, dict[str, Any]] = {403: {"description": "not your department"}}


@idempotent_post(
    api,
    "",
    response_model=ActionOut,
    status_code=201,
    summary="Record an enforcement action of your department (service/education/penalty)",
    responses={**FORBIDDEN, 422: {"description": "invalid, or an unknown department"}},
    dependencies=[allow(staff())],
)
async def record_action(
    body: ActionIn, session: SessionDep, principal: CurrentPrincipal
) -> ActionOut:
    return service.out(await service.record(session, body, principal))


@api.get(
    "",
    response_model=ActionPage,
    summary="Enforcement actions you may see (your department's; all for the center)",
    responses={422: {"description": "the period ends before it starts"}},
    dependencies=[allow(staff())],
)
async def list_actions(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageParams,
    department: Annotated[str | None, Query(max_length=60)] = None,
    kind: Annotated[Kind | None, Query()] = None,
    since: Annotated[PlausibleDate | None, Query(alias="from")] = None,
    until: Annotated[PlausibleDate | None, Query(alias="to")] = None,
) -> ActionPage:
    stmt = service.listing(principal, department, kind, since, until)
    rows, cursor = await paginate(
        session, stmt, page, sort=EnforcementAction.recorded_at, id_col=EnforcementAction.id
    )
    return ActionPage(items=[service.out(r) for r in rows], next_cursor=cursor)


@api.get(
    "/report",
    response_model=MixReport,
    summary="Each department's mix against the targets in a period (default: this month)",
    responses={422: {"description": "the period ends before it starts"}},
    dependencies=[allow(staff())],
)
async def mix_report(
    session: SessionDep,
    principal: CurrentPrincipal,
    since: Annotated[PlausibleDate | None, Query(alias="from")] = None,
    until: Annotated[PlausibleDate | None, Query(alias="to")] = None,
) -> MixReport:
    current = today()
    return await service.report(
        session, principal, since or current.replace(day=1), until or current
    )


@api.get(
    "/targets",
    response_model=TargetsOut,
    summary="The mix targets (三为主: 70/20/10 by default)",
    dependencies=[allow(staff())],
)
async def read_targets(session: SessionDep) -> TargetsOut:
    row = await session.get(EnforcementTargets, service.TARGETS_ID)
    if row is None:  # not seeded yet: the defaults
        return TargetsOut(
            **service.DEFAULT_TARGETS.model_dump(),
            version=0,
            updated_at=now(),
            updated_by="default",
        )
    return TargetsOut.model_validate(row)


@api.put(
    "/targets",
    response_model=TargetsOut,
    summary="Change the mix targets (BUREAU/admin, audited)",
    responses={422: {"description": "shares that do not add up"}},
    dependencies=[allow(county_admin())],
)
async def change_targets(
    body: TargetsIn, session: SessionDep, principal: CurrentPrincipal
) -> TargetsOut:
    row = await service.set_targets(session, body, principal.sub)
    await audit.record(
        session,
        actor=principal,
        action="enforcement.targets.update",
        object_kind="enforcement_targets",
        object_id=str(row.id),
        detail=body.model_dump(),
    )
    return TargetsOut.model_validate(row)


@api.get(
    "/{action_id}",
    response_model=ActionOut,
    summary="One enforcement action",
    responses={404: {"description": "no such action (or not yours)"}},
    dependencies=[allow(staff())],
)
async def read_action(
    action_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> ActionOut:
    row = await session.get(EnforcementAction, action_id)
    if row is None or not (service.sees_all(principal) or principal.has(None, row.department)):
        raise NotFound("没有这条执法记录")
    return service.out(row)
