"""Background parts of svc-ratings that are not plumbing: the seed, default ratings, and the
rectification flag the deadline sweeper sets."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.db import Database
from yingshang.time.sweeper import Firing
from ys_ratings.invitations.policies import DEFAULT_RATING, get_policy
from ys_ratings.ratings.sources import apply_default_ratings
from ys_ratings.rectifications.machine import CASE_KIND
from ys_ratings.rectifications.models import Rectification

log = logging.getLogger("ys_ratings.components")
OVERDUE_EVENTS = frozenset({"overdue", "escalated"})


class DefaultRatings:
    """默认评价: rates unrated invitations after the policy's days (policy off by default)."""

    name = "default_ratings"

    def __init__(self, app: FastAPI) -> None:
        self.db: Database = app.state.db
        self.interval = app.state.settings.default_rating_interval_seconds
        self.rated = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self, app: FastAPI) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def readiness(self) -> dict[str, Any]:
        return {"ok": self._task is not None and not self._task.done(), "rated": self.rated}

    async def run_once(self) -> int:
        async with self.db.read() as session:
            if not (await get_policy(session, DEFAULT_RATING)).enabled:
                return 0
        async with self.db.write() as session:
            count = await apply_default_ratings(session)
        self.rated += count
        return count

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # the loop must survive a failed pass (e.g. database busy)
                log.exception("default ratings pass failed")
            await asyncio.sleep(self.interval)


async def flag_overdue(session: AsyncSession, firings: Sequence[Firing]) -> None:
    """Sweeper hook, in the sweep's transaction: 整改超期 flag on overdue rectifications."""
    ids = [f.case_id for f in firings if f.case_kind == CASE_KIND and f.event in OVERDUE_EVENTS]
    if ids:
        await session.execute(
            update(Rectification).where(Rectification.id.in_(ids)).values(overdue=True),
            execution_options={"synchronize_session": False},
        )
