"""The start-up seed as a component: every service seeds the same way, only *what* differs.

A service hands :func:`seed_component` its own ``seed(db, settings)`` coroutine, which opens its
write transaction(s) and adds what is missing without overwriting an admin's edits. The
component runs it once at start-up when ``seed_on_start`` is set (tests switch it off), skips
it in production unless the seed is production data (defaults such as time-limit policies),
and reports ``seeded`` in ``/readyz``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI

from yingshang.app import ComponentFactory
from yingshang.db import Database

log = logging.getLogger("yingshang.seeding")
Seed = Callable[[Database, Any], Awaitable[object]]


class Seeder:
    """Component: runs the service's idempotent seed at start-up."""

    name = "seed"

    def __init__(self, app: FastAPI, seed: Seed, *, in_production: bool) -> None:
        self.settings = app.state.settings
        self.db: Database = app.state.db
        self.seed, self.in_production = seed, in_production
        self.done = False

    async def start(self, app: FastAPI) -> None:
        if not self.settings.seed_on_start:
            return
        if self.settings.env == "production" and not self.in_production:
            return  # demo data: real data comes from admins and the gateway's directory
        outcome = await self.seed(self.db, self.settings)
        self.done = True
        log.info("seed data ensured%s", f": {outcome}" if outcome else "")

    async def stop(self) -> None:
        return None

    def readiness(self) -> dict[str, Any]:
        return {"ok": True, "seeded": self.done}


def seed_component(seed: Seed, *, in_production: bool = False) -> ComponentFactory:
    """Factory for ``create_service_app(components=[...])``; ``in_production``: the seed holds
    defaults a production county needs too (policies, enforcement targets), not demo data."""

    def build(app: FastAPI) -> Seeder:
        return Seeder(app, seed, in_production=in_production)

    return build
