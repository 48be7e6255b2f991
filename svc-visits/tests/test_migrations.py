"""The service's migrations build exactly the tables its models describe (no drift), the seed
is idempotent (a second run adds nothing, demo data included), a bare checkout's too, and the
problems handed on before 签收 existed count as signed at their hand-off."""

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from yingshang.db import Database, UTCDateTime, normalise_url
from yingshang.migrate import alembic_config
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
        assert (policies, enterprises, pairings, indicators) == (8, 4, 3, 18)
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


ID, AT = sa.Uuid(), UTCDateTime()
ENTERPRISES = sa.table(
    "visits_enterprises",
    sa.column("id", ID),
    *(sa.column(c) for c in ("name", "uscc", "industry", "scale", "tags_text", "created_by")),
    sa.column("contacts", sa.JSON()),
    *(sa.column(c, AT) for c in ("created_at", "updated_at")),
    sa.column("version"),
)
PROBLEMS = sa.table(
    "visits_problems",
    *(sa.column(c, ID) for c in ("id", "enterprise_id")),
    *(sa.column(c) for c in ("number", "source", "channel", "title", "description", "category")),
    *(sa.column(c) for c in ("state", "department", "raised_by", "progress_count")),
    *(sa.column(c) for c in ("dispute_count", "version")),
    *(sa.column(c, AT) for c in ("received_at", "assigned_at", "created_at", "updated_at")),
)
HANDED_ON = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def _problem(enterprise: uuid.UUID, state: str, n: int) -> dict[str, object]:
    at = {"received_at": HANDED_ON, "created_at": HANDED_ON, "updated_at": HANDED_ON}
    handed = state != "raised"  # every row names every column: one executemany
    handed_to = {
        "department": "GXJ" if handed else None,
        "assigned_at": HANDED_ON if handed else None,
    }
    return {
        "id": uuid.uuid4(), "number": f"JB-OLD-{n}", "enterprise_id": enterprise,
        "source": "direct", "channel": "center", "title": "用电增容", "description": "慢",
        "category": "other", "state": state, "raised_by": "u", "progress_count": 0,
        "dispute_count": 0, "version": 1, **at, **handed_to,
    }  # fmt: skip


async def test_problems_handed_on_before_sign_for_count_as_signed(
    migrated_db: MigratedDb,
) -> None:
    url = migrated_db(SERVICE_DIR)
    config = alembic_config(SERVICE_DIR, url)
    await asyncio.to_thread(command.downgrade, config, "visits_0005")
    engine = create_async_engine(normalise_url(url))
    try:
        enterprise = uuid.uuid4()
        async with engine.begin() as connection:
            await connection.execute(sa.insert(ENTERPRISES).values(
                id=enterprise, name="企业", uscc="91520327MA6DM8Q41N", industry="茶", scale="other",
                tags_text="", contacts=[], created_by="u", created_at=HANDED_ON,
                updated_at=HANDED_ON, version=1,
            ))  # fmt: skip
            states = ("raised", "assigned", "in_progress", "closed")
            rows = [_problem(enterprise, state, n) for n, state in enumerate(states)]
            await connection.execute(sa.insert(PROBLEMS), rows)
        await asyncio.to_thread(command.upgrade, config, "heads")
        async with engine.connect() as connection:
            found = await connection.execute(sa.text(
                "SELECT number, state, signed_at, signed_by_staff_no FROM visits_problems "
                "ORDER BY number"))  # fmt: skip
            migrated = [(state, signed is not None, who) for _, state, signed, who in found]
    finally:
        await engine.dispose()
    # waiting for its proposal at the department: signed (contact, then propose); the others
    # keep their state; everything handed on was signed when handed on, by no one recorded
    assert migrated == [
        ("raised", False, None), ("signed", True, None), ("in_progress", True, None),
        ("closed", True, None)]  # fmt: skip
    load_models()
    assert await schema_drift(url, Base.metadata, lambda n: n.startswith("visits_")) == []
