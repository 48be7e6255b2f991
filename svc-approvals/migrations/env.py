"""Alembic environment of svc-approvals: its own tables plus the yingshang plumbing tables."""

from yingshang.migrate import run_env
from ys_approvals.tables import Base

run_env(Base.metadata)
