"""svc-ratings: invitations, ratings, indicator sets, rectifications, appeals, bulletin
snapshots and the oversight read model.

Revision ID: ratings_0002
Revises: ratings_0001
Create Date: 2026-11-26
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from yingshang.db import UTCDateTime

revision: str = "ratings_0002"
down_revision: str | Sequence[str] | None = "ratings_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ratings_appeals',
    sa.Column('rating_id', sa.Uuid(), nullable=False),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('filed_by', sa.String(length=120), nullable=False),
    sa.Column('filed_by_name', sa.String(length=120), nullable=True),
    sa.Column('filed_at', UTCDateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('decided_at', UTCDateTime(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings_appeals'))
    )
    op.create_index('ix_ratings_appeals_rating_id', 'ratings_appeals', ['rating_id'], unique=False)
    op.create_index('ix_ratings_appeals_filed', 'ratings_appeals', ['filed_at', 'id'], unique=False)
    op.create_index('uq_ratings_appeals_pending', 'ratings_appeals', ['rating_id'], unique=True, sqlite_where=sa.text("state = 'pending'"), postgresql_where=sa.text("state = 'pending'"))

    op.create_table('ratings_bulletin_rows',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('good_county', sa.Integer(), nullable=False),
    sa.Column('good_national', sa.Integer(), nullable=False),
    sa.Column('bad', sa.Integer(), nullable=False),
    sa.Column('rectifications', sa.Integer(), nullable=False),
    sa.Column('rectified_on_time', sa.Integer(), nullable=False),
    sa.Column('called_back', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings_bulletin_rows')),
    sa.UniqueConstraint('month', 'scope', 'key', name='uq_ratings_bulletin_rows')
    )
    op.create_table('ratings_case_facts',
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('case_kind', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('case_number', sa.String(length=80), nullable=False),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.Column('origin_client', sa.String(length=120), nullable=True),
    sa.Column('received_at', UTCDateTime(), nullable=True),
    sa.Column('received_month', sa.String(length=7), nullable=True),
    sa.Column('closed_at', UTCDateTime(), nullable=True),
    sa.Column('closed_month', sa.String(length=7), nullable=True),
    sa.Column('outcome', sa.String(length=60), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings_case_facts')),
    sa.UniqueConstraint('service', 'case_id', name='uq_ratings_case_facts_case')
    )
    op.create_index('ix_ratings_case_facts_closed', 'ratings_case_facts', ['closed_month', 'department'], unique=False)
    op.create_index('ix_ratings_case_facts_received', 'ratings_case_facts', ['received_month', 'department'], unique=False)

    op.create_table('ratings_closed_months',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('closed_at', UTCDateTime(), nullable=False),
    sa.Column('closed_by', sa.String(length=120), nullable=False),
    sa.Column('ratings', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', name=op.f('pk_ratings_closed_months'))
    )
    op.create_table('ratings_indicator_sets',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('basis', sa.String(length=200), nullable=True),
    sa.Column('indicators', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings_indicator_sets')),
    sa.UniqueConstraint('kind', 'version', name='uq_ratings_indicator_sets_kv')
    )
    op.create_table('ratings_invitations',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('case_kind', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('case_number', sa.String(length=80), nullable=False),
    sa.Column('node', sa.String(length=20), nullable=False),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=True),
    sa.Column('item_name', sa.String(length=200), nullable=True),
    sa.Column('window', sa.String(length=60), nullable=True),
    sa.Column('staff_no', sa.String(length=40), nullable=True),
    sa.Column('service_channel', sa.String(length=30), nullable=False),
    sa.Column('rater_type', sa.String(length=20), nullable=False),
    sa.Column('origin_client', sa.String(length=120), nullable=True),
    sa.Column('completed_at', UTCDateTime(), nullable=False),
    sa.Column('expires_at', UTCDateTime(), nullable=False),
    sa.Column('used_at', UTCDateTime(), nullable=True),
    sa.Column('rating_id', sa.Uuid(), nullable=True),
    sa.Column('event_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings_invitations')),
    sa.UniqueConstraint('service', 'case_id', 'node', name='uq_ratings_invitations_case_node'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_ratings_invitations_token_hash'))
    )
    op.create_index('ix_ratings_invitations_open', 'ratings_invitations', ['used_at', 'completed_at'], unique=False)

    op.create_table('ratings_ledger',
    sa.Column('stage_id', sa.String(length=64), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('case_kind', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('case_number', sa.String(length=80), nullable=False),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.Column('origin_client', sa.String(length=120), nullable=True),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('since', UTCDateTime(), nullable=False),
    sa.Column('since_month', sa.String(length=7), nullable=False),
    sa.Column('due_at', UTCDateTime(), nullable=True),
    sa.Column('raised_at', UTCDateTime(), nullable=False),
    sa.Column('closed_at', UTCDateTime(), nullable=True),
    sa.Column('closed_by', sa.String(length=30), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings_ledger')),
    sa.UniqueConstraint('stage_id', name=op.f('uq_ratings_ledger_stage_id'))
    )
    op.create_index('ix_ratings_ledger_open', 'ratings_ledger', ['closed_at', 'level', 'department'], unique=False)
    op.create_index('ix_ratings_ledger_page', 'ratings_ledger', ['since', 'id'], unique=False)
    op.create_index('ix_ratings_ledger_since', 'ratings_ledger', ['since_month', 'department'], unique=False)

    op.create_table('ratings_policies',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('natural_days', sa.Integer(), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_ratings_policies'))
    )
    op.create_table('ratings_ratings',
    sa.Column('invitation_id', sa.Uuid(), nullable=True),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('case_kind', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('case_number', sa.String(length=80), nullable=False),
    sa.Column('node', sa.String(length=20), nullable=False),
    sa.Column('node_at', UTCDateTime(), nullable=True),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.Column('item_code', sa.String(length=64), nullable=True),
    sa.Column('item_name', sa.String(length=200), nullable=True),
    sa.Column('window', sa.String(length=60), nullable=True),
    sa.Column('staff_no', sa.String(length=40), nullable=True),
    sa.Column('service_channel', sa.String(length=30), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('rater_type', sa.String(length=20), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('indicator_set_id', sa.Uuid(), nullable=True),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('rater_key', sa.String(length=80), nullable=False),
    sa.Column('rater_name', sa.String(length=120), nullable=True),
    sa.Column('rater_phone', sa.String(length=40), nullable=True),
    sa.Column('rater_id_no', sa.String(length=40), nullable=True),
    sa.Column('rated_at', UTCDateTime(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    sa.Column('excluded_reason', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('origin_client', sa.String(length=120), nullable=True),
    sa.Column('external_id', sa.String(length=80), nullable=True),
    sa.Column('event_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings_ratings')),
    sa.UniqueConstraint('service', 'case_id', 'node', 'rater_key', name='uq_ratings_ratings_once')
    )
    op.create_index('ix_ratings_ratings_bulletin', 'ratings_ratings', ['month', 'excluded', 'department', 'window', 'staff_no', 'level'], unique=False)
    op.create_index('ix_ratings_ratings_case', 'ratings_ratings', ['service', 'case_id'], unique=False)
    op.create_index('ix_ratings_ratings_rated_at', 'ratings_ratings', ['rated_at'], unique=False)

    op.create_table('ratings_rectifications',
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('rating_id', sa.Uuid(), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('case_number', sa.String(length=80), nullable=False),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.Column('window', sa.String(length=60), nullable=True),
    sa.Column('staff_no', sa.String(length=40), nullable=True),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('origin_client', sa.String(length=120), nullable=True),
    sa.Column('called_back_at', UTCDateTime(), nullable=True),
    sa.Column('rater_reached', sa.Boolean(), nullable=True),
    sa.Column('verified', sa.Boolean(), nullable=True),
    sa.Column('callback_note', sa.Text(), nullable=True),
    sa.Column('classification', sa.String(length=20), nullable=True),
    sa.Column('due_at', UTCDateTime(), nullable=True),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('rectified_at', UTCDateTime(), nullable=True),
    sa.Column('on_time', sa.Boolean(), nullable=True),
    sa.Column('rectification_note', sa.Text(), nullable=True),
    sa.Column('claim_reason', sa.Text(), nullable=True),
    sa.Column('fed_back_at', UTCDateTime(), nullable=True),
    sa.Column('feedback_note', sa.Text(), nullable=True),
    sa.Column('verdict', sa.String(length=30), nullable=True),
    sa.Column('verdict_at', UTCDateTime(), nullable=True),
    sa.Column('closed_at', UTCDateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings_rectifications')),
    sa.UniqueConstraint('number', name=op.f('uq_ratings_rectifications_number')),
    sa.UniqueConstraint('rating_id', name=op.f('uq_ratings_rectifications_rating_id'))
    )
    op.create_index('ix_ratings_rectifications_month', 'ratings_rectifications', ['month', 'department'], unique=False)
    op.create_index('ix_ratings_rectifications_created', 'ratings_rectifications', ['created_at', 'id'], unique=False)
    op.create_index('ix_ratings_rectifications_state', 'ratings_rectifications', ['state', 'department'], unique=False)

    op.create_table('ratings_stage_facts',
    sa.Column('stage_id', sa.String(length=64), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('case_kind', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('case_number', sa.String(length=80), nullable=False),
    sa.Column('department', sa.String(length=60), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('due_at', UTCDateTime(), nullable=True),
    sa.Column('warned_at', UTCDateTime(), nullable=True),
    sa.Column('overdue_at', UTCDateTime(), nullable=True),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('completed_at', UTCDateTime(), nullable=True),
    sa.Column('completed_month', sa.String(length=7), nullable=True),
    sa.Column('on_time', sa.Boolean(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings_stage_facts')),
    sa.UniqueConstraint('stage_id', name=op.f('uq_ratings_stage_facts_stage_id'))
    )
    op.create_index('ix_ratings_stage_facts_completed', 'ratings_stage_facts', ['completed_month', 'department'], unique=False)
    op.create_index('ix_ratings_stage_facts_open', 'ratings_stage_facts', ['completed_at', 'department'], unique=False)


def downgrade() -> None:
    op.drop_table('ratings_stage_facts')
    op.drop_table('ratings_rectifications')
    op.drop_table('ratings_ratings')
    op.drop_table('ratings_policies')
    op.drop_table('ratings_ledger')
    op.drop_table('ratings_invitations')
    op.drop_table('ratings_indicator_sets')
    op.drop_table('ratings_closed_months')
    op.drop_table('ratings_case_facts')
    op.drop_table('ratings_bulletin_rows')
    op.drop_table('ratings_appeals')
