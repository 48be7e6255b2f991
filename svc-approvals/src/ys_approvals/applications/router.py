"""HTTP routes of applications: thin; the service and the machine hold the rules."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Query, Request, Response
from pydantic import AfterValidator

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, staff, staff_or_client
from yingshang.cases import timeline
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.cases.numbers import NUMBER_MAX_LENGTH, normalise_application_number
from yingshang.cases.pagination import Page, PageParams, paginate, paginate_by
from yingshang.cases.timeline import TimelineOut
from yingshang.db import SessionDep, get_session
from yingshang.idempotency import idempotent_post
from ys_approvals import access
from ys_approvals.applications import actions, flow, intake, service
from ys_approvals.applications.machine import TIMELINE
from ys_approvals.applications.models import CASE_KIND, Application
from ys_approvals.applications.schemas import (
    ApplicationIn,
    ApplicationOut,
    DeliverIn,
    ExtensionIn,
    NoteIn,
    ReasonIn,
    SubmittedOut,
    SupplementIn,
    SupplementRequestIn,
    SuspendIn,
)
from ys_approvals.audit_reads import audit_unmasked
from ys_approvals.auth_helpers import require_key_from_clients
from ys_approvals.people import personal_fields

api = router("/api/v1/approvals/applications", tags=["applications"])
ANYONE = staff_or_client("approvals:write")
ApplicationNumber = Annotated[str, AfterValidator(normalise_application_number)]
STAFF = staff()
F = TypeVar("F", bound=Callable[..., Any])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such application (or not yours to see)"},
    409: {"description": "not allowed in the current state"},
    412: {"description": "stale If-Match"},
    428: {"description": "If-Match missing"},
}


async def _render(
    request: Request,
    response: Response,
    app: Application,
    principal: CurrentPrincipal,
    *,
    unmask: bool = False,
) -> ApplicationOut:
    session = get_session(request)
    parts = await service.parts_of(session, app)
    departments = {p.department for p in parts}
    reveal = unmask and access.may_unmask(principal, app, departments)
    if reveal:
        await audit_unmasked(request, principal, app, personal_fields(app))
    pauses = await service.pauses_of(session, app)
    set_etag(response, app, CASE_KIND)
    actions_now = flow.available(app, principal)
    return service.view(app, parts, pauses, actions=actions_now, reveal=reveal)


@idempotent_post(
    api,
    "",
    response_model=SubmittedOut,
    status_code=201,
    summary="Submit an application (收件): window, mail, online or cross-province",
    dependencies=[allow(ANYONE)],
)
async def submit(
    body: ApplicationIn,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> SubmittedOut:
    """The provincial platform's client must send an Idempotency-Key: a retried submission
    replays the first answer and never makes a second application."""
    require_key_from_clients(request, principal, "an application")
    app, code = await intake.submit(session, body, principal)
    out = await _render(request, response, app, principal)
    response.headers["Location"] = f"/api/v1/approvals/applications/{app.id}"
    return SubmittedOut(**out.model_dump(), query_code=code)


@api.get(
    "",
    response_model=Page[ApplicationOut],
    summary="Applications you may see (filters: status, department, overdue, 绿色通道; "
    "the hall's queue order)",
    dependencies=[allow(ANYONE)],
)
async def list_applications(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageParams,
    status: Annotated[str | None, Query(max_length=30)] = None,
    department: Annotated[str | None, Query(max_length=40)] = None,
    overdue: bool | None = None,
    green_channel: Annotated[bool | None, Query(description="绿色通道 queue")] = None,
    order: Annotated[
        Literal["newest", "queue"],
        Query(
            description="newest: the latest submitted first; queue: the hall's working order "
            "(open before closed, 绿色通道 first, then the running clock's due time, soonest "
            "first; none last)"
        ),
    ] = "newest",
    number: Annotated[
        ApplicationNumber | None,
        Query(max_length=NUMBER_MAX_LENGTH, description="the exact 办件编号"),
    ] = None,
) -> Page[ApplicationOut]:
    query = service.list_query(
        principal,
        status=status,
        department=department,
        overdue=overdue,
        green=green_channel,
        number=number,
    )
    if order == "queue":
        rows, cursor = await paginate_by(
            session, query, page, name="queue", keys=service.queue_keys(), id_col=Application.id
        )
    else:
        rows, cursor = await paginate(
            session, query, page, sort=Application.created_at, id_col=Application.id
        )
    return Page(items=await service.views(session, list(rows), principal), next_cursor=cursor)


@api.get(
    "/{app_id}",
    response_model=ApplicationOut,
    summary="One application (ETag for If-Match); unmask=true for its handlers (audited)",
    dependencies=[allow(ANYONE)],
    responses=ERRORS,
)
async def read(
    app_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    unmask: bool = False,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    return await _render(request, response, app, principal, unmask=unmask)


@api.get(
    "/{app_id}/timeline",
    response_model=list[TimelineOut],
    summary="Who did what, when (时间线; each step and state also in words, zh-CN)",
    dependencies=[allow(ANYONE)],
    responses=ERRORS,
)
async def read_timeline(
    app_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> list[TimelineOut]:
    app, _ = await service.visible_application(session, principal, app_id)
    return TIMELINE.outs(await timeline.entries(session, CASE_KIND, app.id))


def _action(path: str, summary: str) -> Callable[[F], F]:
    return api.post(
        f"/{{app_id}}/{path}",
        response_model=ApplicationOut,
        summary=summary,
        dependencies=[allow(STAFF)],
        responses={**ERRORS, 403: {"description": "your positions do not allow it"}},
    )


@_action("request-supplement", "补正: list everything missing at once (intake or review)")
async def request_supplement(
    app_id: uuid.UUID,
    body: SupplementRequestIn,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.request_supplement(session, app, body, principal, if_match)
    return await _render(request, response, app, principal)


@_action("receive-supplement", "Supplementary materials arrived")
async def receive_supplement(
    app_id: uuid.UUID,
    body: SupplementIn,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.receive_supplement(session, app, body, principal, if_match)
    return await _render(request, response, app, principal)


@_action("accept", "受理")
async def accept(
    app_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.accept(session, app, principal, if_match)
    return await _render(request, response, app, principal)


@_action("refuse", "不予受理 (reason required)")
async def refuse(
    app_id: uuid.UUID,
    body: ReasonIn,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.refuse(session, app, body, principal, if_match)
    return await _render(request, response, app, principal)


@_action("finish-on-the-spot", "即办件: accept, decide and finish at the window")
async def finish_on_the_spot(
    app_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.finish_on_the_spot(session, app, principal, if_match)
    return await _render(request, response, app, principal)


@_action("suspend", "Pause for a hearing, testing or expert review")
async def suspend(
    app_id: uuid.UUID,
    body: SuspendIn,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.suspend(session, app, body, principal, if_match)
    return await _render(request, response, app, principal)


@_action("resume", "End of the hearing, testing or expert review")
async def resume(
    app_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.resume(session, app, principal, if_match)
    return await _render(request, response, app, principal)


@_action("extension-request", "Ask the head for the statutory extension (+10 wd)")
async def request_extension(
    app_id: uuid.UUID,
    body: ExtensionIn,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.request_extension(session, app, body, principal, if_match)
    return await _render(request, response, app, principal)


@_action("extension-approval", "The head approves the extension; the applicant is told")
async def approve_extension(
    app_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.approve_extension(session, app, principal, if_match)
    return await _render(request, response, app, principal)


@_action("approve", "准予: your department approves its part")
async def approve(
    app_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: NoteIn | None = None,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, parts = await service.visible_application(session, principal, app_id)
    await actions.decide(session, app, parts, True, body, principal, if_match)
    return await _render(request, response, app, principal)


@_action("reject", "不予许可 (reason required)")
async def reject(
    app_id: uuid.UUID,
    body: ReasonIn,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, parts = await service.visible_application(session, principal, app_id)
    await actions.decide(session, app, parts, False, body, principal, if_match)
    return await _render(request, response, app, principal)


@_action("notify-pickup", "通知领取: the licence is ready at the window (stops its clock)")
async def notify_pickup(
    app_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.notify_pickup(session, app, principal, if_match)
    return await _render(request, response, app, principal)


@_action("deliver", "送达: window pickup or free postal delivery")
async def deliver(
    app_id: uuid.UUID,
    body: DeliverIn,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.deliver(session, app, body, principal, if_match)
    return await _render(request, response, app, principal)


@_action("finish", "办结")
async def finish(
    app_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    app, _ = await service.visible_application(session, principal, app_id)
    await actions.finish(session, app, principal, if_match)
    return await _render(request, response, app, principal)
