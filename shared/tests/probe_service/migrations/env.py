"""Alembic environment of the probe service: one table of its own plus the plumbing tables."""

from sqlalchemy import MetaData

from yingshang.migrate import run_env

run_env(MetaData())
