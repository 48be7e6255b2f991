"""Alembic environment of svc-complaints: its own tables plus the yingshang plumbing tables."""

from ys_complaints.models import Base
from yingshang.migrate import run_env

run_env(Base.metadata)
