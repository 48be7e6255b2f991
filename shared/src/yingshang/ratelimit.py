"""Requests per client address per minute for the services' public (token-less) routes.

Buckets live in memory per replica (ARCHITECTURE.md: "rate-limit buckets in memory per
replica"; the gateway limits in front as well).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque

from fastapi import Request

from yingshang.problems import TooManyRequests

WINDOW_SECONDS = 60.0
MAX_ADDRESSES = 10_000


class MinuteWindow:
    """The calls of each address in the last minute; the least recently seen addresses are
    forgotten beyond ``MAX_ADDRESSES`` so memory stays bounded."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.hits: OrderedDict[str, deque[float]] = OrderedDict()

    def check(self, key: str) -> None:
        at = time.monotonic()
        hits = self.hits.pop(key, deque())
        while hits and at - hits[0] > WINDOW_SECONDS:
            hits.popleft()
        self.hits[key] = hits
        while len(self.hits) > MAX_ADDRESSES:
            self.hits.popitem(last=False)
        if len(hits) >= self.per_minute:
            raise TooManyRequests("请求过于频繁，请一分钟后再试", retry_after=60)
        hits.append(at)


def limit_per_address(request: Request, name: str, per_minute: int) -> None:
    """429 once the caller's address used up ``per_minute`` calls of ``name``."""
    windows: dict[str, MinuteWindow] = request.app.state.__dict__.setdefault("public_limits", {})
    window = windows.setdefault(name, MinuteWindow(per_minute))
    window.check(request.client.host if request.client else "unknown")
