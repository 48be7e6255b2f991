"""Idempotent default data: the national indicator sets, rating policies and the time limit
of rectifications (DOMAIN.md defaults; an admin's later edits are never overwritten).

Run by the app at every start-up, production included (it holds no demo data); also
``python -m ys_ratings.seed``.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.db import Database, seed_lock
from yingshang.time.policies import seed_policies as seed_time_policies
from ys_ratings.directory.service import CountyNames, read_county_names, seed_directory_names
from ys_ratings.indicators.service import seed_national
from ys_ratings.invitations.policies import seed_policies
from ys_ratings.rectifications.machine import CASE_KIND
from ys_ratings.rectifications.service import STAGE
from ys_ratings.settings import Settings

log = logging.getLogger("ys_ratings.seed")

# 差评整改: rectification within 15 working days by default (DOMAIN.md, Ratings); overdue
# rectifications escalate along the default ladder (L1 head, L2 bureau, L3 committee).
TIME_POLICIES = [
    {
        "case_kind": CASE_KIND,
        "stage": STAGE,
        "amount": 15,
        "unit": "working_days",
        "description": "差评整改时限(默认15个工作日)",
    },
]


async def seed(session: AsyncSession, directory: CountyNames) -> dict[str, int]:
    await seed_lock(session)  # replicas starting together take turns
    return {
        "indicator_sets": await seed_national(session),
        "rating_policies": await seed_policies(session),
        "time_policies": await seed_time_policies(session, "ratings", TIME_POLICIES),
        "directory": await seed_directory_names(session, directory),
    }


async def seed_on_start(db: Database, settings: Settings) -> dict[str, int]:
    """The start-up seed (``yingshang.seeding``): defaults, production included (without the
    county file's demo people)."""
    return await seed_database(db, settings.county_file, demo=settings.env != "production")


async def seed_database(
    db: Database, county_file: Path | None = None, *, demo: bool = True
) -> dict[str, int]:
    """Defaults, plus the names of departments, windows and (``demo``) the demo staff from
    ``county.yaml``."""
    names = (
        await asyncio.to_thread(read_county_names, county_file, demo=demo)
        if county_file
        else CountyNames(demo=demo)
    )
    async with db.write() as session:
        return await seed(session, names)


def main() -> None:  # pragma: no cover - operator command
    settings = Settings()
    db = Database(settings.db_url())

    async def run() -> None:
        try:
            demo = settings.env != "production"
            log.warning("seeded: %s", await seed_database(db, settings.county_file, demo=demo))
        finally:
            await db.dispose()

    asyncio.run(run())


if __name__ == "__main__":  # pragma: no cover
    main()
