"""B2's floor: the hotline app with the intake route's plumbing and no intake work.

``uvicorn --factory floor_app:create_floor_app --app-dir bench`` serves the real hotline app
(``ys_hotline.app.create_app``: middleware, token verification, background relay, consumers
and sweeper) plus one route, ``POST /api/v1/hotline/floor``, declared exactly as the intake
route is — the same ``TicketIn`` body validation, ``allow(INTAKE)`` access rule, Idempotency-Key
claim and stored response, grouped write transaction with its savepoint and commit, and the
``CreatedOut`` answer serialised by FastAPI — whose endpoint answers from memory: the first
call takes a real ticket (the intake route's own endpoint), every later one returns that
answer again. The rate this route reaches is what one worker can do when the intake costs
nothing, so a ticket's cost splits into the route's plumbing (this) and the intake's own work
(B2 minus this; the relay's publishing of a ticket's events counts as the intake's, the floor
writes none). Measured by ``b2_tickets.py``; a figure without a target, never a substitute
for B2.

The route is put first among the app's routes: FastAPI tries routes in order, and the real
intake route sits near the front, so the floor pays no more for finding its route than the
intake does.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Request, Response

from yingshang.app import allow, router
from yingshang.auth import Principal
from yingshang.idempotency import idempotent_post
from ys_hotline.app import create_app
from ys_hotline.tickets.router import INTAKE, create_ticket
from ys_hotline.tickets.schemas import CreatedOut, TicketIn

FLOOR_PATH = "/api/v1/hotline/floor"


def create_floor_app() -> FastAPI:
    app = create_app()
    api = router(FLOOR_PATH)
    answered: list[CreatedOut] = []

    @idempotent_post(api, "", response_model=CreatedOut, status_code=201)
    async def floor(
        body: TicketIn,
        request: Request,
        response: Response,
        principal: Annotated[Principal, allow(INTAKE)],
    ) -> CreatedOut:
        if answered:
            return answered[0]
        answer = await create_ticket(body, request, response, principal)  # the real intake
        answered.append(answer)
        return answer

    app.include_router(api)
    app.router.routes.insert(0, app.router.routes.pop())  # tried first (see above)
    return app
