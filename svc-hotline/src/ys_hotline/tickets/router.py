"""``/api/v1/hotline/tickets``: intake, lists and queues, detail (with ETag)."""

import uuid
from typing import Annotated

from fastapi import Query, Request, Response
from pydantic import AfterValidator

from yingshang import audit
from yingshang.app import allow, router
from yingshang.auth import ROLES, CurrentPrincipal, Principal, staff, staff_or_client
from yingshang.cases.etag import set_etag
from yingshang.cases.numbers import NUMBER_MAX_LENGTH, case_number_of
from yingshang.cases.pagination import PageParams
from yingshang.db import SessionDep, get_session
from yingshang.idempotency import HEADER, BadIdempotencyKey, idempotent_post
from yingshang.problems import Forbidden
from yingshang.validators import Phone, PlausibleDateTime
from ys_hotline.access import CENTER, is_operator
from ys_hotline.settings import Settings
from ys_hotline.tickets import intake, policy, queries, transitions, views
from ys_hotline.tickets.kit import NUMBER_PREFIX
from ys_hotline.tickets.models import CASE_KIND
from ys_hotline.tickets.schemas import (
    CreatedOut,
    PhoneOut,
    RevealPhoneIn,
    TicketIn,
    TicketOut,
    TicketPage,
)
from ys_hotline.tickets.vocabulary import Status, TicketType

api = router("/api/v1/hotline/tickets", tags=["tickets"])
WRITE_SCOPE = "hotline:write"  # the provincial platform pushes tickets with this scope
INTAKE = staff_or_client(WRITE_SCOPE, *ROLES, depts=[CENTER])
READERS = staff_or_client(WRITE_SCOPE)
NOT_FOUND: dict[int | str, dict[str, str]] = {404: {"description": "no such ticket (or hidden)"}}
TicketNumber = Annotated[str, AfterValidator(case_number_of(NUMBER_PREFIX))]
# 来电号码 search: the operators see phones in full (DOMAIN.md, Hotline), so only they look a
# caller's tickets up by the number; each search is audited (the tickets it found).
PHONE_SEARCH = (
    "the requester's phone (mobile or landline, as typed: separators and +86 dropped): the "
    "caller's tickets, newest first; hotline operators only (403 phone-search-forbidden), each "
    "search audited (personal_data.search, the tickets found; the number is not kept)"
)


@idempotent_post(
    api,
    "",
    response_model=CreatedOut,
    status_code=201,
    summary="受理: take a ticket (operator, console, or a provincial push)",
    responses={
        200: {
            "description": "a push of an external_id this client already pushed (under another "
            "Idempotency-Key): that ticket as it stands now, nothing new made; `query_code` is "
            "null, since the service keeps only a hash of it (it was shown once, in the 201; "
            "a retry with the first push's Idempotency-Key replays that 201, code included)"
        },
        422: {"description": "invalid, or an excluded matter (with the referral)"},
    },
)
async def create_ticket(
    body: TicketIn,
    request: Request,
    response: Response,
    principal: Annotated[Principal, allow(INTAKE)],
) -> CreatedOut:
    """A provincial push must carry an Idempotency-Key (and the platform's external_id): a
    retried push never makes a second ticket."""
    # The hottest route: the access rule is the principal's dependency (it returns it) and
    # the session is taken from the request, not declared: FastAPI solves each declared
    # dependency through its full machinery, some 1 % of an intake each.
    session = get_session(request)
    if principal.is_client and not request.headers.get(HEADER):
        raise BadIdempotencyKey("省平台推送的工单须带 Idempotency-Key 请求头")
    settings: Settings = request.app.state.settings
    made = await intake.create(session, body, principal, window_days=settings.duplicate_window_days)
    if made.replayed:
        response.status_code = 200
    set_etag(response, made.ticket, CASE_KIND)
    # Hints name other tickets: an integration client sees only its own tickets, so none.
    hints = [] if principal.is_client else made.duplicates
    if made.replayed:
        full = await queries.detail(session, made.ticket, principal)
        return CreatedOut(**full.model_dump(), query_code=None, duplicates=hints)
    # just written: answer from memory (the timeline is one GET away)
    clocks = [queries.stage_view(made.stage)] if made.stage else []
    return queries.view_as(
        CreatedOut,
        made.ticket,
        principal,
        clocks,
        query_code=made.query_code,
        duplicates=hints,
    )


@api.get(
    "",
    response_model=TicketPage,
    summary="Tickets and queues (department queue: to_sign, to_handle, overdue …), and search",
    responses={
        403: {"description": f"`phone` by anyone but a hotline operator: {PHONE_SEARCH}"},
        422: {"description": "invalid filter or cursor, or received_to before received_from"},
    },
    dependencies=[allow(READERS)],
)
async def list_tickets(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageParams,
    status: Annotated[list[Status] | None, Query()] = None,
    type: Annotated[TicketType | None, Query()] = None,
    department: Annotated[str | None, Query(max_length=60)] = None,
    overdue: Annotated[bool | None, Query()] = None,
    received_from: Annotated[PlausibleDateTime | None, Query()] = None,
    received_to: Annotated[PlausibleDateTime | None, Query()] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=100,
            description="a word of the title or content, or a 工单编号's start (a caller's "
            "number is looked up with `phone`: it is sealed, not searched as text)",
        ),
    ] = None,
    phone: Annotated[
        Phone | None,
        Query(max_length=30, description=PHONE_SEARCH),
    ] = None,
    queue: Annotated[
        str | None, Query(pattern="^(" + "|".join([*queries.QUEUES, "overdue"]) + ")$")
    ] = None,
    number: Annotated[
        TicketNumber | None,
        Query(max_length=NUMBER_MAX_LENGTH, description="the exact 工单编号 (RX20261128-00042)"),
    ] = None,
) -> TicketPage:
    filters = queries.Filters(
        status=[s.value for s in status] if status else None,
        type=type.value if type else None,
        department=department,
        overdue=overdue,
        received_from=received_from,
        received_to=received_to,
        keyword=q,
        queue=queue,
        number=number,
        phone=phone,
    )
    if phone is not None and not (is_operator(principal) and not principal.is_client):
        raise Forbidden("只有话务员可以按来电号码查询工单", code="phone-search-forbidden")
    items, next_cursor = await queries.page(session, principal, filters, page)
    if phone is not None:
        found = [item.id for item in items]
        db = request.app.state.db
        await audit.record_search(db, principal, CASE_KIND, ["requester_phone"], found)
    return TicketPage(items=items, next_cursor=next_cursor)


@api.get(
    "/{ticket_id}",
    response_model=TicketOut,
    summary="A ticket with its replies, clocks (五限时) and full timeline (steps in words, zh-CN)",
    responses=NOT_FOUND,
    dependencies=[allow(READERS)],
)
async def get_ticket(
    ticket_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> TicketOut:
    """Hotline operators see the requester's phone in full; each such read is audited."""
    ticket = await transitions.load(session, ticket_id, principal)
    set_etag(response, ticket, CASE_KIND)
    shown = views.revealed(ticket, views.disclosure(principal, ticket))
    await audit.record_unmasked_read(request.app.state.db, principal, (CASE_KIND, ticket.id), shown)
    return await queries.detail(session, ticket, principal, reveal=True)


@api.post(
    "/{ticket_id}/requester-phone",
    response_model=PhoneOut,
    summary="查看完整号码: the lead department reads the phone, with a reason (audited)",
    responses={
        **NOT_FOUND,
        403: {"description": "not the lead department holding it, or a confidential requester"},
    },
    dependencies=[allow(staff())],
)
async def reveal_phone(
    ticket_id: uuid.UUID, body: RevealPhoneIn, session: SessionDep, principal: CurrentPrincipal
) -> PhoneOut:
    """The department must 联系 the requester within 1 working day: it may read the number
    of a non-confidential requester in full; the read is in the audit log with the reason."""
    ticket = await transitions.load(session, ticket_id, principal)
    if ticket.confidential:
        raise Forbidden("要求保密的来电人电话不予显示", code="confidential-requester")
    if not policy.may_reveal_phone(principal, ticket):
        raise Forbidden(
            "只有正在办理该工单的主办单位可以查看电话",
            code="not-lead-department",
        )
    if ticket.requester_phone:
        await audit.record(
            session,
            actor=principal,
            action=audit.READ_UNMASKED,
            object_kind=CASE_KIND,
            object_id=ticket.id,
            position=policy.acting_position(principal, ticket),
            detail={"fields": ["requester_phone"], "reason": body.reason},
        )
    return PhoneOut(phone=ticket.requester_phone)
