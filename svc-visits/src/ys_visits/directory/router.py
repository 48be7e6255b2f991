"""``/api/v1/visits/halls``, ``/departments`` and ``/machines``: reference data for the console."""

from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from yingshang.app import allow, router
from yingshang.db import SessionDep
from ys_visits.access import ANY_STAFF
from ys_visits.deps import PREFIX
from ys_visits.directory import service
from ys_visits.directory.models import Department
from ys_visits.duty.machine import MACHINE as DUTY
from ys_visits.pairings.machine import MACHINE as PAIRING
from ys_visits.problems.machine import MACHINE as PROBLEM

api = router(PREFIX, tags=["reference"])


class HallOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    department: str
    kind: str


class DepartmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: str
    active: bool


@api.get(
    "/halls",
    response_model=list[HallOut],
    summary="Service halls where leaders sit on duty",
    dependencies=[allow(ANY_STAFF)],
)
async def list_halls(session: SessionDep) -> list[HallOut]:
    return [HallOut.model_validate(h) for h in await service.halls(session)]


@api.get(
    "/departments",
    response_model=list[DepartmentOut],
    summary="Departments problems can be handed to",
    dependencies=[allow(ANY_STAFF)],
)
async def list_departments(session: SessionDep) -> list[DepartmentOut]:
    rows = await session.execute(select(Department).order_by(Department.code))
    return [DepartmentOut.model_validate(d) for d in rows.scalars()]


@api.get(
    "/machines",
    summary="The life cycles of pairings, problems and duty sittings, as data",
    dependencies=[allow(ANY_STAFF)],
)
async def machines() -> dict[str, Any]:
    return {m.kind: m.as_dict() for m in (PAIRING, PROBLEM, DUTY)}
