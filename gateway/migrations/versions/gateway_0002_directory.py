"""gateway: org directory, clients, token state, webhooks

Revision ID: gateway_0002
Revises: gateway_0001
Create Date: 2026-11-26 23:27:02.402933
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = 'gateway_0002'
down_revision: str | Sequence[str] | None = 'gateway_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('gw_login_failures',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', UTCDateTime(), nullable=False),
    sa.Column('locked_until', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_gw_login_failures'))
    )
    op.create_table('gw_signing_keys',
    sa.Column('kid', sa.String(length=40), nullable=False),
    sa.Column('alg', sa.String(length=20), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.Column('public_jwk', sa.JSON(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('retired_at', UTCDateTime(), nullable=True),
    sa.Column('expires_at', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('kid', name=op.f('pk_gw_signing_keys'))
    )
    op.create_table('gw_users',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('staff_no', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gw_users')),
    sa.UniqueConstraint('staff_no', name=op.f('uq_gw_users_staff_no')),
    sa.UniqueConstraint('username', name=op.f('uq_gw_users_username'))
    )
    op.create_table('gw_departments',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_code', sa.String(length=40), nullable=True),
    sa.Column('head_user_id', sa.Uuid(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['head_user_id'], ['gw_users.id'], name=op.f('fk_gw_departments_head_user_id_gw_users')),
    sa.ForeignKeyConstraint(['parent_code'], ['gw_departments.code'], name=op.f('fk_gw_departments_parent_code_gw_departments')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_gw_departments'))
    )
    op.create_table('gw_refresh_tokens',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('family_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('scope', sa.String(length=400), nullable=False),
    sa.Column('issued_at', UTCDateTime(), nullable=False),
    sa.Column('expires_at', UTCDateTime(), nullable=False),
    sa.Column('used_at', UTCDateTime(), nullable=True),
    sa.Column('revoked_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['gw_users.id'], name=op.f('fk_gw_refresh_tokens_user_id_gw_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gw_refresh_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_gw_refresh_tokens_token_hash'))
    )
    with op.batch_alter_table('gw_refresh_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gw_refresh_tokens_family_id'), ['family_id'], unique=False)

    op.create_table('gw_clients',
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('secret_hash', sa.String(length=200), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('rate_limit_per_minute', sa.Integer(), nullable=False),
    sa.Column('allowed_cidrs', sa.JSON(), nullable=False),
    sa.Column('owner_dept', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_dept'], ['gw_departments.code'], name=op.f('fk_gw_clients_owner_dept_gw_departments')),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_gw_clients'))
    )
    op.create_table('gw_halls',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('dept_code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['dept_code'], ['gw_departments.code'], name=op.f('fk_gw_halls_dept_code_gw_departments')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_gw_halls'))
    )
    op.create_table('gw_positions',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('dept_code', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['dept_code'], ['gw_departments.code'], name=op.f('fk_gw_positions_dept_code_gw_departments')),
    sa.ForeignKeyConstraint(['user_id'], ['gw_users.id'], name=op.f('fk_gw_positions_user_id_gw_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gw_positions')),
    sa.UniqueConstraint('user_id', 'dept_code', 'role', name=op.f('uq_gw_positions_user_id'))
    )
    op.create_table('gw_webhooks',
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('event_types', sa.JSON(), nullable=False),
    sa.Column('secret_enc', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['gw_clients.client_id'], name=op.f('fk_gw_webhooks_client_id_gw_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gw_webhooks'))
    )
    op.create_table('gw_windows',
    sa.Column('hall_code', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['hall_code'], ['gw_halls.code'], name=op.f('fk_gw_windows_hall_code_gw_halls')),
    sa.PrimaryKeyConstraint('hall_code', 'code', name=op.f('pk_gw_windows'))
    )
    op.create_table('gw_webhook_deliveries',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('webhook_id', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('next_attempt_at', UTCDateTime(), nullable=False),
    sa.Column('delivered_at', UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['webhook_id'], ['gw_webhooks.id'], name=op.f('fk_gw_webhook_deliveries_webhook_id_gw_webhooks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_gw_webhook_deliveries')),
    sa.UniqueConstraint('webhook_id', 'event_id', name=op.f('uq_gw_webhook_deliveries_webhook_id'))
    )
    with op.batch_alter_table('gw_webhook_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_gw_webhook_deliveries_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_gw_webhook_deliveries_queue', ['webhook_id', 'subject', 'status', 'seq'], unique=False)

    op.create_table('gw_webhook_attempts',
    sa.Column('delivery_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_seq'], ['gw_webhook_deliveries.seq'], name=op.f('fk_gw_webhook_attempts_delivery_seq_gw_webhook_deliveries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gw_webhook_attempts'))
    )
    with op.batch_alter_table('gw_webhook_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gw_webhook_attempts_delivery_seq'), ['delivery_seq'], unique=False)



def downgrade() -> None:
    for table in ["gw_webhook_attempts", "gw_webhook_deliveries", "gw_windows", "gw_webhooks", "gw_positions", "gw_halls", "gw_clients", "gw_refresh_tokens", "gw_departments", "gw_users", "gw_signing_keys", "gw_login_failures"]:
        op.drop_table(table)
