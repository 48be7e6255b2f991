"""The kit's migrations build exactly the tables its models describe (no drift)."""

from __future__ import annotations

from conftest_kit import KIT_DIR
from kitservice.models import Base
from sqlalchemy import MetaData

import yingshang.attachments
import yingshang.audit
import yingshang.cases.numbers
import yingshang.idempotency  # noqa: F401 - the models register on PlumbingBase
from yingshang.db import PlumbingBase
from yingshang.testing.drift import schema_drift
from yingshang.testing.plugin import MigratedDb

KIT_TABLES = {"ys_sequences", "ys_idempotency", "ys_audit", "ys_attachments", "kit_cases"}


async def test_migrations_match_the_models(migrated_db: MigratedDb) -> None:
    metadata = MetaData()
    for source in (PlumbingBase.metadata, Base.metadata):
        for table in source.tables.values():
            if table.name in KIT_TABLES:
                table.to_metadata(metadata)
    assert await schema_drift(migrated_db(KIT_DIR), metadata) == []
