"""Background parts of svc-visits that are not plumbing: the start-up seed."""

import logging
from typing import Any

from fastapi import FastAPI

from yingshang.db import Database
from ys_visits.seed import seed
from ys_visits.settings import Settings

log = logging.getLogger("ys_visits.components")


class Seeder:
    """Runs the idempotent seed at start-up (not in production: real data comes from admins
    and the gateway's directory events)."""

    name = "seed"

    def __init__(self, app: FastAPI) -> None:
        self.settings: Settings = app.state.settings
        self.db: Database = app.state.db
        self.done = False

    async def start(self, app: FastAPI) -> None:
        if not self.settings.seed_on_start or self.settings.env == "production":
            return
        async with self.db.write() as session:
            await seed(session, self.settings.county_file, demo=self.settings.seed_demo)
        self.done = True
        log.info("seed data ensured")

    async def stop(self) -> None:
        return None

    def readiness(self) -> dict[str, Any]:
        return {"ok": True, "seeded": self.done}
