"""Start-up and upkeep of the gateway's own state: signing keys, seed, the first
administrator, client limits.

Runs in every mode (it is not a background "worker"): without keys there are no tokens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

from yingshang import audit
from yingshang.db import Database
from yingshang.time.years import load_year_files
from ys_gateway.bootstrap import admin_missing, ensure_admin
from ys_gateway.crypto import Passwords, SecretBox
from ys_gateway.oauth.keys import KeyStore
from ys_gateway.proxy.clients import ClientCache
from ys_gateway.seed import load_county, seed_if_empty
from ys_gateway.settings import Settings

log = logging.getLogger("ys_gateway.core")
REFRESH_SECONDS = 30.0
SCHEDULE_ACTOR = "system:key-rotation"  # audit actor of the scheduled rotation


class Core:
    name = "directory"

    def __init__(
        self,
        settings: Settings,
        db: Database,
        keys: KeyStore,
        clients: ClientCache,
        passwords: Passwords,
        box: SecretBox,
    ) -> None:
        self.settings, self.db, self.keys = settings, db, keys
        self.clients, self.passwords, self.box = clients, passwords, box
        self.seeded = False
        self._task: asyncio.Task[None] | None = None
        self._last_error: str | None = None
        self._no_admin: str | None = None  # why nobody can administer the directory

    async def start(self, app: Any = None) -> None:
        county = await self._county()
        async with self.db.write() as session:
            await self.keys.load(session)
            if county is not None:
                self.seeded = await seed_if_empty(
                    session,
                    county,
                    demo=self.settings.env != "production" and self.settings.seed_demo,
                    passwords=self.passwords,
                    demo_password=self.settings.demo_password,
                    box=self.box,
                )
        # Production seeds no people: the first BUREAU/admin comes from the settings.
        self._no_admin = await ensure_admin(self.db, self.settings, self.passwords)
        # YS_CALENDAR_FILES, as every service loads them (a bad file: the services report it)
        for problem in await load_year_files(self.db, self.settings.calendar_files):
            log.warning("%s", problem)
        async with self.db.read() as session:
            await self.clients.reload(session)
        self._task = asyncio.create_task(self._upkeep(), name="gateway-upkeep")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def readiness(self) -> dict[str, Any]:
        # Ready without an administrator: the public pages and the services still serve.
        report: dict[str, Any] = {
            "ok": True,
            "seeded_now": self.seeded,
            "administrator": self._no_admin is None,
        }
        warnings = [self._no_admin] if self._no_admin else []
        if self._last_error:
            warnings.append(f"directory upkeep: {self._last_error}")
        if warnings:
            report["warnings"] = warnings
        return report

    async def _county(self) -> dict[str, Any] | None:
        if not self.settings.county_file.exists():
            log.warning("no county seed file at %s", self.settings.county_file)
            return None
        return await load_county(self.settings.county_file)

    async def _upkeep(self) -> None:
        """Pick up other replicas' changes (clients, keys) and rotate keys on schedule."""
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            try:
                await self.refresh()
                self._last_error = None
            except Exception as exc:  # keep serving with what we have; report in /readyz
                self._last_error = f"{type(exc).__name__}: {exc}"
                log.warning("directory upkeep failed: %s", self._last_error)

    async def refresh(self) -> None:
        max_age = timedelta(days=self.settings.key_rotation_days)
        self._no_admin = await admin_missing(self.db)  # another replica may have made one
        async with self.db.read() as session:
            await self.clients.reload(session)
            due = await self.keys.needs_rotation(session, max_age)
        async with self.db.write() as session:
            if due:
                retired = await self.keys.active_kids(session)
                row = await self.keys.rotate(session)
                await audit.record(
                    session,
                    actor=SCHEDULE_ACTOR,
                    action="gateway.key.rotated",
                    object_kind="key",
                    object_id=row.kid,
                    detail={"old_kids": retired, "new_kid": row.kid, "alg": row.alg},
                )
            else:
                await self.keys.load(session)
