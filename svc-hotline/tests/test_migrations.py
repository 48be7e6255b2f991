"""The service's migrations build exactly the tables its models describe (no drift)."""

from yingshang.testing.drift import schema_drift
from yingshang.testing.plugin import MigratedDb
from ys_hotline.app import SERVICE_DIR
from ys_hotline.models import Base, load_models

# The knowledge base's search index, built by hand: SQLite's FTS5 table (with its shadow
# tables), PostgreSQL's expression index.
SEARCH_INDEX = ("hotline_kb_fts", "ix_hotline_kb_entries_search")


async def test_migrations_match_the_models(migrated_db: MigratedDb) -> None:
    load_models()
    drift = await schema_drift(
        migrated_db(SERVICE_DIR),
        Base.metadata,
        lambda name: name.startswith("hotline_"),
        unmodelled=SEARCH_INDEX,
    )
    assert drift == []
