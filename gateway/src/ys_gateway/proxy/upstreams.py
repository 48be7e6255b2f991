"""Replicas of each service: round-robin, a failing replica skipped for a cool-down."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Replica:
    base: str  # e.g. "http://127.0.0.1:8002"
    down_until: float = 0.0
    failures: int = 0


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


def build_pools(table: dict[str, list[str]], cooldown: float) -> dict[str, ServicePool]:
    return {
        name: ServicePool(name, [Replica(u) for u in urls], cooldown)
        for name, urls in table.items()
        if urls
    }
