"""Injectable clock. Domain code asks the clock for time, never ``datetime.now()`` directly."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime:
        """Current instant, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock tests move by hand."""

    def __init__(self, at: datetime) -> None:
        self._at = ensure_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = ensure_utc(at)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


_clock: Clock = SystemClock()


def get_clock() -> Clock:
    return _clock


def set_clock(clock: Clock) -> None:
    """Install a process-wide clock (tests, demo replays)."""
    global _clock
    _clock = clock


def now() -> datetime:
    return _clock.now()


def today() -> date:
    """Today in the county (Asia/Shanghai), from the injectable clock."""
    return now().astimezone(SHANGHAI).date()


def ensure_utc(at: datetime) -> datetime:
    """Aware UTC datetime; naive input is taken as UTC (how SQLite hands it back)."""
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    return at.astimezone(UTC)
