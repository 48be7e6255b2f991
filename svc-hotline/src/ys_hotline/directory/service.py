"""Keep the local department list current (seed file at start, gateway events after)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ys_hotline.directory.models import Department


async def upsert(session: AsyncSession, code: str, name: str, kind: str) -> Department:
    dept = await session.get(Department, code)
    if dept is None:
        dept = Department(code=code, name=name, kind=kind)
        session.add(dept)
    else:
        dept.name, dept.kind = name, kind
    await session.flush()
    return dept


async def listing(session: AsyncSession) -> list[Department]:
    rows = await session.execute(select(Department).order_by(Department.code))
    return list(rows.scalars())


async def names(session: AsyncSession) -> dict[str, str]:
    return {d.code: d.name for d in await listing(session)}
