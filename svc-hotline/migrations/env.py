"""Alembic environment of svc-hotline: its own tables plus the yingshang plumbing tables."""

from ys_hotline.models import Base
from yingshang.migrate import run_env

run_env(Base.metadata)
