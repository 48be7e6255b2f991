"""Background parts of svc-complaints that are not plumbing: the start-up seed."""

import logging
from typing import Any

from fastapi import FastAPI

from yingshang.db import Database
from ys_complaints.seed import seed
from ys_complaints.settings import Settings

log = logging.getLogger("ys_complaints.components")


class Seeder:
    """Runs the idempotent seed at start-up (departments, policies, enforcement targets)."""

    name = "seed"

    def __init__(self, app: FastAPI) -> None:
        self.settings: Settings = app.state.settings
        self.db: Database = app.state.db
        self.done = False

    async def start(self, app: FastAPI) -> None:
        if not self.settings.seed_on_start:
            return  # the defaults are not demo data: production seeds them too
        async with self.db.write() as session:
            await seed(session, self.settings.county_file)
        self.done = True
        log.info("seed data ensured")

    async def stop(self) -> None:
        return None

    def readiness(self) -> dict[str, Any]:
        return {"ok": True, "seeded": self.done}
