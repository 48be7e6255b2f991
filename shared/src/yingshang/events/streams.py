"""JetStream streams (one per service) and the NATS connection component.

Stream ``YS_<SERVICE>`` holds subjects ``ys.<service>.>`` in file storage with the configured
number of replicas (``nats_stream_replicas``: 1 embedded, 3 in a cluster).

Duplicate window: set explicitly to :data:`DUPLICATE_WINDOW_SECONDS` (2 minutes). The relay
sends ``Nats-Msg-Id`` = event id, so a republish after a lost PubAck within the window is
stored once. A republish after a longer outage falls outside the window and is stored twice;
that is why every consumer also keeps an inbox (event id primary key): the window keeps the
stream clean in the common case, the inbox makes handling exactly-once in every case
(ARCHITECTURE.md, "Known pitfalls").
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import nats
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from yingshang.settings import ServiceSettings
from yingshang.tasks import cancel_and_wait

log = logging.getLogger("yingshang.events.streams")

DUPLICATE_WINDOW_SECONDS = 120.0
MAX_AGE_SECONDS = 90 * 24 * 3600.0  # a consumer may lag up to 90 days before events expire
PUBLISH_MAX_PENDING = 8000  # async publishes awaiting a PubAck, per connection


def stream_name(service: str) -> str:
    """``hotline`` → ``YS_HOTLINE``."""
    return f"YS_{service.upper()}"


def stream_config(service: str, replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=stream_name(service),
        description=f"Yingshang events produced by {service}",
        subjects=[f"ys.{service}.>"],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        num_replicas=replicas,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        max_age=MAX_AGE_SECONDS,
        discard=DiscardPolicy.OLD,
    )


async def ensure_stream(js: JetStreamContext, service: str, replicas: int = 1) -> None:
    """Create the service's stream, or bring an existing one to the current config."""
    config = stream_config(service, replicas)
    try:
        info = await js.stream_info(config.name or "")
    except NotFoundError:
        await js.add_stream(config)
        log.info("created stream %s", config.name)
        return
    if _differs(info.config, config):
        await js.update_stream(config)
        log.info("updated stream %s", config.name)


def _differs(current: StreamConfig, wanted: StreamConfig) -> bool:
    fields = ("subjects", "num_replicas", "duplicate_window", "max_age", "storage")
    return any(getattr(current, f) != getattr(wanted, f) for f in fields)


class NatsConnection:
    """A Component holding the service's NATS connection (``nc``, ``js``).

    Connects in the background and reconnects forever, so a service starts and serves requests
    while NATS is down (events wait in the outbox). Others subscribe to :meth:`on_reconnect`.
    """

    name = "nats"

    def __init__(
        self,
        url: str,
        *,
        service: str,
        replicas: int = 1,
        streams: tuple[str, ...] | None = None,
        reconnect_wait: float = 1.0,
    ) -> None:
        self.url, self.service, self.replicas = url, service, replicas
        self.streams = streams if streams is not None else (service,)
        self.reconnect_wait = reconnect_wait
        self.nc: NatsClient | None = None
        self._js: JetStreamContext | None = None
        self.connected = asyncio.Event()
        self.generation = 0  # bumps on every (re)connect: subscriptions compare against it
        self._listeners: list[Any] = []
        self._task: asyncio.Task[None] | None = None
        self._down_since: float | None = time.monotonic()
        self._last_error: str | None = None

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> NatsConnection:
        return cls(
            settings.nats_url, service=settings.service, replicas=settings.nats_stream_replicas
        )

    @property
    def js(self) -> JetStreamContext:
        """One JetStream context per connection: it owns the async-publish reply subscription."""
        if self.nc is None:
            raise ConnectionError("NATS is not connected yet")
        if self._js is None:
            self._js = self.nc.jetstream(publish_async_max_pending=PUBLISH_MAX_PENDING)
        return self._js

    @property
    def is_connected(self) -> bool:
        return self.nc is not None and self.nc.is_connected and self.connected.is_set()

    def on_reconnect(self, listener: Any) -> None:
        """``listener()`` is called after every reconnect (and the first connect)."""
        self._listeners.append(listener)

    async def start(self, app: FastAPI | None = None) -> None:
        if app is not None:
            app.state.nats = self
        self._task = asyncio.create_task(self._connect_forever(), name="nats-connect")

    async def wait_connected(self, seconds: float | None = None) -> None:
        async with asyncio.timeout(seconds):  # not wait_for: see Wakeup.wait
            await self.connected.wait()

    async def stop(self) -> None:
        await cancel_and_wait([self._task])
        if self.nc is not None and not self.nc.is_closed:
            await self.nc.close()

    def readiness(self) -> dict[str, Any]:
        # NATS down is a warning, not unreadiness: requests still commit and the outbox holds
        # their events until the relay can publish them.
        report: dict[str, Any] = {"ok": True, "connected": self.is_connected, "url": self.url}
        if not self.is_connected:
            down = time.monotonic() - (self._down_since or time.monotonic())
            report["warnings"] = [f"NATS disconnected for {down:.0f}s ({self._last_error})"]
        return report

    async def _connect_forever(self) -> None:
        delay = self.reconnect_wait
        while self.nc is None:
            try:
                self.nc = await nats.connect(**self._options())
            except Exception as exc:  # first connect failed: retry with capped backoff
                self._note_error(exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
        await self._on_connected()

    def _options(self) -> dict[str, Any]:
        return {
            "servers": [u.strip() for u in self.url.split(",")],
            "name": f"yingshang-{self.service}",
            "allow_reconnect": True,
            "max_reconnect_attempts": -1,
            "reconnect_time_wait": self.reconnect_wait,
            "connect_timeout": 2,
            "disconnected_cb": self._disconnected,
            "reconnected_cb": self._reconnected,
            "error_cb": self._error,
            # Subjects come from CloudEvent types already checked against SUBJECT_RE: spare
            # nats-py re-validating them on every publish of a 100,000-event backlog.
            "skip_subject_validation": True,
        }

    async def _on_connected(self) -> None:
        for attempt in range(30):
            try:
                for service in self.streams:
                    await ensure_stream(self.js, service, self.replicas)
                break
            except Exception as exc:  # JetStream may still be recovering after a restart
                self._note_error(exc, 0.5 * (attempt + 1))
                await asyncio.sleep(0.5 * (attempt + 1))
        self.generation += 1
        self._down_since, self._last_error = None, None
        self.connected.set()
        log.info("NATS connected (generation %d)", self.generation)
        for listener in self._listeners:
            listener()

    async def _reconnected(self) -> None:
        # Runs inside nats-py's reconnect task: do the JetStream work in a task of our own.
        self._task = asyncio.create_task(self._on_connected(), name="nats-reconnected")

    async def _disconnected(self) -> None:
        self.connected.clear()
        self._down_since = self._down_since or time.monotonic()
        log.warning("NATS disconnected")

    async def _error(self, exc: Exception) -> None:
        self._last_error = f"{type(exc).__name__}: {exc}"

    def _note_error(self, exc: Exception, retry_in: float) -> None:
        first = self._last_error is None
        self._last_error = f"{type(exc).__name__}: {exc}"
        # One warning per outage, then debug: a broker down for hours must not flood the log.
        level = logging.WARNING if first else logging.DEBUG
        log.log(level, "NATS: %s (retry in %.1fs)", self._last_error, retry_in)
