"""Replicas of each service: round-robin, a failing replica skipped for a cool-down."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ys_gateway.proxy.http1 import HostPool


@dataclass
class Replica:
    base: str  # e.g. "http://127.0.0.1:8002"
    pool: HostPool
    down_until: float = 0.0
    failures: int = 0

    @classmethod
    def from_url(cls, base: str, **pool_options: Any) -> Replica:
        parts = urlsplit(base)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"upstream {base!r}: only http://host:port is supported")
        return cls(base, HostPool(parts.hostname, parts.port or 80, **pool_options))


@dataclass
class ServicePool:
    """The replicas of one service, handed out round-robin."""

    name: str
    replicas: list[Replica]
    cooldown: float
    _next: int = field(default=0, repr=False)

    def order(self) -> list[Replica]:
        """Replicas to try for one request: healthy ones from the round-robin point, then
        (if every one is cooling down) the one that failed longest ago, as a probe."""
        count = len(self.replicas)
        start, self._next = self._next, (self._next + 1) % count
        stamp = time.monotonic()
        rotated = self.replicas[start:] + self.replicas[:start]
        healthy = [r for r in rotated if r.down_until <= stamp]
        if healthy:
            return healthy
        return [min(self.replicas, key=lambda r: r.down_until)]

    def failed(self, replica: Replica) -> None:
        replica.failures += 1
        replica.down_until = time.monotonic() + self.cooldown

    @staticmethod
    def succeeded(replica: Replica) -> None:
        if replica.failures:
            replica.failures, replica.down_until = 0, 0.0

    def close(self) -> None:
        for replica in self.replicas:
            replica.pool.close()


def build_pools(
    table: dict[str, list[str]], cooldown: float, **pool_options: Any
) -> dict[str, ServicePool]:
    """``pool_options``: see :class:`~ys_gateway.proxy.http1.HostPool`."""
    return {
        name: ServicePool(name, [Replica.from_url(u, **pool_options) for u in urls], cooldown)
        for name, urls in table.items()
        if urls
    }
