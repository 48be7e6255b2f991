"""The service's migrations build exactly the tables its models describe (no drift)."""

from yingshang.testing.drift import schema_drift
from yingshang.testing.plugin import MigratedDb
from ys_complaints.app import SERVICE_DIR
from ys_complaints.models import Base, load_models


async def test_migrations_match_the_models(migrated_db: MigratedDb) -> None:
    load_models()
    drift = await schema_drift(
        migrated_db(SERVICE_DIR), Base.metadata, lambda name: name.startswith("complaints_")
    )
    assert drift == []
