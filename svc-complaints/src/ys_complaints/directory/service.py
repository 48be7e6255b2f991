"""Keep the local department list current (seed file at start, gateway events after)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.problems import Invalid
from ys_complaints.directory.models import Department


async def upsert(
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


async def add_missing(session: AsyncSession, code: str, name: str, kind: str) -> None:
    """Seed: add a department the database lacks (names kept current by the gateway's events)."""
    if await session.get(Department, code) is None:
        await upsert(session, code, name, kind)


async def require(session: AsyncSession, code: str, *, field: str) -> Department:
    """A known, active department or town; 422 naming ``field`` otherwise."""
    dept = await session.get(Department, code)
    if dept is None or not dept.active:
        raise Invalid(f"{code!r} is not a department or town of the county", field=field)
    return dept


async def names(session: AsyncSession) -> dict[str, str]:
    rows = await session.execute(select(Department.code, Department.name))
    return {row.code: row.name for row in rows}
