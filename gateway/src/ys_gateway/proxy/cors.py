"""CORS on the data path (the gateway's own routes use Starlette's CORSMiddleware)."""

from __future__ import annotations

from starlette.types import Scope


class Cors:
    """CORS for the console and browser integrators (bearer tokens, no cookies)."""

    def __init__(self, origins: str) -> None:
        self.any = origins.strip() == "*"
        self.allowed = frozenset(o.strip().encode() for o in origins.split(",") if o.strip())

    def headers(self, origin: bytes | None) -> list[tuple[bytes, bytes]]:
        if origin is None or not (self.any or origin in self.allowed):
            return []
        value = b"*" if self.any else origin
        return [
            (b"access-control-allow-origin", value),
            (b"access-control-expose-headers", b"x-request-id, traceparent, etag, retry-after"),
            (b"vary", b"origin"),
        ]

    @staticmethod
    def is_preflight(scope: Scope) -> bool:
        if scope["method"] != "OPTIONS":
            return False
        return any(k == b"access-control-request-method" for k, _ in scope["headers"])

    @staticmethod
    def preflight(scope: Scope) -> list[tuple[bytes, bytes]]:
        requested = next(
            (v for k, v in scope["headers"] if k == b"access-control-request-headers"), b""
        )
        return [
            (b"access-control-allow-methods", b"GET, POST, PUT, PATCH, DELETE, OPTIONS"),
            (b"access-control-allow-headers", requested or b"authorization, content-type"),
            (b"access-control-max-age", b"600"),
        ]
