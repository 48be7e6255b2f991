"""``POST /api/v1/hotline/tickets/{id}/<action>``: every step of the loop, If-Match required.

Access: any staff may call; the ticket decides (404 when it is hidden from you, 403 when your
position may not take the step — e.g. only the head of the assigned department signs).
"""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, Principal, staff
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.db import SessionDep
from ys_hotline.tickets import actions, followup, queries, schemas
from ys_hotline.tickets.machine import label
from ys_hotline.tickets.models import CASE_KIND, Ticket

api = router("/api/v1/hotline/tickets", tags=["ticket actions"])
ERRORS: dict[int | str, dict[str, str]] = {
    403: {"description": "your position may not take this step"},
    404: {"description": "no such ticket (or hidden from you)"},
    409: {"description": "not possible in the ticket's current state"},
    412: {"description": "the ticket changed since you read it"},
    428: {"description": "If-Match missing"},
}
Handler = Callable[[AsyncSession, uuid.UUID, Any, Principal, str | None], Awaitable[Ticket]]


def _simple(name: str) -> Handler:
    async def run(
        session: AsyncSession, ticket_id: uuid.UUID, body: Any, who: Principal, etag: str | None
    ) -> Ticket:
        return await actions.simple(session, ticket_id, name, body, who, etag)

    return run


# path → (request body, domain function, the machine's action that names it)
ROUTES: dict[str, tuple[type[BaseModel], Handler, str]] = {
    "answer": (schemas.AnswerIn, actions.answer, "answer"),
    "dispatch": (schemas.DispatchIn, actions.dispatch, "dispatch"),
    "sign": (schemas.NoteIn, actions.sign, "sign"),
    "contact": (schemas.NoteIn, _simple("contact"), "contact"),
    "reply": (schemas.ReplyIn, actions.reply, "reply"),
    "review": (schemas.DecisionIn, actions.review, "accept"),
    "return": (schemas.ReasonIn, actions.return_ticket, "return"),
    "return-review": (schemas.DecisionIn, actions.review_return, "approve_return"),
    "extension": (schemas.ExtensionIn, followup.request_extension, "request_extension"),
    "extension-decision": (schemas.DecisionIn, followup.decide_extension, "decide_extension"),
    "urge": (schemas.UrgeIn, followup.urge, "urge"),
    "revisit": (schemas.RevisitIn, followup.revisit, "revisit"),
    "reopen": (schemas.ReasonIn, followup.reopen, "reopen"),
    "archive": (schemas.NoteIn, followup.archive, "archive"),
    "merge": (schemas.MergeIn, followup.merge, "merge"),
    "transfer": (schemas.TransferIn, followup.transfer, "transfer"),
}


def _register(path: str, body_model: type[BaseModel], handler: Handler, action: str) -> None:
    async def endpoint(
        ticket_id: uuid.UUID,
        body: body_model,  # type: ignore[valid-type]
        response: Response,
        session: SessionDep,
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> schemas.TicketOut:
        ticket = await handler(session, ticket_id, body, principal, if_match)
        await session.flush()  # bumps the version the ETag names
        set_etag(response, ticket, CASE_KIND)
        return await queries.detail(session, ticket, principal)

    endpoint.__name__ = f"ticket_{path.replace('-', '_')}"
    api.post(
        f"/{{ticket_id}}/{path}",
        response_model=schemas.TicketOut,
        summary=f"{label(action)} ({path})",
        responses=ERRORS,
        dependencies=[allow(staff())],
    )(endpoint)


for _path, (_model, _handler, _action) in ROUTES.items():
    _register(_path, _model, _handler, _action)
