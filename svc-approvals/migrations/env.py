"""Alembic environment of svc-approvals: its own tables plus the yingshang plumbing tables."""

from ys_approvals.models import Base
from yingshang.migrate import run_env

run_env(Base.metadata)
