"""Alembic environment of svc-visits: its own tables plus the yingshang plumbing tables."""

from yingshang.migrate import run_env
from ys_visits.models import Base

run_env(Base.metadata)
