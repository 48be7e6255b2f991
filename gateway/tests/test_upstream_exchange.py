"""The HTTP/1.1 exchange with a replica: interim (1xx) answers are not the answer, and a
request that may have changed something is never sent twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from yingshang.processes import free_port
from ys_gateway.settings import Settings

from .kit import gateway_on_uvicorn, upstreams

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_upstream(handle: Handler) -> AsyncIterator[str]:
    port = free_port()
    server = await asyncio.start_server(handle, "127.0.0.1", port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


async def read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    body = await reader.readexactly(length) if length else b""
    return head.split(b"\r\n")[0], body


async def test_interim_responses_are_skipped(settings_for: Callable[..., Settings]) -> None:
    """``100 Continue`` and ``103 Early Hints`` from a replica precede its answer: the client
    gets the final response (status, headers and body), not the interim one."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(
            b"HTTP/1.1 100 Continue\r\n\r\n"
            b"HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n"
            b"HTTP/1.1 201 Created\r\nx-final: yes\r\ncontent-length: 4\r\n\r\ndone"
        )
        await writer.drain()
        writer.close()

    async with raw_upstream(handle) as url:
        settings = settings_for(upstreams=upstreams(hotline=url))
        async with gateway_on_uvicorn(settings) as gateway:
            got = await gateway.client.post(
                "/api/v1/hotline/tickets",
                content=b"{}",
                headers={"content-type": "application/json"},
            )
    assert got.status_code == 201, got.text
    assert got.text == "done"
    assert got.headers["x-final"] == "yes"
    assert "link" not in got.headers


async def test_a_post_is_not_repeated_when_a_reused_connection_drops(
    settings_for: Callable[..., Settings],
) -> None:
    """A replica that closes a kept-alive connection after reading a POST may have executed
    it: the gateway answers 502 rather than sending the POST again on a fresh connection."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            line, body = await read_request(reader)
            seen.append(line + b" " + body)
            if body == b'{"n": 2}' and sum(s.endswith(b'{"n": 2}') for s in seen) == 1:
                writer.close()  # processed, then the replica dies before answering
                return
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
            await writer.drain()

    async with raw_upstream(handle) as url:
        settings = settings_for(upstreams=upstreams(hotline=url))
        async with gateway_on_uvicorn(settings) as gateway:
            headers = {"content-type": "application/json"}
            path = "/api/v1/hotline/tickets/1/dispatch"
            first = await gateway.client.post(path, content=b'{"n": 1}', headers=headers)
            second = await gateway.client.post(path, content=b'{"n": 2}', headers=headers)
    assert first.status_code == 200
    posts = [s for s in seen if s.endswith(b'{"n": 2}')]
    assert (len(posts), second.status_code) == (1, 502), (posts, second.text)


async def test_a_get_is_repeated_on_a_fresh_connection_when_a_reused_one_drops(
    settings_for: Callable[..., Settings],
) -> None:
    """An idempotent request (GET) on a kept-alive connection the replica closes without an
    answer is sent again on a new connection: the caller gets the answer."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            line, _ = await read_request(reader)
            seen.append(line)
            if line.startswith(b"GET /api/v1/hotline/b") and seen.count(line) == 1:
                writer.close()
                return
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
            await writer.drain()

    async with raw_upstream(handle) as url:
        settings = settings_for(upstreams=upstreams(hotline=url))
        async with gateway_on_uvicorn(settings) as gateway:
            first = await gateway.client.get("/api/v1/hotline/a")
            second = await gateway.client.get("/api/v1/hotline/b")
    assert (first.status_code, second.status_code) == (200, 200)
    assert sum(line.startswith(b"GET /api/v1/hotline/b") for line in seen) == 2
