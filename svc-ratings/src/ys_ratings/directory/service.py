"""The directory: seeded from ``deploy/seed/county.yaml``, then kept current by the gateway's
``ys.gateway.department.*`` and ``ys.gateway.user.*`` events (the gateway owns the live
directory; ARCHITECTURE.md, "Auth and access"; ``yingshang.directory``). The halls (with the
unit running each) and the windows' labels come from the county file only."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.directory import County, Departments, People, read_county, seed_directory
from ys_ratings.directory.models import (
    DEPARTMENT,
    HALL,
    STAFF,
    WINDOW,
    Department,
    DirectoryEntry,
    User,
)
from ys_ratings.ratings.attribution import attribute_hall

Labels = dict[str, dict[str, str]]
DEPARTMENTS = Departments(Department)
PEOPLE = People(User)


@dataclass(frozen=True)
class CountyNames:
    """What ratings seeds from the county file: the directory and the windows' labels."""

    directory: County = field(default_factory=County)
    windows: list[tuple[str, str]] = field(default_factory=list)
    halls: list[tuple[str, str, str]] = field(default_factory=list)  # code, name, its unit
    demo: bool = True  # the demo people too (never in production)


async def labels(session: AsyncSession) -> Labels:
    """``{"department": {"SCJGJ": "市场监督管理局"}, "window": {...}, "staff": {...}}``."""
    windows = await session.execute(
        select(DirectoryEntry.code, DirectoryEntry.name).where(DirectoryEntry.kind == WINDOW)
    )
    return {
        DEPARTMENT: await DEPARTMENTS.names(session),
        WINDOW: dict(windows.all()),
        STAFF: await PEOPLE.names(session),
    }


def _windows(document: dict[str, Any]) -> list[tuple[str, str]]:
    # Approvals names a window "<hall>/<window>" (e.g. HALL_COUNTY/W05).
    return [
        (f"{hall['code']}/{window['code']}", f"{hall['name']} {window['name']}")
        for hall in document.get("halls") or []
        for window in hall.get("windows") or []
    ]


def _halls(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (str(hall["code"]), str(hall["name"]), str(hall["dept"]))
        for hall in document.get("halls") or []
        if hall.get("dept")
    ]


def read_county_names(county_file: Path, *, demo: bool = True) -> CountyNames:
    """The county file's departments, windows and, when ``demo``, its demo people (never in
    production: a real 工号 must not show a demo name in a bulletin)."""
    if not county_file.exists():
        return CountyNames(demo=demo)
    document = yaml.safe_load(county_file.read_text(encoding="utf-8")) or {}
    return CountyNames(read_county(county_file), _windows(document), _halls(document), demo)


async def seed_directory_names(session: AsyncSession, names: CountyNames) -> int:
    """Add what is missing (the events keep it current afterwards); the rows added."""
    people = PEOPLE if names.demo else None
    added = await seed_directory(session, names.directory, DEPARTMENTS, people)
    stmt = select(DirectoryEntry.code).where(DirectoryEntry.kind == WINDOW)
    known = set((await session.scalars(stmt)).all())
    new = [(code, name) for code, name in names.windows if code not in known]
    session.add_all(DirectoryEntry(kind=WINDOW, code=code, name=name) for code, name in new)
    await session.flush()
    return added + len(new) + await _seed_halls(session, names.halls)


async def _seed_halls(session: AsyncSession, halls: list[tuple[str, str, str]]) -> int:
    """A hall learnt here attributes the ratings already stored for its windows (those of
    before the hall was known: this is how rows stored before halls were attributed get it)."""
    stmt = select(DirectoryEntry.code).where(DirectoryEntry.kind == HALL)
    known = set((await session.scalars(stmt)).all())
    new = [hall for hall in halls if hall[0] not in known]
    for code, name, department in new:
        session.add(DirectoryEntry(kind=HALL, code=code, name=name, department=department))
        await session.flush()
        await attribute_hall(session, code, department)
    return len(new)
