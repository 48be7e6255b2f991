"""JSON logs carrying request id and traceparent; request ids; Prometheus metrics.

The middleware is plain ASGI (no BaseHTTPMiddleware) because it sits on every request.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yingshang.ids import random_hex

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
traceparent_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "traceparent", default=None
)
_TRACEPARENT = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def new_traceparent() -> str:
    return f"00-{random_hex(16)}-{random_hex(8)}-01"


def child_traceparent(parent: str | None) -> str:
    """Same trace, new span id (W3C trace context)."""
    if parent and _TRACEPARENT.match(parent):
        return f"{parent[:36]}{random_hex(8)}-{parent[-2:]}"
    return new_traceparent()


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        rid, tp = request_id_var.get(), traceparent_var.get()
        if rid:
            entry["request_id"] = rid
        if tp:
            entry["traceparent"] = tp
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        for key in ("service", "event_id", "subject", "case"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(service: str, level: str = "INFO") -> None:
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        root.setLevel(level)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.handlers = [handler]
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = os.environ.get("YS_ACCESS_LOG") != "1"
    logging.getLogger(service).debug("logging configured")


class Metrics:
    """Per-app registry (several apps may share one test process)."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "ys_http_requests", "HTTP requests", ["method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "ys_http_request_seconds",
            "HTTP latency",
            registry=self.registry,
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5),
        )
        self.service = service


class RequestContextMiddleware:
    """Request id + traceparent in, out and in logs; request metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        rid = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = rid if _REQUEST_ID.match(rid) else random_hex(8)
        traceparent = child_traceparent(headers.get(b"traceparent", b"").decode("latin-1"))
        scope.setdefault("state", {})["request_id"] = rid
        scope["state"]["traceparent"] = traceparent
        t_rid, t_tp = request_id_var.set(rid), traceparent_var.set(traceparent)
        started, status = time.perf_counter(), 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", rid.encode()),
                    (b"traceparent", traceparent.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.requests.labels(scope["method"], str(status)).inc()
            self.metrics.latency.observe(elapsed)
            if status >= 400:  # refused and failed requests leave a line (successes: metrics)
                _refused(scope, status, elapsed)
            request_id_var.reset(t_rid)
            traceparent_var.reset(t_tp)


access_log = logging.getLogger("yingshang.access")


def _refused(scope: Scope, status: int, elapsed: float) -> None:
    """One log line per 4xx/5xx answer, with the request id (in the record's context): who
    was refused what, findable from the id a client quotes. The query string is left out
    (it may hold search terms with personal data)."""
    level = logging.WARNING if status >= 500 else logging.INFO
    principal = scope.get("state", {}).get("principal")
    who = getattr(principal, "sub", None) or "-"
    access_log.log(
        level,
        "%s %s -> %d in %.1f ms (%s)",
        scope["method"],
        scope.get("path", ""),
        status,
        elapsed * 1e3,
        who,
    )
