"""Keep departments and halls current, and check the codes requests name."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.problems import Invalid
from ys_visits.directory.models import Department, Hall

COUNTY_HALL_DEPT = "HALL"


async def upsert_department(
    session: AsyncSession, code: str, name: str, kind: str, *, active: bool = True
) -> Department:
    dept = await session.get(Department, code)
    if dept is None:
        dept = Department(code=code, name=name, kind=kind, active=active)
        session.add(dept)
    else:
        dept.name, dept.kind, dept.active = name, kind, active
    await session.flush()
    return dept


async def add_missing_departments(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Seed: add the departments the directory lacks; never overwrite the live directory."""
    known = set((await session.scalars(select(Department.code))).all())
    session.add_all(
        Department(code=r["code"], name=r["name"], kind=r["kind"], active=True)
        for r in rows
        if r["code"] not in known
    )
    await session.flush()


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
    dept = await session.get(Department, code)
    if dept is None or not dept.active:
        raise Invalid(f"{code} is not an active department of the county", field=field)
    return dept


async def require_hall(session: AsyncSession, code: str, *, field: str = "hall") -> Hall:
    hall = await session.get(Hall, code)
    if hall is None:
        raise Invalid(f"{code} is not a service hall of the county", field=field)
    return hall


async def halls(session: AsyncSession) -> list[Hall]:
    return list((await session.execute(select(Hall).order_by(Hall.code))).scalars())
