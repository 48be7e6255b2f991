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


def county_minute(at: datetime) -> str:
    """``2026-06-03 17:30``: an instant as the county reads it (Asia/Shanghai, to the minute)."""
    return f"{ensure_utc(at).astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def county_due(at: datetime) -> str:
    """A due time as the county writes it (the console, SMS, exports): a working-day limit ends
    at 24:00 of its last day, so midnight reads ``2026-06-03 24:00``, not the next day's
    00:00 (read as one day later); any other instant as :func:`county_minute`."""
    local = ensure_utc(at).astimezone(SHANGHAI)
    if (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0):
        return f"{local - timedelta(days=1):%Y-%m-%d} 24:00"
    return county_minute(at)
