"""The service's migrations build exactly the tables its models describe (no drift), and the
seed is idempotent (a second run adds nothing, demo data included), a bare checkout's too."""

from pathlib import Path

from sqlalchemy import func, select

from yingshang.db import Database
from yingshang.testing.drift import schema_drift
from yingshang.testing.plugin import MigratedDb
from yingshang.time.models import Policy
from ys_visits.app import SERVICE_DIR
from ys_visits.directory.models import Department, Hall
from ys_visits.enterprises.models import Enterprise
from ys_visits.indicators.models import Indicator
from ys_visits.models import Base, load_models
from ys_visits.pairings.models import Pairing
from ys_visits.seed import seed
from ys_visits.settings import Settings


async def test_migrations_match_the_models(migrated_db: MigratedDb) -> None:
    load_models()
    drift = await schema_drift(
        migrated_db(SERVICE_DIR), Base.metadata, lambda name: name.startswith("visits_")
    )
    assert drift == []


async def _counts(db: Database) -> list[int]:
    async with db.read() as session:
        return [
            int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (Department, Hall, Policy, Enterprise, Pairing, Indicator)
        ]


async def test_seed_is_idempotent(migrated_db: MigratedDb, tmp_path: Path) -> None:
    db = Database(migrated_db(SERVICE_DIR))
    try:
        for _ in range(2):
            async with db.write() as session:
                await seed(session, Settings().county_file, demo=True)
        departments, halls, policies, enterprises, pairings, indicators = await _counts(db)
        assert (policies, enterprises, pairings, indicators) == (6, 4, 3, 18)
        assert departments > 40  # deploy/seed/county.yaml
        assert halls == 6
        async with db.write() as session:  # a bare checkout: the built-in organisation
            await seed(session, tmp_path / "missing.yaml")
        assert await _counts(db) == [
            departments, halls, policies, enterprises, pairings, indicators]  # fmt: skip
    finally:
        await db.dispose()


async def test_a_bare_checkout_seeds_the_demo_indicators(
    migrated_db: MigratedDb, tmp_path: Path
) -> None:
    """Without the county file the built-in organisation holds every unit they name."""
    db = Database(migrated_db(SERVICE_DIR))
    try:
        async with db.write() as session:
            await seed(session, tmp_path / "missing.yaml", demo=True)
        assert (await _counts(db))[-1] == 18
    finally:
        await db.dispose()
