"""Keep departments and halls current, and check the codes requests name."""

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


async def add_missing_department(session: AsyncSession, code: str, name: str, kind: str) -> None:
    """Seed: add a department the directory lacks; never overwrite the live directory."""
    if await session.get(Department, code) is None:
        session.add(Department(code=code, name=name, kind=kind, active=True))
        await session.flush()


async def add_missing_hall(session: AsyncSession, code: str, name: str, department: str) -> None:
    if await session.get(Hall, code) is None:
        kind = "county" if department == COUNTY_HALL_DEPT else "town"
        session.add(Hall(code=code, name=name, department=department, kind=kind))
        await session.flush()


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
