"""Notifications outbox: SMS (and other messages) written with the change, sent after commit.

``await notify.enqueue(session, recipient=phone, template="rating_invitation", params={...})``
adds a ``ys_notifications`` row in the caller's transaction; nothing is sent from inside a
request transaction (ARCHITECTURE.md, "Notifications"). :class:`NotificationSender`, a
Component woken after each commit, sends pending rows through the configured channel with
retries and exponential backoff, recording attempts and the last error.

Channels: :class:`SmsHttpChannel` posts JSON to the county SMS gateway (template ids from
settings); :class:`FileChannel` appends one JSON line per message (dev and tests; production
refuses it, see ``ServiceSettings``: it holds each recipient's phone in clear). Phone numbers
are stored sealed (``yingshang.sealing``: the sender opens them) and never logged in full.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

import httpx
import orjson
from fastapi import FastAPI
from sqlalchemy import JSON, Index, Integer, Select, String, Text, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import Database, IdMixin, PlumbingBase, UTCDateTime
from yingshang.events.wakeup import Wakeup
from yingshang.sealing import Sealed
from yingshang.settings import ServiceSettings
from yingshang.tasks import cancel_and_wait

log = logging.getLogger("yingshang.notify")

Status = Literal["pending", "sent", "failed"]


class Notification(IdMixin, PlumbingBase):
    __tablename__ = "ys_notifications"
    __table_args__ = (Index("ix_ys_notifications_due", "status", "next_attempt_at"),)

    channel: Mapped[str] = mapped_column(String(20), default="sms")
    # phone: sealed at rest (every service's outbox, one key), never logged in full
    recipient: Mapped[str] = mapped_column(Sealed("notifications", "recipient"))
    template: Mapped[str] = mapped_column(String(80))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


async def enqueue(
    session: AsyncSession,
    *,
    recipient: str,
    template: str,
    params: dict[str, Any] | None = None,
    channel: str = "sms",
) -> Notification:
    """Queue a message in the caller's transaction (flushed, never committed here)."""
    row = Notification(
        channel=channel,
        recipient=recipient,
        template=template,
        params=params or {},
        status="pending",
        attempts=0,
        next_attempt_at=now(),
    )
    session.add(row)
    await session.flush()
    return row


def mask(recipient: str) -> str:
    """``13812345678`` → ``138****5678`` (GB/T 35273 display restriction) for logs."""
    if len(recipient) < 8:
        return "*" * len(recipient)
    return f"{recipient[:3]}****{recipient[-4:]}"


@dataclass(frozen=True, slots=True)
class Message:
    id: uuid.UUID
    channel: str
    recipient: str
    template: str
    params: dict[str, Any]


class Channel(Protocol):
    """A way out. ``send`` raises on failure; the sender retries later."""

    name: str

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def send(self, message: Message) -> None: ...


class FileChannel:
    """Appends one JSON line per message to ``path`` (dev and tests: the recipient in full, so
    a test reads what was sent; production mode refuses this channel)."""

    name = "file"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        await asyncio.to_thread(self.path.parent.mkdir, parents=True, exist_ok=True)

    async def close(self) -> None:
        return None

    async def send(self, message: Message) -> None:
        line = orjson.dumps(
            {
                "id": str(message.id),
                "channel": message.channel,
                "recipient": message.recipient,
                "template": message.template,
                "params": message.params,
                "at": now().isoformat(),
            }
        )
        async with self._lock:
            await asyncio.to_thread(_append, self.path, line + b"\n")


def _append(path: Path, data: bytes) -> None:
    with path.open("ab") as handle:
        handle.write(data)


class SmsHttpChannel:
    """The county SMS gateway: ``POST <url>`` with JSON ``{message_id, phone, template_id,
    params}``; any 2xx is success. ``message_id`` lets the gateway drop a repeat after a lost
    response."""

    name = "sms_http"

    def __init__(
        self,
        url: str,
        templates: dict[str, str],
        *,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url, self.templates, self.timeout = url, templates, timeout
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    async def open(self) -> None:
        self._client = httpx.AsyncClient(timeout=self.timeout, transport=self._transport)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def send(self, message: Message) -> None:
        if self._client is None:
            raise RuntimeError("channel not open")
        body = {
            "message_id": str(message.id),
            "phone": message.recipient,
            "template_id": self.templates.get(message.template, message.template),
            "params": message.params,
        }
        response = await self._client.post(self.url, json=body)
        if not response.is_success:
            raise RuntimeError(f"SMS gateway answered {response.status_code}")


def channel_from_settings(settings: ServiceSettings) -> Channel | None:
    if settings.notify_channel == "off":
        return None
    if settings.notify_channel == "sms_http":
        if not settings.sms_gateway_url:
            raise ValueError("notify_channel=sms_http needs YS_SMS_GATEWAY_URL")
        return SmsHttpChannel(settings.sms_gateway_url, settings.sms_templates)
    path = settings.notify_file or settings.var_dir / "notifications.jsonl"
    return FileChannel(path)


class NotificationSender:
    """A Component sending pending notifications after commit, with retries and backoff."""

    name = "notifications"

    def __init__(
        self,
        db: Database,
        channel: Channel | None,
        *,
        poll_seconds: float = 2.0,
        batch_size: int = 50,
        concurrency: int = 8,
        max_attempts: int = 6,
        base_backoff: float = 2.0,
        lease_seconds: float = 60.0,
    ) -> None:
        self.db, self.channel = db, channel
        self.poll_seconds, self.batch_size = poll_seconds, batch_size
        self.max_attempts, self.base_backoff = max_attempts, base_backoff
        self.lease = timedelta(seconds=lease_seconds)
        self.owner = f"{os.getpid()}:{secrets.token_hex(3)}"
        self.sent = self.failed = 0
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = Wakeup()
        self._task: asyncio.Task[None] | None = None
        self._unsettled = 0  # claimed batches not known settled (counted before the claim commits)

    @classmethod
    def for_app(cls, app: FastAPI) -> NotificationSender:
        settings: ServiceSettings = app.state.settings
        channel = channel_from_settings(settings)
        return cls(app.state.db, channel, poll_seconds=settings.notify_poll_seconds)

    def wake(self) -> None:
        self._wake.set()

    async def start(self, app: FastAPI | None = None) -> None:
        if self.channel is None:
            return  # notify_channel=off: rows stay pending until a channel is configured
        await self.channel.open()
        self.db.on_commit(self._wake.after_commit)
        self._task = asyncio.create_task(self._run(), name="notification-sender")

    async def stop(self) -> None:
        await cancel_and_wait([self._task])
        if self.channel is not None:
            await self.channel.close()
        if self._unsettled:
            await self._release_claims()

    async def _release_claims(self) -> None:
        """Hand back the messages of a batch the stop cut short (claimed, never settled): the
        next sender, this service restarted or another replica, sends them at once instead of
        when the lease ends. The cut-short attempt is not counted. A message that was on its
        way may reach the SMS gateway again, with the same ``message_id`` to drop it by."""
        n = Notification
        try:
            async with self.db.write() as session:
                await session.execute(
                    update(n)
                    .where(n.claimed_by == self.owner, n.status == "pending")
                    .values(claimed_by=None, claimed_until=None, attempts=n.attempts - 1)
                    .execution_options(synchronize_session=False)
                )
        except Exception:  # the lease still ends: they are only late
            log.exception("could not release the claimed notifications")

    def readiness(self) -> dict[str, Any]:
        if self.channel is None:
            return {"ok": True, "channel": "off", "warnings": ["notifications are off"]}
        running = self._task is not None and not self._task.done()
        return {"ok": running, "channel": self.channel.name, "sent": self.sent}

    async def _run(self) -> None:
        self._wake.own_this_task()
        while True:
            await self._wake.wait(self.poll_seconds)
            try:
                while await self.send_due() == self.batch_size:
                    pass
            except Exception:  # database trouble: try again on the next wake or poll
                log.exception("notification sender failed; retrying later")

    async def send_due(self) -> int:
        """Send one batch of due notifications; returns how many were claimed."""
        async with self.db.read() as session:
            if not await session.scalar(self._due().with_only_columns(Notification.id).limit(1)):
                return 0  # idle: no write transaction, whose commit would wake other workers
        async with self.db.write() as session:
            messages = await self._claim(session)
            self._unsettled += bool(messages)
        if messages:
            results = await asyncio.gather(*(self._send(m) for m in messages))
            async with self.db.write() as session:
                for message, error in zip(messages, results, strict=True):
                    await self._settle(session, message, error)
            self._unsettled -= 1
        return len(messages)

    def _due(self) -> Select[Notification]:
        at, n = now(), Notification
        return (
            select(n)
            .where(n.status == "pending", n.next_attempt_at <= at)
            .where(or_(n.claimed_until.is_(None), n.claimed_until < at))
        )

    async def _claim(self, session: AsyncSession) -> list[Message]:
        at, n = now(), Notification
        query = self._due().order_by(n.next_attempt_at, n.created_at).limit(self.batch_size)
        if not self.db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        rows = list((await session.execute(query)).scalars())
        for row in rows:
            row.claimed_by, row.claimed_until = self.owner, at + self.lease
            row.attempts += 1
        return [Message(r.id, r.channel, r.recipient, r.template, dict(r.params)) for r in rows]

    async def _send(self, message: Message) -> str | None:
        assert self.channel is not None
        async with self._slots:
            try:
                await self.channel.send(message)
            except Exception as exc:  # any failure is retried with backoff
                return f"{type(exc).__name__}: {exc}"[:2000]
        return None

    async def _settle(self, session: AsyncSession, message: Message, error: str | None) -> None:
        row = await session.get(Notification, message.id)
        if row is None:
            return
        row.claimed_by = row.claimed_until = None
        if error is None:
            row.status, row.sent_at, row.last_error = "sent", now(), None
            self.sent += 1
            return
        row.last_error = error
        if row.attempts >= self.max_attempts:
            row.status = "failed"
            self.failed += 1
            log.error("notification %s to %s failed: %s", row.id, mask(row.recipient), error)
            return
        delay = min(self.base_backoff * 2 ** (row.attempts - 1), 3600.0)
        row.next_attempt_at = now() + timedelta(seconds=delay)
        log.warning(
            "notification to %s failed (%s); retry in %.0fs", mask(row.recipient), error, delay
        )


async def counts(session: AsyncSession) -> dict[str, int]:
    """Notifications per status (ops and tests)."""
    result = await session.execute(
        select(Notification.status, func.count()).group_by(Notification.status)
    )
    return {status: int(count) for status, count in result}
