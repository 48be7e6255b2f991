"""Alembic environment of the kit sample: its own tables plus the yingshang plumbing tables."""

from kitservice.models import Base

from yingshang.migrate import run_env

run_env(Base.metadata)
