"""Tests that depend on the time: the clock frozen at an instant, restored afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from yingshang.clock import FrozenClock, get_clock, set_clock


@contextmanager
def frozen_clock(at: datetime) -> Iterator[FrozenClock]:
    """``with frozen_clock(T0) as clock: ... clock.set(T0 + ...)``; the previous clock returns
    on exit, failures included."""
    before = get_clock()
    frozen = FrozenClock(at)
    set_clock(frozen)
    try:
        yield frozen
    finally:
        set_clock(before)
