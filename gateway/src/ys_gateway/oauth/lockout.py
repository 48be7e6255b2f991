"""Login lockout: repeated failures lock a username for a while (state in the gateway DB).

Counted per submitted username whether or not an account exists, so a lock reveals nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import now
from ys_gateway.models import LoginFailure


@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int
    window: timedelta
    duration: timedelta

    @classmethod
    def from_settings(cls, settings: Any) -> LockoutPolicy:
        return cls(
            settings.lockout_threshold,
            timedelta(seconds=settings.lockout_window_seconds),
            timedelta(seconds=settings.lockout_seconds),
        )


def normalise(username: str) -> str:
    return username.strip().lower()[:64]


async def is_locked(session: AsyncSession, username: str) -> bool:
    return await locked_for(session, username) > 0


async def locked_for(session: AsyncSession, username: str) -> int:
    """Seconds until the username's lock ends (0: not locked)."""
    row = await session.get(LoginFailure, normalise(username))
    if row is None or row.locked_until is None:
        return 0
    return max(0, math.ceil((row.locked_until - now()).total_seconds()))


async def record_failure(session: AsyncSession, username: str, policy: LockoutPolicy) -> bool:
    """Count one failure; returns True when this failure locks the username."""
    key, stamp = normalise(username), now()
    row = await session.get(LoginFailure, key)
    if row is None:
        row = LoginFailure(username=key, failures=0, window_start=stamp)
        session.add(row)
    if stamp - row.window_start > policy.window:
        row.failures, row.window_start = 0, stamp
    row.failures += 1
    locking = row.failures >= policy.threshold
    if locking:
        row.locked_until = stamp + policy.duration
        row.failures, row.window_start = 0, stamp
    await session.flush()
    return locking


async def reset(session: AsyncSession, username: str) -> None:
    row = await session.get(LoginFailure, normalise(username))
    if row is not None:
        await session.delete(row)
        await session.flush()
