"""Alembic environment of gateway: its own tables plus the yingshang plumbing tables."""

from ys_gateway.models import Base
from yingshang.migrate import run_env

run_env(Base.metadata)
