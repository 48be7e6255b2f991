"""The service's migrations build exactly the tables its models describe (no drift)."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from sqlalchemy.ext.asyncio import create_async_engine

from yingshang.clock import ensure_utc
from yingshang.db import UTCDateTime, normalise_url
from yingshang.migrate import alembic_config
from yingshang.testing.drift import schema_drift
from yingshang.testing.plugin import MigratedDb
from ys_ratings.app import SERVICE_DIR
from ys_ratings.models import Base, load_models


async def test_migrations_match_the_models(migrated_db: MigratedDb) -> None:
    load_models()
    drift = await schema_drift(
        migrated_db(SERVICE_DIR), Base.metadata, lambda name: name.startswith("ratings_")
    )
    assert drift == []


async def test_a_closed_month_keeps_its_rates_through_the_due_columns(
    migrated_db: MigratedDb,
) -> None:
    """A snapshot stored before the bulletin judged only what is due counted every
    rectification: its rows' denominators are that count (its rates read as they did)."""
    url = migrated_db(SERVICE_DIR)
    config = alembic_config(SERVICE_DIR, url)
    await asyncio.to_thread(command.downgrade, config, "ratings_0007")
    engine = create_async_engine(normalise_url(url))
    try:
        async with engine.begin() as connection:
            line = {"month": "2026-09", "scope": "department", "key": "ZJJ", "count": 5,
                    "good_county": 3, "good_national": 4, "bad": 1, "rectifications": 2,
                    "rectified_on_time": 1, "called_back": 1, "rank": 1}  # fmt: skip
            rows = sa.table(
                "ratings_bulletin_rows", sa.column("id", sa.Uuid()),
                sa.column("flagged", sa.Boolean()), *(sa.column(c) for c in line),
            )  # fmt: skip
            await connection.execute(rows.insert().values(id=uuid.uuid4(), flagged=False, **line))
        await asyncio.to_thread(command.upgrade, config, "heads")
        async with engine.connect() as connection:
            found = await connection.execute(sa.text(
                "SELECT rectifications_due, callbacks_due FROM ratings_bulletin_rows"))  # fmt: skip
            migrated = [tuple(row) for row in found]
    finally:
        await engine.dispose()
    assert migrated == [(2, 2)]
    load_models()
    assert await schema_drift(url, Base.metadata, lambda n: n.startswith("ratings_")) == []


async def test_stored_return_visits_get_the_closure_the_case_facts_hold(
    migrated_db: MigratedDb,
) -> None:
    """A 12345 rating stored before its 办结时间 was kept gets the ticket's closure from the
    case facts, when that closure came before the visit; a later one (a reopened ticket
    closed again) is not the closure the visit rated: left empty."""
    url = migrated_db(SERVICE_DIR)
    config = alembic_config(SERVICE_DIR, url)
    await asyncio.to_thread(command.downgrade, config, "ratings_0011")
    first, later = uuid.uuid4(), uuid.uuid4()
    visited = datetime(2026, 10, 14, 8, 0, tzinfo=UTC)
    closures = {first: visited - timedelta(days=1), later: visited + timedelta(hours=2)}
    engine = create_async_engine(normalise_url(url))
    try:
        async with engine.begin() as connection:
            for case_id, closed_at in closures.items():
                await connection.execute(_FACTS.insert().values(
                    id=uuid.uuid4(), service="hotline", case_kind="ticket", case_id=case_id,
                    case_number=f"RX{case_id.hex[:8]}", department="ZJJ", closed_at=closed_at,
                ))  # fmt: skip
                await connection.execute(_RATINGS.insert().values(
                    id=uuid.uuid4(), service="hotline", case_kind="ticket", case_id=case_id,
                    case_number=f"RX{case_id.hex[:8]}", node="revisit", department="ZJJ",
                    assessed_department="ZJJ", channel="hotline", rater_type="person", level=4,
                    scores={}, rater_key="applicant", rated_at=visited, month="2026-10",
                    excluded=False, source="hotline", created_at=visited,
                ))  # fmt: skip
        await asyncio.to_thread(command.upgrade, config, "heads")
        async with engine.connect() as connection:
            found = await connection.execute(sa.select(_RATINGS.c.case_id, _RATINGS.c.node_at))
            filled = {row.case_id: row.node_at for row in found}
    finally:
        await engine.dispose()
    assert filled[later] is None
    assert filled[first] is not None
    assert ensure_utc(filled[first]) == closures[first]


_FACTS = sa.table(
    "ratings_case_facts",
    sa.column("id", sa.Uuid()), sa.column("case_id", sa.Uuid()),
    sa.column("closed_at", UTCDateTime()),
    *(sa.column(c) for c in ("service", "case_kind", "case_number", "department")),
)  # fmt: skip
_RATINGS = sa.table(
    "ratings_ratings",
    sa.column("id", sa.Uuid()), sa.column("case_id", sa.Uuid()), sa.column("scores", sa.JSON()),
    sa.column("rated_at", UTCDateTime()), sa.column("created_at", UTCDateTime()),
    sa.column("node_at", UTCDateTime()), sa.column("excluded", sa.Boolean()),
    *(sa.column(c) for c in ("service", "case_kind", "case_number", "node", "department",
                             "assessed_department", "channel", "rater_type", "level",
                             "rater_key", "month", "source")),
)  # fmt: skip
