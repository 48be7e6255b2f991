"""The service's migrations build exactly the tables its models describe (no drift)."""

from yingshang.testing.drift import schema_drift
from yingshang.testing.plugin import MigratedDb
from ys_approvals.app import SERVICE_DIR
from ys_approvals.tables import Base


async def test_migrations_match_the_models(migrated_db: MigratedDb) -> None:
    assert await schema_drift(migrated_db(SERVICE_DIR), Base.metadata) == []
