"""Background parts of the hotline that are not plumbing: the start-up seed."""

import logging
from typing import Any

from fastapi import FastAPI

from yingshang.db import Database
from ys_hotline.seed import seed
from ys_hotline.settings import Settings

log = logging.getLogger("ys_hotline.components")


class Seeder:
    """Runs the idempotent seed at start-up (demo entries only outside production)."""

    name = "seed"

    def __init__(self, app: FastAPI) -> None:
        self.settings: Settings = app.state.settings
        self.db: Database = app.state.db
        self.done = False

    async def start(self, app: FastAPI) -> None:
        if not self.settings.seed_on_start:
            return
        async with self.db.write() as session:
            await seed(session, demo=self.settings.env != "production")
        self.done = True
        log.info("seed data ensured")

    async def stop(self) -> None:
        return None

    def readiness(self) -> dict[str, Any]:
        return {"ok": True, "seeded": self.done}
