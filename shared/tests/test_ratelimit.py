"""Public routes: calls per address per minute, memory bounded."""

from __future__ import annotations

import pytest

from yingshang import ratelimit
from yingshang.problems import TooManyRequests
from yingshang.ratelimit import MinuteWindow


def test_an_address_gets_its_calls_per_minute_then_429() -> None:
    window = MinuteWindow(per_minute=3)
    for _ in range(3):
        window.check("10.0.0.1")
    with pytest.raises(TooManyRequests):
        window.check("10.0.0.1")
    window.check("10.0.0.2")  # another address has its own allowance


def test_the_least_recent_addresses_are_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "MAX_ADDRESSES", 3)
    window = MinuteWindow(per_minute=1)
    for n in range(5):
        window.check(f"10.0.0.{n}")
    assert list(window.hits) == ["10.0.0.2", "10.0.0.3", "10.0.0.4"]
