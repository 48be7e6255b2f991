"""Keep departments, people and halls current, and check the codes and 工号 requests name.

Departments and people are the county directory's (``yingshang.directory``: seed file at
start, the gateway's events after); halls come from the seed file."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.directory import Departments, People
from yingshang.problems import Invalid
from ys_visits.directory.models import Department, Hall, User

COUNTY_HALL_DEPT = "HALL"
DEPARTMENTS = Departments(Department)
PEOPLE = People(User)


async def add_missing_halls(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Seed: add the halls (code, name, dept) not known yet."""
    known = set((await session.scalars(select(Hall.code))).all())
    session.add_all(
        Hall(code=r["code"], name=r["name"], department=r["dept"], kind=_hall_kind(r["dept"]))
        for r in rows
        if r["code"] not in known
    )
    await session.flush()


def _hall_kind(department: str) -> str:
    return "county" if department == COUNTY_HALL_DEPT else "town"


async def require_department(session: AsyncSession, code: str, *, field: str) -> Department:
    """The active department ``code``, or a 422 naming ``field``."""
    return await DEPARTMENTS.require(session, code, field=field)


async def require_staff(session: AsyncSession, staff_no: str | None, *, field: str) -> None:
    """A 工号 a pairing, a duty sitting or an indicator names is an active person's (422
    ``unknown-staff``);
    none named is fine (a leader who does not log in)."""
    if staff_no is not None:
        await PEOPLE.require(session, staff_no, field=field)


async def require_hall(session: AsyncSession, code: str, *, field: str = "hall") -> Hall:
    hall = await session.get(Hall, code)
    if hall is None:
        raise Invalid(f"{code} 不是本县的政务服务大厅", field=field)
    return hall


async def halls(session: AsyncSession) -> list[Hall]:
    return list((await session.execute(select(Hall).order_by(Hall.code))).scalars())
