"""The data path: ``/api/v1/<service>/...`` forwarded unchanged to a replica of the service.

Raw ASGI in front of the FastAPI app (which serves only the gateway's own routes):
FastAPI plus httpx kept ~3% of direct throughput here (encode/httpx#3215), so requests are
relayed over keep-alive connections (``proxy.http1``) with the header bytes as received.
The gateway checks a token if one is sent (a bad token is a 401 here), applies rate limits and
forwards exactly the ``Authorization`` value it checked (a request repeating it is refused):
the services verify it again (zero trust).
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from typing import Any

import orjson
from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import Receive, Scope, Send

from yingshang.auth import PasswordChangeRequired, Principal, TokenVerifier
from yingshang.observability import child_traceparent
from yingshang.problems import PROBLEM_BASE, DomainError, framework_problem
from ys_gateway.proxy.clients import ClientCache
from ys_gateway.proxy.cors import Cors
from ys_gateway.proxy.http1 import Answer, UpstreamError, UpstreamTimeout
from ys_gateway.proxy.pads import PAD_SCOPE, bound_client
from ys_gateway.proxy.ratelimit import RateLimiter
from ys_gateway.proxy.upstreams import ServicePool

log = logging.getLogger("ys_gateway.proxy")

PREFIX = "/api/v1/"
# RFC 9110 §7.6.1 hop-by-hop fields, plus what the client library sets itself.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"host",
        b"content-length",
        b"x-request-id",
        b"traceparent",
        b"x-forwarded-for",
        b"x-forwarded-proto",
        b"x-forwarded-host",
        b"expect",  # the gateway reads the whole body itself (answering 100 Continue)
        b"authorization",  # forwarded separately: exactly the value the gateway checked
    }
)
DROP_FROM_UPSTREAM = frozenset(
    {
        b"content-length",
        b"connection",
        b"keep-alive",
        b"transfer-encoding",
        b"date",
        b"server",
        b"x-request-id",
        b"traceparent",
    }
)
# Fields that must come once: the gateway checks one value and the services read one value,
# and they might not pick the same one (a second Authorization smuggled a refused token past
# the gateway). A request repeating one is refused (400).
SINGLE = frozenset({b"authorization", b"x-acting-position"})
RETRY_SAFE = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # as yingshang.observability accepts
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class ProxyError(Exception):
    def __init__(
        self, status: int, title: str, detail: str, retry_after: int = 0, code: str | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.retry_after = status, title, detail, retry_after
        self.code = code  # problem type; by default from the status


class ProxyMetrics:
    """Relayed requests per service and status, and their time in the gateway + upstream."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "ys_gateway_relayed", "Relayed requests", ["service", "status"], registry=registry
        )
        self.seconds = Histogram(
            "ys_gateway_relay_seconds",
            "Relayed request time",
            ["service"],
            registry=registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5),
        )
        self._children: dict[tuple[str, int], Any] = {}

    def observe(self, service: str, status: int, seconds: float) -> None:
        key = (service, status)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = (
                self.requests.labels(service, str(status)),
                self.seconds.labels(service),
            )
        child[0].inc()
        child[1].observe(seconds)


class Proxy:
    """Upstream pools and the shared data-path state (a Component of the app lifespan)."""

    name = "proxy"

    def __init__(
        self,
        pools: dict[str, ServicePool],
        *,
        limiter: RateLimiter,
        clients: ClientCache,
        state: Any,
        max_body: int,
        cors_origins: str = "*",
    ) -> None:
        self.pools, self.limiter, self.clients, self.state = pools, limiter, clients, state
        self.max_body = max_body
        self.metrics = ProxyMetrics(state.metrics.registry)
        self.cors = Cors(cors_origins)
        self.running = False

    async def start(self, app: Any) -> None:
        self.running = True

    async def stop(self) -> None:
        self.running = False
        for pool in self.pools.values():
            pool.close()

    def readiness(self) -> dict[str, Any]:
        return {"ok": self.running, "services": sorted(self.pools)}

    def pool_for(self, path: str) -> ServicePool | None:
        if not path.startswith(PREFIX):
            return None
        end = path.find("/", 8)
        return self.pools.get(path[8:end] if end > 0 else path[8:])


class GatewayApp(FastAPI):
    """The gateway's FastAPI app with the data path in front of everything it does.

    ``/api/v1/<service>/...`` is relayed before FastAPI's own middleware stack runs; only
    the gateway's own routes (tokens, directory, docs, health) enter FastAPI.
    """

    proxy: Proxy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            repeated = repeated_field(scope["headers"])
            if repeated is not None:
                await _refuse_repeated(scope, send, repeated)
                return
            pool = self.proxy.pool_for(scope["path"])
            if pool is not None:
                await Exchange(self.proxy, scope, receive, send).run(pool)
                return
        await super().__call__(scope, receive, send)


def repeated_field(headers: list[tuple[bytes, bytes]]) -> bytes | None:
    """The first of :data:`SINGLE` that occurs more than once in ``headers`` (else None)."""
    seen: set[bytes] = set()
    for key, _ in headers:
        if key in SINGLE:
            if key in seen:
                return key
            seen.add(key)
    return None


async def _refuse_repeated(scope: Scope, send: Send, name: bytes) -> None:
    field = name.decode("latin-1").title()
    body = orjson.dumps(
        {
            "type": PROBLEM_BASE + "bad-request",
            "title": "请求有误",
            "status": 400,
            "detail": f"{field} 请求头只能发送一次",
            "instance": scope["path"],
        }
    )
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", b"%d" % len(body)),
    ]
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Exchange:
    """One proxied request/response."""

    __slots__ = (
        "auth",
        "clen",
        "extra",
        "origin",
        "principal",
        "proxy",
        "receive",
        "scope",
        "send",
        "started",
        "status",
        "tp",
    )

    def __init__(self, proxy: Proxy, scope: Scope, receive: Receive, send: Send) -> None:
        self.proxy, self.scope, self.receive, self.send = proxy, scope, receive, send
        self.auth = self.clen = self.origin = None
        self.principal: Principal | None = None
        self.started = False
        self.status = 0
        rid = tp = None
        for key, value in scope["headers"]:
            if key == b"authorization":
                self.auth = value
            elif key == b"x-request-id":
                rid = value.decode("latin-1")
            elif key == b"traceparent":
                tp = value.decode("latin-1")
            elif key == b"content-length":
                self.clen = value
            elif key == b"origin":
                self.origin = value
        rid = rid if rid and REQUEST_ID.match(rid) else secrets.token_hex(8)
        self.tp = child_traceparent(tp)
        self.extra = [(b"x-request-id", rid.encode()), (b"traceparent", self.tp.encode())]
        self.extra += proxy.cors.headers(self.origin)

    async def run(self, pool: ServicePool) -> None:
        started = time.perf_counter()
        try:
            await self._run(pool)
        finally:
            self.proxy.metrics.observe(pool.name, self.status, time.perf_counter() - started)

    async def _run(self, pool: ServicePool) -> None:
        try:
            if self.origin is not None and self.proxy.cors.is_preflight(self.scope):
                await self._respond(204, [*self.extra, *self.proxy.cors.preflight(self.scope)], b"")
                return
            await self._admit()
            body = await self._body()
            await self._check_pad_binding(body)
            await self._forward(pool, body)
        except ProxyError as exc:
            if self.started:  # the response is under way: nothing sensible to add
                log.warning("proxy %s aborted mid-response: %s", self.scope["path"], exc.detail)
                return
            await self._problem(exc)
        except Exception:
            log.exception("proxy failed on %s", self.scope["path"])
            if not self.started:
                await self._problem(
                    ProxyError(500, "内部错误", "错误已记录，请提供请求编号（request id）")
                )

    async def _admit(self) -> None:
        """Token (if any) must be valid; then the client's or the address's rate limit.

        A request whose token is refused counts against its address's limit like one without
        a token: sending any ``Authorization`` header does not escape that limit."""
        if self.auth is None:
            self._limit_ip()
            return
        try:
            principal = await self._principal(self.auth.decode("latin-1"))
        except ProxyError as exc:
            if exc.status < 500:  # refused (not: keys unavailable)
                self._limit_ip()
            raise
        if principal.client_id is not None:
            self._admit_client(principal.client_id)
        self.principal = principal

    def _limit_ip(self) -> None:
        wait = self.proxy.limiter.public_ip(self._ip() or "unknown")
        if wait:
            raise ProxyError(429, "请求过于频繁", "请稍后再试", retry_after=wait)

    async def _principal(self, header: str) -> Principal:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ProxyError(401, "需要登录", "请先登录（Authorization: Bearer <token>）")
        verifier: TokenVerifier = self.proxy.state.verifier
        try:
            return await verifier.verify(token.strip())
        except PasswordChangeRequired as exc:  # a good token that may only change its password
            raise ProxyError(exc.status, exc.title, exc.detail, code=exc.code) from exc
        except DomainError as exc:
            raise ProxyError(exc.status, exc.title, exc.detail) from exc

    def _admit_client(self, client_id: str) -> None:
        limits = self.proxy.clients.get(client_id)
        if limits is None or not limits.active:
            raise ProxyError(401, "需要登录", "该接口客户端已停用")
        if not limits.allows_ip(self._ip()):
            raise ProxyError(403, "无权操作", "该接口客户端不允许从此地址接入")
        wait = self.proxy.limiter.client(client_id, limits.per_minute)
        if wait:
            raise ProxyError(
                429, "请求过于频繁", "超过该接口客户端的请求频率限制", retry_after=wait
            )

    async def _check_pad_binding(self, body: bytes | None) -> None:
        """A window's pad is bound only to a client the gateway has (``proxy.pads``). A client
        made on another replica moments ago may not be cached here yet: read them again first."""
        client_id = bound_client(self.scope["method"], self.scope["path"], body)
        # only for who may bind (a head or admin, as the service's MANAGERS): others are refused
        # by the service, and learn nothing here about which clients exist
        manager = self.principal is not None and self.principal.has(("head", "admin"))
        if client_id is None or not manager:
            return
        clients = self.proxy.clients
        if not clients.grants(client_id, PAD_SCOPE):
            async with self.proxy.state.db.read() as session:
                await clients.reload(session)
        if not clients.grants(client_id, PAD_SCOPE):
            raise ProxyError(
                422,
                "提交的内容有误",
                f"没有具备 {PAD_SCOPE} 权限的在用接口客户端 {client_id}",
                code="unknown-pad-client",
            )

    async def _body(self) -> bytes | None:
        limit = self.proxy.max_body
        if self.clen is not None and (not self.clen.isdigit() or int(self.clen) > limit):
            raise ProxyError(413, "请求内容过大", f"请求内容最多 {limit} 字节")
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                raise ProxyError(400, "请求有误", "客户端已断开连接")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise ProxyError(413, "请求内容过大", f"请求内容最多 {limit} 字节")
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks) if size else None

    async def _forward(self, pool: ServicePool, body: bytes | None) -> None:
        method = self.scope["method"]
        head_only = method == "HEAD"
        prefix, rest = self._request_parts(body)
        for replica in pool.order():
            request = b"".join((prefix, replica.pool.host_header, rest))
            try:
                answer = await replica.pool.request(
                    request, head_only=head_only, idempotent=method in RETRY_SAFE
                )
            except UpstreamTimeout as exc:
                raise ProxyError(504, "上游服务未及时响应", f"{pool.name} 服务未及时响应") from exc
            except UpstreamError as exc:
                pool.failed(replica)
                if exc.connect or (not exc.sent and method in RETRY_SAFE):
                    continue
                raise ProxyError(502, "上游服务出错", f"{pool.name} 服务出错（{exc}）") from exc
            pool.succeeded(replica)
            await self._relay(answer)
            return
        raise ProxyError(502, "上游服务出错", f"{pool.name} 服务的所有实例都无法连接")

    def _request_parts(self, body: bytes | None) -> tuple[bytes, bytes]:
        """The request as bytes around the Host value (which differs per replica)."""
        scope = self.scope
        target = scope["raw_path"]
        if scope["query_string"]:
            target += b"?" + scope["query_string"]
        prefix = b"%s %s HTTP/1.1\r\nhost: " % (scope["method"].encode(), target)
        parts = [b"\r\n"]
        for key, value in scope["headers"]:
            if key not in HOP_BY_HOP:
                parts += (key, b": ", value, b"\r\n")
        if self.auth is not None:  # the one value the gateway checked (_admit)
            parts += (b"authorization: ", self.auth, b"\r\n")
        for key, value in self.extra[:2]:  # request id and traceparent
            parts += (key, b": ", value, b"\r\n")
        ip, scheme = (self._ip() or "").encode(), scope["scheme"].encode()
        parts += (b"x-forwarded-for: ", ip, b"\r\nx-forwarded-proto: ", scheme, b"\r\n")
        if body is not None or scope["method"] in BODY_METHODS:
            parts += (b"content-length: ", str(len(body or b"")).encode(), b"\r\n")
        parts.append(b"\r\n")
        if body:
            parts.append(body)
        return prefix, b"".join(parts)

    async def _relay(self, answer: Answer) -> None:
        head = self.scope["method"] == "HEAD"
        headers = [
            kv
            for kv in answer.headers
            if kv[0].lower() not in DROP_FROM_UPSTREAM
            or (head and kv[0].lower() == b"content-length")
        ]
        headers += self.extra
        await self._respond(answer.status, headers, answer.body, length_known=head)

    async def _respond(
        self,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        *,
        length_known: bool = False,
    ) -> None:
        self.started, self.status = True, status
        if not length_known:
            headers.append((b"content-length", b"%d" % len(body)))
        await self.send({"type": "http.response.start", "status": status, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})

    async def _problem(self, exc: ProxyError) -> None:
        # the proxy's own refusals (code None) are the framework's problems (shared types,
        # Chinese titles); a domain error handed on (token verification) keeps its own
        code, title = (exc.code, exc.title) if exc.code else framework_problem(exc.status)
        body = orjson.dumps(
            {
                "type": PROBLEM_BASE + code,
                "title": title,
                "status": exc.status,
                "detail": exc.detail,
                "instance": self.scope["path"],
                "request_id": self.extra[0][1].decode(),
            }
        )
        headers = [(b"content-type", b"application/problem+json"), *self.extra]
        if exc.retry_after:
            headers.append((b"retry-after", str(exc.retry_after).encode()))
        if exc.status == 401:
            headers.append((b"www-authenticate", b'Bearer realm="yingshang"'))
        if exc.status >= 500:
            log.warning("proxy %s %s: %s", exc.status, self.scope["path"], exc.detail)
        await self._respond(exc.status, headers, body)

    def _ip(self) -> str | None:
        client = self.scope.get("client")
        return client[0] if client else None
