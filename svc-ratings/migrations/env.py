"""Alembic environment of svc-ratings: its own tables plus the yingshang plumbing tables."""

from ys_ratings.models import Base
from yingshang.migrate import run_env

run_env(Base.metadata)
