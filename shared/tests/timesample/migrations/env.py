"""Alembic environment of the time sample service: no tables of its own, only the plumbing."""

from yingshang.db import new_metadata
from yingshang.migrate import run_env

run_env(new_metadata())
