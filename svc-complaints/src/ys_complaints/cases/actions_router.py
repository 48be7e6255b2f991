"""``POST /api/v1/complaints/cases/{id}/<step>``: every step of the flow, If-Match required.

Access: any staff may call; the case decides (404 when it is hidden from you, 403 when your
position may not take the step — e.g. only the head of the responsible unit replies).
"""

import uuid
from typing import Any

from fastapi import Response
from pydantic import BaseModel

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, staff
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.db import SessionDep
from ys_complaints.cases import actions, views
from ys_complaints.cases import schemas as s
from ys_complaints.cases.machine import MACHINE, label
from ys_complaints.cases.models import CASE_KIND

api = router("/api/v1/complaints", tags=["case steps"])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "your position may not take this step"},
    404: {"description": "no such case (or hidden from you)"},
    409: {"description": "not possible in the case's current state"},
    412: {"description": "the case changed since you read it"},
    422: {"description": "invalid body"},
    428: {"description": "If-Match missing"},
}
# path → (request body, the step it takes)
STEPS: dict[str, type[BaseModel]] = {
    "accept": s.AcceptIn,
    "reject": s.RejectIn,
    "assign": s.AssignIn,
    "investigate": s.ReasonIn,
    "reply": s.ReplyIn,
    "send_back": s.ReasonIn,
    "resolve": s.ResolveIn,
    "confirm": s.NoteIn,
    "dispute": s.ReasonIn,
    "revisit": s.ReasonIn,
    "reopen": s.ReasonIn,
    "close": s.ReasonIn,
    "check_back": s.CheckBackIn,
    "urge": s.ReasonIn,
}


def _register(step: str, body_model: type[BaseModel]) -> None:
    async def endpoint(
        case_id: uuid.UUID,
        body: body_model,  # type: ignore[valid-type]
        response: Response,
        session: SessionDep,
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> s.CaseOut:
        case = await actions.act(session, case_id, step, body, principal, if_match)
        await session.flush()  # bumps the version the ETag names
        set_etag(response, case, CASE_KIND)
        return await views.detail(session, case, principal)

    endpoint.__name__ = f"case_{step}"
    api.post(
        f"/cases/{{case_id}}/{step.replace('_', '-')}",
        response_model=s.CaseOut,
        summary=f"{label(step)} ({step})",
        responses=ERRORS,
        dependencies=[allow(staff())],
    )(endpoint)


for _step, _model in STEPS.items():
    _register(_step, _model)


@api.get(
    "/machine",
    summary="The case flow as data: states, steps, who may take them",
    dependencies=[allow(staff())],
)
async def case_machine() -> dict[str, Any]:
    return MACHINE.as_dict()
