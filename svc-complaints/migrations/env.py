"""Alembic environment of svc-complaints: its own tables plus the yingshang plumbing tables."""

from yingshang.migrate import run_env
from ys_complaints.models import Base

run_env(Base.metadata)
