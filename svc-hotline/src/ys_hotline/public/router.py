"""``/api/v1/hotline/public``: the only hotline routes without a token (rate-limited).

Submit a request (anonymous allowed) and track it by number + query code: status and the
replies only, never personal data.
"""

from typing import Annotated

from fastapi import Request, Response
from pydantic import AfterValidator, BaseModel, Field
from sqlalchemy import select

from yingshang.app import allow, router
from yingshang.auth import public
from yingshang.cases.numbers import case_number_of
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.problems import NotFound
from yingshang.ratelimit import limit_per_address
from ys_hotline.settings import Settings
from ys_hotline.tickets import intake, kit
from ys_hotline.tickets.kit import NUMBER_PREFIX
from ys_hotline.tickets.models import Ticket, TicketReply
from ys_hotline.tickets.schemas import PublicTicketIn, TicketIn, TrackOut
from ys_hotline.tickets.vocabulary import Source

api = router("/api/v1/hotline/public", tags=["public"])


class Submitted(BaseModel):
    number: str
    query_code: str = Field(description="shown once: keep it to track the request")
    status: str


class TrackIn(BaseModel):
    # as typed or read out: any case, full-width, spaces, the hyphen left out
    number: Annotated[
        str, Field(min_length=5, max_length=40), AfterValidator(case_number_of(NUMBER_PREFIX))
    ]
    query_code: str = Field(min_length=4, max_length=20)


@idempotent_post(
    api,
    "/tickets",
    response_model=Submitted,
    status_code=201,
    summary="Submit a request (anonymous allowed)",
    responses={
        422: {"description": "invalid or an excluded matter"},
        429: {"description": "rate limited"},
    },
    dependencies=[allow(public())],
)
async def submit(body: PublicTicketIn, request: Request, session: SessionDep) -> Submitted:
    settings: Settings = request.app.state.settings
    limit_per_address(request, "submit", settings.public_submit_per_minute)
    full = TicketIn(**body.model_dump(), source=Source.WEB)
    made = await intake.create(session, full, None, window_days=settings.duplicate_window_days)
    return Submitted(
        number=made.ticket.number, query_code=made.query_code or "", status=made.ticket.state
    )


@api.post(
    "/track",
    response_model=TrackOut,
    summary="Track a request by number + query code (status and replies only)",
    responses={404: {"description": "no such number / code"}, 429: {"description": "rate limited"}},
    dependencies=[allow(public())],
)
async def track(
    body: TrackIn, request: Request, response: Response, session: SessionDep
) -> TrackOut:
    settings: Settings = request.app.state.settings
    limit_per_address(request, "track", settings.public_track_per_minute)
    ticket = (await session.execute(select(Ticket).where(Ticket.number == body.number))).scalar()
    if ticket is None or not kit.query_code_matches(ticket, body.query_code):
        raise NotFound("没有与该编号和查询码相符的诉求")
    accepted = await session.execute(
        select(TicketReply.body)
        .where(TicketReply.ticket_id == ticket.id, TicketReply.verdict == "accepted")
        .order_by(TicketReply.at)
    )
    replies = list(accepted.scalars()) or ([ticket.answer] if ticket.answer else [])
    response.headers["Cache-Control"] = "no-store"
    return TrackOut(
        number=ticket.number,
        type=ticket.type,
        title=ticket.title,
        status=ticket.state,
        received_at=ticket.received_at,
        due_at=ticket.due_at,
        closed_at=ticket.closed_at,
        replies=replies,
    )
