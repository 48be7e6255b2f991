"""A small HTTP/1.1 keep-alive client for the data path (asyncio protocol + httptools).

Measured here, aiohttp's client added about 1 ms per proxied request; a protocol that writes
the request head from the ASGI header bytes as they are and parses with httptools (the parser
uvicorn uses) costs a fraction of that. Responses are read whole (the services answer JSON);
one above ``max_body`` is refused as a bad gateway.
"""

from __future__ import annotations

import asyncio
import collections
import time
from dataclasses import dataclass, field
from typing import cast

import httptools

Headers = list[tuple[bytes, bytes]]


class UpstreamError(Exception):
    """The upstream could not be reached or broke the exchange."""

    def __init__(self, detail: str, *, connect: bool = False, sent: bool = False) -> None:
        super().__init__(detail)
        self.connect = connect  # nothing was sent: always safe to try another replica
        self.sent = sent  # the request may have reached the upstream


class UpstreamTimeout(UpstreamError):
    pass


@dataclass(slots=True)
class Answer:
    status: int
    headers: Headers
    body: bytes


@dataclass(slots=True)
class _Exchange:
    waiter: asyncio.Future[Answer]
    head_only: bool
    max_body: int
    headers: Headers = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    got_bytes: bool = False


class Connection(asyncio.Protocol):
    """One keep-alive connection; one exchange at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.exchange: _Exchange | None = None
        self.reusable = True
        self.used = 0
        self.idle_since = 0.0  # monotonic time it went back to the pool

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement the interface without subclassing asyncio.Transport.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        ex = self.exchange
        if ex is None:  # bytes nobody asked for: the connection is unusable
            self._close()
            return
        ex.got_bytes = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(UpstreamError(f"bad response: {exc}", sent=True))

    def connection_lost(self, exc: Exception | None) -> None:
        self.reusable = False
        ex = self.exchange
        if ex is not None and not ex.waiter.done():
            detail = "connection closed before the response" + (f" ({exc})" if exc else "")
            self._fail(UpstreamError(detail, sent=ex.got_bytes))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        assert self.exchange is not None
        self.exchange.headers.append((name, value))

    def on_headers_complete(self) -> None:
        if self._interim():
            return
        if self.exchange is not None and self.exchange.head_only:
            # A response to HEAD has no body whatever its Content-Length says.
            self.reusable = False
            self._finish()

    def on_body(self, body: bytes) -> None:
        ex = self.exchange
        assert ex is not None
        ex.size += len(body)
        if ex.size > ex.max_body:
            self._fail(UpstreamError("response too large for the gateway", sent=True))
            return
        ex.chunks.append(body)

    def on_message_complete(self) -> None:
        if self._interim():
            # 1xx (100 Continue, 103 Early Hints): not the answer; the final one follows.
            ex = self.exchange
            if ex is not None:
                ex.headers.clear()
                ex.chunks.clear()
                ex.size = 0
            return
        if not self.parser.should_keep_alive():
            self.reusable = False
        self._finish()

    def _interim(self) -> bool:
        """The response being parsed is an interim one (1xx other than 101)."""
        status = self.parser.get_status_code()
        return 100 <= status < 200 and status != 101

    # exchange
    async def exchange_once(
        self, request: bytes, *, head_only: bool, answer_within: float, max_body: int
    ) -> Answer:
        assert self.transport is not None
        loop = asyncio.get_running_loop()
        ex = _Exchange(loop.create_future(), head_only, max_body)
        self.exchange, self.used = ex, self.used + 1
        # One timer handle per exchange: cheaper than wrapping the wait in a timeout scope.
        timer = loop.call_later(answer_within, self._timed_out)
        self.transport.write(request)
        try:
            return await ex.waiter
        finally:
            timer.cancel()
            self.exchange = None

    def _finish(self) -> None:
        ex = self.exchange
        if ex is None or ex.waiter.done():
            return
        status = self.parser.get_status_code()
        ex.waiter.set_result(Answer(status, ex.headers, b"".join(ex.chunks)))

    def _fail(self, error: UpstreamError) -> None:
        self.reusable = False
        ex = self.exchange
        if ex is not None and not ex.waiter.done():
            ex.waiter.set_exception(error)
        self._close()

    def _timed_out(self) -> None:
        self._fail(UpstreamTimeout("no answer in time", sent=True))

    def _close(self) -> None:
        self.reusable = False
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()


class HostPool:
    """Idle keep-alive connections to one upstream ``host:port``."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        max_idle: int = 256,
        connect_within: float = 2.0,
        answer_within: float = 30.0,
        max_body: int = 64 << 20,
        fresh_within: float = 2.0,
    ) -> None:
        self.host, self.port = host, port
        self.host_header = f"{host}:{port}".encode()
        self.max_idle, self.connect_within = max_idle, connect_within
        self.answer_within, self.max_body = answer_within, max_body
        self.fresh_within = fresh_within
        self._idle: collections.deque[Connection] = collections.deque()

    async def request(
        self, request: bytes, *, head_only: bool = False, idempotent: bool = True
    ) -> Answer:
        """Send on an idle connection or on a new one.

        An idle connection the upstream closes as the request goes out (no response byte)
        may or may not have delivered it. An idempotent request (RFC 9110 §9.2.2) is then sent
        again on a fresh connection; any other (POST, PATCH) is not, since it may have been
        executed: the failure is reported as sent. Such requests use only connections idle
        for less than ``fresh_within`` seconds, well inside upstreams' keep-alive timeouts
        (uvicorn: 5 s), so that race stays rare."""
        stale_before = time.monotonic() - self.fresh_within
        while self._idle:
            conn = self._idle.pop()
            if not conn.reusable:
                continue
            if not idempotent and conn.idle_since < stale_before:
                conn._close()
                continue
            try:
                answer = await self._exchange(conn, request, head_only)
            except UpstreamError as exc:
                if exc.sent or isinstance(exc, UpstreamTimeout):
                    raise
                if not idempotent:
                    raise UpstreamError(f"{exc} (not repeated: may have run)", sent=True) from exc
                continue  # closed under us: repeat the idempotent request on another one
            self._release(conn)
            return answer
        conn = await self._connect()
        answer = await self._exchange(conn, request, head_only)
        self._release(conn)
        return answer

    async def _exchange(self, conn: Connection, request: bytes, head_only: bool) -> Answer:
        return await conn.exchange_once(
            request, head_only=head_only, answer_within=self.answer_within, max_body=self.max_body
        )

    async def _connect(self) -> Connection:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.connect_within):
                _, conn = await loop.create_connection(Connection, self.host, self.port)
        except (OSError, TimeoutError) as exc:
            raise UpstreamError(f"cannot connect: {type(exc).__name__}", connect=True) from exc
        return conn

    def _release(self, conn: Connection) -> None:
        if conn.reusable and len(self._idle) < self.max_idle:
            conn.idle_since = time.monotonic()
            self._idle.append(conn)
        else:
            conn._close()

    def close(self) -> None:
        while self._idle:
            self._idle.pop()._close()
