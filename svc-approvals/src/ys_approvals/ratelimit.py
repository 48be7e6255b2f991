"""A small per-client token bucket for the public endpoints (query-code lookups).

Buckets live in memory per replica (ARCHITECTURE.md: no Redis in the design); the gateway
limits in front as well. Keys are the client address.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from fastapi import Request

from yingshang.problems import TooManyRequests


class TokenBucket:
    def __init__(self, rate_per_minute: int = 20, burst: int = 10, max_keys: int = 10_000) -> None:
        self.rate = rate_per_minute / 60.0
        self.burst = float(burst)
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> None:
        at = time.monotonic()
        tokens, last = self._buckets.pop(key, (self.burst, at))
        tokens = min(self.burst, tokens + (at - last) * self.rate)
        if tokens < 1:
            self._buckets[key] = (tokens, at)
            raise TooManyRequests("查询过于频繁，请稍候再试", retry_after=int(1 / self.rate) + 1)
        self._buckets[key] = (tokens - 1, at)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"
