"""Alembic environment of svc-visits: its own tables plus the yingshang plumbing tables."""

from ys_visits.models import Base
from yingshang.migrate import run_env

run_env(Base.metadata)
