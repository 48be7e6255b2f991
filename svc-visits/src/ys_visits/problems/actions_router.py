"""``POST /api/v1/visits/problems/{id}/<step>``: every step of a problem, If-Match required.

Access: any staff may call; the problem decides (404 when it is hidden from you, 403 when your
position may not take the step — e.g. only the department's head signs for it (签收), only the
bureau closes without the enterprise).
"""

import uuid

from fastapi import Response
from pydantic import BaseModel

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.db import SessionDep
from ys_visits.access import ANY_STAFF
from ys_visits.deps import PREFIX, WRITE_ERRORS
from ys_visits.problems import actions, service
from ys_visits.problems import schemas as s
from ys_visits.problems.machine import label
from ys_visits.problems.models import KIND

api = router(f"{PREFIX}/problems", tags=["problem steps"])
STEPS: dict[str, type[BaseModel]] = {
    "assign": s.AssignIn,
    "sign": s.NoteIn,
    "return": s.ReasonIn,
    "contact": s.ContactIn,
    "propose": s.ProposeIn,
    "progress": s.ProgressIn,
    "solve": s.SolveIn,
    "confirm": s.ConfirmIn,
    "dispute": s.ReasonIn,
    "accept": s.NoteIn,
    "reject": s.ReasonIn,
    "override_close": s.ReasonIn,
}


def _register(step: str, body_model: type[BaseModel]) -> None:
    async def endpoint(
        problem_id: uuid.UUID,
        body: body_model,  # type: ignore[valid-type]
        response: Response,
        session: SessionDep,
        principal: CurrentPrincipal,
        if_match: IfMatch = None,
    ) -> s.ProblemDetail:
        problem = await actions.act(session, problem_id, step, body, principal, if_match)
        set_etag(response, problem, KIND)
        return await service.detail(session, problem, principal)

    endpoint.__name__ = f"problem_{step}"
    api.post(
        f"/{{problem_id}}/{step.replace('_', '-')}",
        response_model=s.ProblemDetail,
        summary=f"{label(step)} ({step})",
        responses=WRITE_ERRORS,
        dependencies=[allow(ANY_STAFF)],
    )(endpoint)


for _step, _model in STEPS.items():
    _register(_step, _model)
