"""Public lookup of an application by number + 查询码: status only, rate-limited."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from yingshang.app import allow, router
from yingshang.auth import public
from yingshang.cases import numbers
from yingshang.db import SessionDep
from yingshang.problems import NotFound
from ys_approvals.applications.intake import find_by_number
from ys_approvals.applications.machine import STATUS_LABELS
from ys_approvals.applications.schemas import PublicStatusOut
from ys_approvals.ratelimit import client_key

api = router("/api/v1/approvals/public", tags=["public"])


@api.get(
    "/applications/{number}",
    response_model=PublicStatusOut,
    summary="Status of an application (number + query code); a wrong code answers 404",
    dependencies=[allow(public())],
    responses={
        404: {"description": "no such application"},
        429: {"description": "too many lookups"},
    },
)
async def lookup(
    number: str,
    request: Request,
    session: SessionDep,
    query_code: Annotated[str, Query(min_length=4, max_length=16)],
) -> PublicStatusOut:
    request.app.state.lookup_limiter.take(client_key(request))
    try:
        app = await find_by_number(session, number)
        matches = numbers.query_code_matches(query_code, app.query_code_hash, salt=app.number)
    except (NotFound, ValueError):
        matches = False
    if not matches:
        raise NotFound("no application with that number and query code")
    return PublicStatusOut(
        number=app.number,
        item_name=app.item_name,
        status=app.state,
        status_label=STATUS_LABELS[app.state],
        submitted_at=app.submitted_at,
        due_at=app.due_at,
        finished_at=app.finished_at,
    )
