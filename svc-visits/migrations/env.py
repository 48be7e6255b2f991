"""Alembic environment of svc-visits: its own tables plus the yingshang plumbing tables."""

from yingshang.migrate import run_env
from ys_visits.models import Base, load_models

load_models()
run_env(Base.metadata)
