"""Token buckets per replica, in memory (ARCHITECTURE.md: no Redis in the design).

Integration clients get their own rate (from their row); requests without a token are
limited per source address. Answers are whole seconds to wait (0 = go ahead).
"""

from __future__ import annotations

import math
import time

MAX_KEYS = 100_000


class TokenBuckets:
    """``take(key, rate, burst)``: one token per request, refilled at ``rate`` per second."""

    def __init__(self) -> None:
        self._buckets: dict[str, list[float]] = {}

    def take(self, key: str, rate: float, burst: float) -> int:
        stamp = time.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_KEYS:
                self._evict(stamp)
            bucket = self._buckets[key] = [burst, stamp]
        tokens = min(burst, bucket[0] + (stamp - bucket[1]) * rate)
        bucket[1] = stamp
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0
        bucket[0] = tokens
        return max(1, math.ceil((1.0 - tokens) / rate)) if rate > 0 else 60

    def _evict(self, stamp: float) -> None:
        """Drop buckets idle for a minute (they would be full again anyway)."""
        idle = [k for k, (_, last) in self._buckets.items() if stamp - last > 60]
        for key in idle:
            del self._buckets[key]
        if len(self._buckets) >= MAX_KEYS:
            self._buckets.clear()


class RateLimiter:
    """The gateway's two limits: per client (its row's rate) and per IP on public routes."""

    def __init__(self, public_per_minute: int, public_burst: int, client_burst_s: float) -> None:
        self._buckets = TokenBuckets()
        self._public_rate = public_per_minute / 60.0
        self._public_burst = float(public_burst)
        self._client_burst_s = client_burst_s

    def public_ip(self, ip: str) -> int:
        return self._buckets.take("ip:" + ip, self._public_rate, self._public_burst)

    def client(self, client_id: str, per_minute: int) -> int:
        rate = per_minute / 60.0
        burst = max(1.0, rate * self._client_burst_s)
        return self._buckets.take("client:" + client_id, rate, burst)
