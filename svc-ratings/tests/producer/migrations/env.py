"""Alembic environment of the test producer: the plumbing tables and nothing else."""

from sqlalchemy import MetaData

from yingshang.migrate import run_env

run_env(MetaData())
