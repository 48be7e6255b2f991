"""yingshang case kit: Idempotency-Key rows keep a digest of the key and the answer encrypted
under the key (a query code in a stored answer was readable from the database).

Revision ID: ys_kit_0005
Revises: ys_kit_0004
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.idempotency import lock_answer, row_key

revision: str = "ys_kit_0005"
down_revision: str | Sequence[str] | None = "ys_kit_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROWS = sa.table(
    "ys_idempotency", sa.column("scope"), sa.column("key"), sa.column("body", sa.LargeBinary())
)


def upgrade() -> None:
    # Rows still holding their key in clear: keep them replayable (a retry within the 24 h
    # finds its answer), digest the key and lock the answer under it.
    bind = op.get_bind()
    for scope, key, body in bind.execute(sa.select(ROWS.c.scope, ROWS.c.key, ROWS.c.body)).all():
        bind.execute(
            sa.update(ROWS)
            .where(ROWS.c.scope == scope, ROWS.c.key == key)
            .values(key=row_key(scope, key), body=lock_answer(scope, key, body) if body else body)
        )


def downgrade() -> None:
    # A digest gives no key back: the rows (answers kept for retries, 24 h) cannot be restored.
    op.execute(ROWS.delete())
