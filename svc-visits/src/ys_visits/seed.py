"""Idempotent default data: departments and halls (deploy/seed/county.yaml), the time-limit
policies, and (outside production) a few demo enterprises and pairings and the demo county's
indicators with their owners (指标长). Adds what is missing; never overwrites what an admin,
the bureau or the live directory changed."""

import asyncio
import logging
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Position, Principal
from yingshang.db import Database
from yingshang.directory import County, seed_directory
from yingshang.time.policies import seed_policies
from ys_visits.clocks import SERVICE
from ys_visits.directory import service as directory
from ys_visits.enterprises import service as enterprises
from ys_visits.enterprises.models import Enterprise
from ys_visits.enterprises.schemas import EnterpriseIn
from ys_visits.indicators import service as indicators
from ys_visits.indicators.models import Indicator
from ys_visits.indicators.schemas import IndicatorIn
from ys_visits.pairings import service as pairings
from ys_visits.pairings.schemas import PairingIn
from ys_visits.policies import default_policies
from ys_visits.seed_data import (
    DEMO_ENTERPRISES,
    DEMO_INDICATORS,
    DEMO_PAIRINGS,
    FALLBACK_COUNTY,
)
from ys_visits.settings import Settings

log = logging.getLogger("ys_visits.seed")
SEEDER = Principal(
    sub="system:seed", name="system:seed", positions=(Position("ENTERPRISE_CENTER", "admin"),)
)


def read_county(path: Path) -> dict[str, Any]:
    """The county file, or the built-in organisation when a bare checkout lacks it."""
    if not path.is_file():
        log.warning("seed file %s missing: using the built-in departments and halls", path)
        return FALLBACK_COUNTY
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        "departments": document.get("departments") or FALLBACK_COUNTY["departments"],
        "halls": document.get("halls") or FALLBACK_COUNTY["halls"],
        "people": document.get("demo_users") or FALLBACK_COUNTY["people"],
    }


async def seed(
    session: AsyncSession, county_file: Path, *, demo: bool = False, people: bool | None = None
) -> None:
    """``people``: the county file's demo people too (default: with the demo data; never in
    production, where a real 工号 must not carry a demo name)."""
    await seed_policies(session, SERVICE, default_policies())
    county = await asyncio.to_thread(read_county, county_file)
    known = directory.PEOPLE if (demo if people is None else people) else None
    found = County(county["departments"], county["people"])
    await seed_directory(session, found, directory.DEPARTMENTS, known)
    await directory.add_missing_halls(session, county["halls"])
    if demo and not await session.scalar(select(func.count()).select_from(Enterprise)):
        await _seed_demo(session)
    if demo:
        await _seed_indicators(session)


async def _seed_demo(session: AsyncSession) -> None:
    ids = {}
    for entry in DEMO_ENTERPRISES:
        row = await enterprises.register(session, EnterpriseIn.model_validate(entry), SEEDER)
        ids[row.uscc] = row.id
    for entry in DEMO_PAIRINGS:
        body = {**entry, "enterprise_id": ids[entry["uscc"]]}
        del body["uscc"]
        await pairings.create(session, PairingIn.model_validate(body), SEEDER)


async def _seed_indicators(session: AsyncSession) -> None:
    """The indicators whose code is not known yet (an edited one stays as the bureau left it)."""
    known = set((await session.scalars(select(Indicator.code))).all())
    for entry in DEMO_INDICATORS:
        if entry["code"] not in known:
            await indicators.create(session, IndicatorIn.model_validate(entry), SEEDER)


async def seed_on_start(db: Database, settings: Settings) -> None:
    """The start-up seed (``yingshang.seeding``): policies, departments and halls always (a
    production county needs its time limits before its first pairing); the demo enterprises
    and pairings outside production (real ones come from the center's staff)."""
    production = settings.env == "production"
    demo = settings.seed_demo and not production
    async with db.write() as session:
        await seed(session, settings.county_file, demo=demo, people=not production)
