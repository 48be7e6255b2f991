"""Public lookup of an application by number + 查询码: its status (and, waiting for 补正, what
to supply), rate-limited."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.app import allow, router
from yingshang.auth import public
from yingshang.cases import numbers, timeline
from yingshang.cases.numbers import normalise_application_number
from yingshang.db import SessionDep
from yingshang.problems import NotFound
from ys_approvals.applications.intake import find_by_number
from ys_approvals.applications.machine import STATUS_LABELS
from ys_approvals.applications.models import CASE_KIND, Application
from ys_approvals.applications.schemas import PublicStatusOut, PublicSupplementOut
from ys_approvals.applications.service import pauses_of
from ys_approvals.ratelimit import client_key

api = router("/api/v1/approvals/public", tags=["public"])


RESPONSES: dict[int | str, dict[str, str]] = {
    404: {"description": "no such application"},
    429: {"description": "too many lookups"},
}


# 办件编号 as typed (any case, full-width, spaces around), stored form after validation
TypedNumber = AfterValidator(normalise_application_number)


class TrackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: Annotated[
        str,
        Field(min_length=5, max_length=80, description="办件编号 (item code + date + n)"),
        TypedNumber,
    ]
    query_code: str = Field(min_length=4, max_length=16)


@api.post(
    "/applications/track",
    response_model=PublicStatusOut,
    summary="Status of an application (number + query code in the body); a wrong code is 404",
    dependencies=[allow(public())],
    responses=RESPONSES,
)
async def track(body: TrackIn, request: Request, session: SessionDep) -> PublicStatusOut:
    """The query code travels in the body: it stays out of URLs, browser history and access
    logs (the hotline's and the complaints center's tracking work the same way)."""
    return await _status(request, session, body.number, body.query_code)


@api.get(
    "/applications/{number}",
    response_model=PublicStatusOut,
    summary="Status of an application (number + query code); prefer POST /applications/track",
    description="Kept for callers of the first version: the query code in the URL ends up in "
    "logs and browser history. POST /applications/track takes it in the body.",
    dependencies=[allow(public())],
    responses=RESPONSES,
    deprecated=True,
)
async def lookup(
    number: Annotated[
        str,
        Path(min_length=5, max_length=80, description="办件编号 as typed, like the body of track"),
        TypedNumber,
    ],
    request: Request,
    session: SessionDep,
    query_code: Annotated[str, Query(min_length=4, max_length=16)],
) -> PublicStatusOut:
    return await _status(request, session, number, query_code)


async def _status(
    request: Request, session: AsyncSession, number: str, query_code: str
) -> PublicStatusOut:
    request.app.state.lookup_limiter.take(client_key(request))
    try:
        app = await find_by_number(session, number)
        matches = numbers.query_code_matches(query_code, app.query_code_hash, salt=app.number)
    except (NotFound, ValueError):
        matches = False
    if not matches:
        raise NotFound("没有与该编号和查询码相符的办件")
    return PublicStatusOut(
        number=app.number,
        item_name=app.item_name,
        status=app.state,
        status_label=STATUS_LABELS[app.state],
        submitted_at=app.submitted_at,
        due_at=app.due_at,
        delivery_due_at=app.delivery_due_at,
        pickup_ready_at=app.pickup_ready_at,
        finished_at=app.finished_at,
        supplement=await _supplement(session, app),
    )


async def _supplement(session: AsyncSession, app: Application) -> PublicSupplementOut | None:
    """What the waiting 补正 asks for: at intake the missing materials and the note of the one
    notice (its timeline step; none when told at 收件), in review the open round's request."""
    if app.state == "awaiting_materials":
        notices = [
            e
            for e in await timeline.entries(session, CASE_KIND, app.id)
            if e.action == "request_materials"
        ]
        return PublicSupplementOut(
            stage="intake",
            materials=app.missing_materials,
            note=notices[-1].note if notices else None,
            requested_at=app.intake_notice_at,
        )
    if app.state == "review_supplement":
        open_rounds = [
            p
            for p in await pauses_of(session, app)
            if p.kind == "review_supplement" and p.ended_at is None
        ]
        if open_rounds:
            last = open_rounds[-1]
            return PublicSupplementOut(
                stage="review",
                materials=last.requested,
                note=last.note,
                requested_at=last.started_at,
            )
    return None
