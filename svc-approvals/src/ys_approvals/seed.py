"""Idempotent seed: the default time-limit policies, the departments and the halls and windows
of the county file in every mode (ARCHITECTURE.md: one source of organisation data, every
service's seed reads it); outside production also the demo catalog, the 开办企业 package, the
demo windows' items and seated clerks, and disclosure samples."""

from __future__ import annotations

import asyncio
import logging
import zlib
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Position, Principal
from yingshang.db import Database
from yingshang.directory import County, seed_directory
from yingshang.time.policies import seed_policies
from ys_approvals import seed_data
from ys_approvals.catalog.codes import implementation_code, organ_uscc
from ys_approvals.catalog.models import ServiceItem
from ys_approvals.catalog.schemas import ItemCreate
from ys_approvals.catalog.service import create_item, find_by_code
from ys_approvals.directory.service import DEPARTMENTS
from ys_approvals.disclosure.models import DisclosureDocument
from ys_approvals.disclosure.schemas import DocumentIn, PowerIn
from ys_approvals.disclosure.service import publish_document, publish_power
from ys_approvals.halls.models import Hall, Window, WindowItem, WindowSchedule
from ys_approvals.packages.models import ItemPackage
from ys_approvals.packages.schemas import PackageIn
from ys_approvals.packages.service import create_package
from ys_approvals.settings import Settings

log = logging.getLogger("ys_approvals.seed")
SEEDER = Principal(sub="system:seed", name="system:seed", positions=(Position("BUREAU", "admin"),))
TOWN_HALL_WEEKDAYS = range(5)


def department_uscc(code: str) -> str:
    """A stable, valid USCC per department code (seed data only)."""
    return organ_uscc(zlib.crc32(code.encode()) % 90_000_000 + 10_000_000)


def item_code(entry: dict[str, Any]) -> str:
    return implementation_code(department_uscc(entry["department"]), 1, entry["no"])


def read_county(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {"halls": seed_data.BUILTIN_HALLS}
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data if data.get("halls") else {**data, "halls": seed_data.BUILTIN_HALLS}


async def seed(session: AsyncSession, county: dict[str, Any], *, demo: bool = True) -> None:
    """The time-limit policies, the departments and the county's halls and windows always (a
    production county needs them before its first item, its first application and its first
    clerk's seat); the demo catalogue, packages, window items, clerks and disclosure outside
    production."""
    await seed_policies(session, "approvals", seed_data.POLICIES)
    departments = county.get("departments") or seed_data.BUILTIN_DEPARTMENTS
    await seed_directory(session, County(departments), DEPARTMENTS)
    codes: dict[str, str] | None = None
    if demo:
        codes = await _seed_items(session)
        await _seed_packages(session, codes)
    await _seed_halls(session, county["halls"], codes)
    if demo:
        await _seed_disclosure(session)


async def _seed_items(session: AsyncSession) -> dict[str, str]:
    codes = {}
    for entry in seed_data.ITEMS:
        code = codes[entry["key"]] = item_code(entry)
        if await find_by_code(session, code) is None:
            fields = {k: v for k, v in entry.items() if k not in ("key", "no")}
            await create_item(session, ItemCreate(code=code, **fields), SEEDER)
    return codes


async def _seed_packages(session: AsyncSession, codes: dict[str, str]) -> None:
    for entry in seed_data.PACKAGES:
        found = await session.execute(
            select(ItemPackage.id).where(ItemPackage.code == entry["code"])
        )
        if found.first() is not None:
            continue
        waivers = [{"item_code": codes[k], "waiver": w} for k, w in entry["fee_waivers"].items()]
        body = PackageIn(
            **{k: v for k, v in entry.items() if k not in ("items", "fee_waivers")},
            item_codes=[codes[k] for k in entry["items"]],
            fee_waivers=waivers,
        )
        await create_package(session, body, SEEDER)


async def _seed_halls(
    session: AsyncSession, halls: list[dict[str, Any]], codes: dict[str, str] | None
) -> None:
    """The halls and windows not there yet, with their opening hours. ``codes`` (the demo
    items, outside production): the county hall's dedicated windows take theirs and the demo
    clerks are seated; without, comprehensive windows take any item and no one sits yet (the
    hall's head assigns items and 工号 through the API)."""
    demo, demo_codes = codes is not None, codes or {}
    items = {i.code: i.id for i in (await session.execute(select(ServiceItem))).scalars()}
    for spec in halls:
        if (await session.execute(select(Hall.id).where(Hall.code == spec["code"]))).first():
            continue
        county = spec["dept"] == "HALL"
        hall = Hall(
            code=spec["code"],
            name=spec["name"],
            department=spec["dept"],
            kind="county" if county else "town",
            seven_day=county,
        )
        session.add(hall)
        await session.flush()
        for w in spec.get("windows", []):
            dedicated = seed_data.WINDOW_ITEMS.get(w["code"]) if county and demo else None
            window = Window(
                hall_id=hall.id,
                code=w["code"],
                name=w["name"],
                kind=w["kind"],
                accepts_all=w["kind"] in seed_data.COMPREHENSIVE_KINDS and not dedicated,
                clerks=[str(c) for c in w.get("clerks") or []] if demo else [],  # demo seats
            )
            session.add(window)
            await session.flush()
            for key in dedicated or []:
                session.add(WindowItem(window_id=window.id, item_id=items[demo_codes[key]]))
            session.add_all(_schedule(window, seven_day=county))
    await session.flush()


def _schedule(window: Window, *, seven_day: bool) -> list[WindowSchedule]:
    """Mon–Fri office hours, 延时服务 until 19:00 at intake windows, and weekend mornings and
    afternoons in the county hall (七天工作制)."""
    rows = []
    for day in range(7 if seven_day else 5):
        rows.append(WindowSchedule(window_id=window.id, weekday=day, start="09:00", end="12:00"))
        rows.append(WindowSchedule(window_id=window.id, weekday=day, start="13:30", end="17:30"))
        if day < 5 and window.kind == "intake":
            rows.append(
                WindowSchedule(
                    window_id=window.id, weekday=day, start="17:30", end="19:00", extended=True
                )
            )
    return rows


async def _seed_disclosure(session: AsyncSession) -> None:
    if (await session.execute(select(func.count(DisclosureDocument.id)))).scalar_one():
        return
    for doc in seed_data.DOCUMENTS:
        await publish_document(session, DocumentIn(**doc), SEEDER)
    for power in seed_data.POWERS:
        await publish_power(session, PowerIn(**power), SEEDER)


async def seed_on_start(db: Database, settings: Settings) -> None:
    """The start-up seed (``yingshang.seeding``): the default policies and the county's halls
    always, the demo catalogue and its windows outside production (real items come from
    admins). The county file is read before the write transaction opens."""
    county = await asyncio.to_thread(read_county, settings.county_file)
    async with db.write() as session:
        await seed(session, county, demo=settings.env != "production")
