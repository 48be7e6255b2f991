"""Alembic environment of the event-test sample service."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sample import Base

from yingshang.migrate import run_env

run_env(Base.metadata)
