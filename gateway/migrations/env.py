"""Alembic environment of gateway: its own tables plus the yingshang plumbing tables."""

from yingshang.migrate import run_env
from ys_gateway.models import Base

run_env(Base.metadata)
