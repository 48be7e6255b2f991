"""Delivery: POST each pending delivery, in order per (webhook, CloudEvents subject).

Only the oldest pending delivery of a (webhook, subject) queue is eligible, so event N+1 of a
case never overtakes N. Deliveries are claimed under a lease (several gateway replicas share
the queue), every attempt is recorded, failures retry with exponential backoff, and a
delivery still failing after ``webhook_give_up_hours`` is marked failed so its queue moves on.
State lives in the database: nothing is lost across restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import orjson
from sqlalchemy import String, bindparam, cast, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from yingshang.clock import now
from yingshang.db import Database
from yingshang.prepared import Prepared
from ys_gateway.crypto import SecretBox
from ys_gateway.models import Client, Webhook, WebhookAttempt, WebhookDelivery
from ys_gateway.settings import Settings
from ys_gateway.webhooks import signing
from ys_gateway.webhooks.rules import SUBSCRIBE_SCOPE
from ys_gateway.webhooks.targets import TargetPolicy, TargetRefused

log = logging.getLogger("ys_gateway.webhooks")


@dataclass(frozen=True)
class Job:
    seq: int
    event_id: str
    payload: dict[str, Any]
    url: str
    secret: str
    attempts: int
    created_at: Any


@dataclass(frozen=True)
class Outcome:
    job: Job
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class WebhookSender:
    """A Component: claims due deliveries, sends them, records the attempts."""

    name = "webhook-sender"

    def __init__(self, db: Database, box: SecretBox, settings: Settings) -> None:
        self.db, self.box, self.settings = db, box, settings
        self.owner = f"{os.getpid()}:{secrets.token_hex(4)}"
        self.delivered = self.failed_attempts = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None
        self.targets = TargetPolicy(settings)

    async def start(self, app: Any = None) -> None:
        self._client = httpx.AsyncClient(
            timeout=self.settings.webhook_timeout_seconds, follow_redirects=False
        )
        self.db.on_commit(self._wake.set)
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._client is not None:
            await self._client.aclose()
        await self._release_claims()

    async def _release_claims(self) -> None:
        """Hand back the deliveries of a round the stop cut short (claimed, never recorded):
        the next sender, this gateway restarted or another replica, takes them at once instead
        of waiting out the lease, which held up every later event of their subjects. A POST
        that was in flight may have reached its receiver: it gets that event again, with the
        same ``webhook-id`` to recognise it by (deliveries are at least once)."""
        try:
            async with self.db.write() as session:
                await session.execute(
                    update(WebhookDelivery)
                    .where(
                        WebhookDelivery.claimed_by == self.owner,
                        WebhookDelivery.status == "pending",
                    )
                    .values(claimed_by=None, claimed_until=None)
                )
        except Exception:  # the lease still ends: they are only late
            log.exception("could not release the claimed webhook deliveries")

    def readiness(self) -> dict[str, Any]:
        running = self._task is not None and not self._task.done()
        return {"ok": running, "delivered": self.delivered, "failed": self.failed_attempts}

    async def _run(self) -> None:
        while True:
            try:
                sent = await self.round()
            except Exception:  # keep the loop alive; the rows stay in the database
                log.exception("webhook round failed")
                sent = 0
            if not sent:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.settings.webhook_poll_seconds):
                        await self._wake.wait()

    async def round(self) -> int:
        """Claim, send and record one batch; returns how many deliveries were attempted."""
        jobs = await self._claim()
        if not jobs:
            return 0
        outcomes = await asyncio.gather(*(self._send(job) for job in jobs))
        async with self.db.write() as session:
            for outcome in outcomes:
                await self._record(session, outcome)
        return len(jobs)

    async def _claim(self) -> list[Job]:
        stamp = now()
        # Woken by every commit of the gateway's database: look (without the writer) whether
        # anything is due before claiming in a write transaction.
        async with self.db.peek() as session:
            if await _ANY_DUE.first(session, at=stamp) is None:
                return []
        async with self.db.write() as session:
            rows = (
                await session.execute(_due(stamp, self.settings.webhook_concurrency, self.db))
            ).all()
            if not rows:
                return []
            lease = stamp + timedelta(seconds=self.settings.webhook_lease_seconds)
            await session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.seq.in_([d.seq for d, _, _ in rows]))
                .values(claimed_by=self.owner, claimed_until=lease)
            )
            return [
                Job(
                    d.seq,
                    d.event_id,
                    d.payload,
                    url,
                    self.box.open(sealed),
                    d.attempts,
                    d.created_at,
                )
                for d, url, sealed in rows
            ]

    async def _send(self, job: Job) -> Outcome:
        """POST the event to the checked address of the URL (see ``webhooks.targets``).

        Only the status code is kept (or the kind of failure): the receiver's answer is
        never read, stored or shown, and redirects are not followed."""
        assert self._client is not None
        started = time.perf_counter()
        try:
            target = await self.targets.check(job.url)
        except TargetRefused as exc:
            return Outcome(job, None, f"refused: {exc}"[:200], 0)
        body = orjson.dumps(job.payload)
        headers = signing.headers(job.secret, job.event_id, int(time.time()), body)
        headers["Host"] = target.url.netloc.decode("ascii")
        extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
        request = self._client.build_request(
            "POST", target.pinned_url(), content=body, headers=headers, extensions=extensions
        )
        try:
            response = await self._client.send(request, stream=True, follow_redirects=False)
            await response.aclose()
            code, error = response.status_code, None
        except httpx.HTTPError as exc:
            # The class only: some messages quote what the other end sent.
            code, error = None, type(exc).__name__
        return Outcome(job, code, error, int((time.perf_counter() - started) * 1000))

    async def _record(self, session: AsyncSession, outcome: Outcome) -> None:
        job, stamp = outcome.job, now()
        session.add(
            WebhookAttempt(
                id=uuid.uuid4(),
                delivery_seq=job.seq,
                at=stamp,
                status_code=outcome.status_code,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
            )
        )
        values: dict[str, Any] = {
            "attempts": job.attempts + 1,
            "claimed_by": None,
            "claimed_until": None,
            "last_error": outcome.error or (None if outcome.ok else f"HTTP {outcome.status_code}"),
        }
        if outcome.ok:
            self.delivered += 1
            values.update(status="delivered", delivered_at=stamp)
        else:
            self.failed_attempts += 1
            values.update(self._retry(job, stamp))
        await session.execute(
            update(WebhookDelivery).where(WebhookDelivery.seq == job.seq).values(**values)
        )

    def _retry(self, job: Job, stamp: Any) -> dict[str, Any]:
        if stamp - job.created_at > timedelta(hours=self.settings.webhook_give_up_hours):
            return {"status": "failed"}  # the queue of this subject moves on
        base, cap = (
            self.settings.webhook_retry_base_seconds,
            self.settings.webhook_retry_max_seconds,
        )
        delay = min(cap, base * 2 ** min(job.attempts, 20))
        return {"next_attempt_at": stamp + timedelta(seconds=delay)}


_D: Any = WebhookDelivery.__table__
# The client must still be entitled when its deliveries go out, not only when they were queued:
# active, holding the subscribe scope (a JSON list; matched on its text, in every dialect).
_ENTITLED = (
    Client.active.is_(True),
    cast(Client.scopes, String).contains(f'"{SUBSCRIBE_SCOPE}"'),
)
_ANY_DUE = Prepared(
    select(_D.c.seq)
    .join(Webhook, Webhook.id == _D.c.webhook_id)
    .join(Client, Client.client_id == Webhook.client_id)
    .where(
        _D.c.status == "pending",
        _D.c.next_attempt_at <= bindparam("at"),
        Webhook.active.is_(True),
        *_ENTITLED,
    )
    .limit(1)
)


def _due(stamp: Any, limit: int, db: Database) -> Any:
    """Heads of (webhook, subject) queues that are due and unclaimed, oldest first."""
    d, earlier = WebhookDelivery, aliased(WebhookDelivery)
    blocked = (
        select(earlier.seq)
        .where(
            earlier.webhook_id == d.webhook_id,
            earlier.subject == d.subject,
            earlier.status == "pending",
            earlier.seq < d.seq,
        )
        .exists()
    )
    stmt = (
        select(d, Webhook.url, Webhook.secret_enc)
        .join(Webhook, Webhook.id == d.webhook_id)
        .join(Client, Client.client_id == Webhook.client_id)
        .where(
            d.status == "pending",
            d.next_attempt_at <= stamp,
            or_(d.claimed_until.is_(None), d.claimed_until < stamp),
            Webhook.active.is_(True),
            *_ENTITLED,
            ~blocked,
        )
        .order_by(d.seq)
        .limit(limit)
    )
    # PostgreSQL: replicas skip each other's rows; SQLite has one writer anyway.
    return stmt if db.is_sqlite else stmt.with_for_update(skip_locked=True, of=d)
