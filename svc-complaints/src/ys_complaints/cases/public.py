"""``/api/v1/complaints/public``: the only complaint routes without a token (rate-limited).

An enterprise submits a complaint (real-name or anonymous), tracks it with number + query
code — status and the answers it was given, never anything else — and confirms or disputes
the result. Query codes travel in POST bodies, never in URLs (logs keep URLs).
"""

from typing import Any

from fastapi import Request, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.app import allow, router
from yingshang.auth import public
from yingshang.cases import numbers
from yingshang.cases.rules import system_actor
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.problems import NotFound
from yingshang.ratelimit import limit_per_address
from ys_complaints.cases import actions, intake
from ys_complaints.cases.machine import MACHINE
from ys_complaints.cases.models import CaseNote, ComplaintCase
from ys_complaints.cases.schemas import (
    ComplaintIn,
    NoteIn,
    PublicMessage,
    ReasonIn,
    RespondIn,
    SubmittedOut,
    TrackIn,
    TrackOut,
)
from ys_complaints.cases.vocabulary import (
    PUBLIC_NOTES,
    NoteKind,
    Source,
    State,
    Verdict,
    public_label,
)
from ys_complaints.settings import Settings

api = router("/api/v1/complaints/public", tags=["public"])
ENTERPRISE = system_actor("enterprise")  # the complainant, proven by its query code
LIMITED: dict[int | str, dict[str, Any]] = {429: {"description": "too many requests"}}
UNKNOWN: dict[int | str, dict[str, Any]] = {
    404: {"description": "no case with that number and code"}
}


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@idempotent_post(
    api,
    "/cases",
    response_model=SubmittedOut,
    status_code=201,
    summary="Submit a complaint (public web form; anonymous allowed)",
    responses={**LIMITED, 422: {"description": "invalid complaint"}},
    dependencies=[allow(public())],
)
async def submit(
    body: ComplaintIn, request: Request, session: SessionDep, response: Response
) -> SubmittedOut:
    limit_per_address(request, "submit", _settings(request).public_submit_per_minute)
    origin = intake.Origin(Source.PUBLIC_FORM, "public:web-form")
    made = await intake.register(session, body, intake.identity_of(body), origin)
    return SubmittedOut(number=made.case.number, query_code=made.query_code, state=made.case.state)


async def _find(session: AsyncSession, number: str, code: str) -> ComplaintCase:
    """The case with this number whose query code matches; 404 alike for either mistake."""
    case = (
        await session.execute(select(ComplaintCase).where(ComplaintCase.number == number.strip()))
    ).scalar_one_or_none()
    if case is None or not numbers.query_code_matches(code, case.query_code_hash, salt=case.number):
        raise NotFound("没有与该编号和查询码相符的投诉")
    return case


async def _track(session: AsyncSession, case: ComplaintCase) -> TrackOut:
    rows = await session.scalars(
        select(CaseNote)
        .where(CaseNote.case_id == case.id, CaseNote.kind.in_([k.value for k in PUBLIC_NOTES]))
        .order_by(CaseNote.seq)
    )
    messages = [PublicMessage(kind=NoteKind(r.kind).value, body=r.body, at=r.at) for r in rows]
    return TrackOut(
        number=case.number,
        state=case.state,
        state_label=public_label(State(case.state), case.dispute_count),
        received_at=case.received_at,
        closed_at=case.closed_at,
        messages=messages,
        may_respond=case.state == State.RESOLVED,
    )


@api.post(
    "/track",
    response_model=TrackOut,
    summary="Track a complaint with its number and query code (status and answers)",
    responses={**LIMITED, **UNKNOWN},
    dependencies=[allow(public())],
)
async def track(body: TrackIn, request: Request, session: SessionDep) -> TrackOut:
    limit_per_address(request, "track", _settings(request).public_track_per_minute)
    return await _track(session, await _find(session, body.number, body.query_code))


@api.post(
    "/respond",
    response_model=TrackOut,
    summary="The enterprise confirms the result, or disputes it with a reason",
    responses={**LIMITED, **UNKNOWN, 409: {"description": "no result awaits an answer"}},
    dependencies=[allow(public())],
)
async def respond(body: RespondIn, request: Request, session: SessionDep) -> TrackOut:
    limit_per_address(request, "track", _settings(request).public_track_per_minute)
    case = await _find(session, body.number, body.query_code)
    step = "confirm" if body.verdict is Verdict.CONFIRMED else "dispute"
    position = MACHINE.check(case, step, ENTERPRISE, if_match=MACHINE.etag(case))
    answer = NoteIn(note=body.reason) if step == "confirm" else ReasonIn(note=body.reason or "")
    await actions.perform(session, case, step, answer, ENTERPRISE, position)
    await session.flush()
    return await _track(session, case)
