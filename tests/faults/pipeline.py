"""The hotline → ratings event pipeline as real processes on a test's own nats-server, with
counts taken from both databases: what was sent, stored, consumed, doubled and lost."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from yingshang.db import Database
from yingshang.testing import TestIssuer, a_clerk
from yingshang.testing.apps import ServiceProcess
from ys_hotline.app import SERVICE_DIR as HOTLINE_DIR
from ys_hotline.app import create_app as hotline_app
from ys_hotline.seed import seed
from ys_hotline.settings import Settings as HotlineSettings
from ys_ratings.app import SERVICE_DIR as RATINGS_DIR
from ys_ratings.app import create_app as ratings_app
from ys_ratings.settings import Settings as RatingsSettings

DURABLE = "ratings-hotline-oversight"
TICKET = {
    "type": "complaint",
    "category_code": "SCJG_FOOD",
    "title": "餐馆卫生问题",
    "content": "某餐馆后厨卫生条件差，存在食品安全隐患，请相关部门核查处理。",
}


def fault_size(default: int) -> int:
    """``YS_FAULT_TICKETS``: reduced in ``make test``, full (2,000) with ``make faults``."""
    return int(os.environ.get("YS_FAULT_TICKETS", default))


async def eventually(
    condition: Callable[[], Awaitable[bool]], what: str, timeout: float = 120.0
) -> None:
    """Wait (bounded) for a state; failing names the state, not a duration."""
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never reached: {what}")
        await asyncio.sleep(0.25)


@dataclass
class Pipeline:
    hotline: ServiceProcess
    ratings: ServiceProcess
    issuer: TestIssuer
    hotline_db: Database
    ratings_db: Database
    sent: int = 0
    acknowledged: set[str] = field(default_factory=set)
    refused: list[int] = field(default_factory=list)

    @property
    def operator(self) -> dict[str, str]:
        return a_clerk("HOTLINE_CENTER").headers(self.issuer)

    async def burst(
        self, count: int, concurrency: int = 8, on_progress: Callable[[int], Any] | None = None
    ) -> None:
        """Create ``count`` tickets over real HTTP, ``concurrency`` at a time."""
        queue = iter(range(count))
        headers = self.operator
        async with httpx.AsyncClient(base_url=self.hotline.base_url, timeout=60) as client:

            async def worker() -> None:
                for _ in queue:
                    self.sent += 1
                    answer = await client.post("/api/v1/hotline/tickets", json=TICKET,
                                               headers=headers)  # fmt: skip
                    if answer.status_code == 201:
                        self.acknowledged.add(answer.json()["id"])
                    else:
                        self.refused.append(answer.status_code)
                    if on_progress is not None:
                        await on_progress(len(self.acknowledged))

            await asyncio.gather(*[worker() for _ in range(concurrency)])

    async def stored(self) -> int:
        async with self.hotline_db.read() as session:
            return int(await session.scalar(text("SELECT count(*) FROM hotline_tickets")) or 0)

    async def effects(self) -> tuple[int, int]:
        """(rows, distinct cases) of hotline facts in ratings: one row per ticket, once."""
        sql = "SELECT count(*), count(DISTINCT case_id) FROM ratings_case_facts"
        async with self.ratings_db.read() as session:
            rows, distinct = (await session.execute(text(sql + " WHERE service = 'hotline'"))).one()
        return int(rows), int(distinct)

    async def dead_letters(self) -> int:
        async with self.ratings_db.read() as session:
            return int(await session.scalar(text("SELECT count(*) FROM ys_dead_letters")) or 0)

    async def consumed_all(self) -> bool:
        return (await self.effects())[1] >= len(self.acknowledged)

    def redeliveries(self) -> int:
        """Redeliveries the ratings process (this life of it) absorbed through its inbox."""
        body = httpx.get(f"{self.ratings.base_url}/metrics", timeout=10).text
        found = re.search(r'ys_events_duplicates_total\{consumer="' + DURABLE + r'"\} (\S+)', body)
        return int(float(found.group(1))) if found else 0

    async def reconcile(self, label: str) -> dict[str, int]:
        """Wait until every acknowledged ticket is consumed, then print and return the counts."""
        await eventually(self.consumed_all, f"{label}: every acknowledged ticket consumed")
        rows, distinct = await self.effects()
        stored = await self.stored()
        async with self.hotline_db.read() as session:
            rows_ids = (await session.scalars(text("SELECT id FROM hotline_tickets"))).all()
        present = {str(i).replace("-", "") for i in rows_ids}
        missing = [i for i in self.acknowledged if i.replace("-", "") not in present]
        counts = {
            "sent": self.sent,
            "acknowledged": len(self.acknowledged),
            "stored": stored,
            "consumed": distinct,
            "duplicates": rows - distinct,
            "redelivered": self.redeliveries(),
            "dead_letters": await self.dead_letters(),
            "lost": len(missing) + max(0, stored - distinct),
        }
        print(f"{label}: " + " ".join(f"{k}={v}" for k, v in counts.items()), flush=True)
        return counts


async def start_pipeline(
    service_process: Callable[..., ServiceProcess], nats_url: str, issuer: TestIssuer
) -> Pipeline:
    hotline = service_process(hotline_app, HotlineSettings, HOTLINE_DIR, nats=nats_url)
    ratings = service_process(ratings_app, RatingsSettings, RATINGS_DIR, nats=nats_url)
    hotline_db = Database(hotline.env["YS_HOTLINE_DATABASE_URL"])
    ratings_db = Database(ratings.env["YS_RATINGS_DATABASE_URL"])
    async with hotline_db.write() as session:
        await seed(session)
    return Pipeline(hotline, ratings, issuer, hotline_db, ratings_db)


def subscribed(proc: ServiceProcess) -> bool:
    try:
        checks = httpx.get(f"{proc.base_url}/readyz", timeout=5).json().get("checks", {})
    except httpx.HTTPError:
        return False
    consumers = [c for c in checks.values() if "subscribed" in c]
    return bool(consumers) and all(c["subscribed"] for c in consumers)
