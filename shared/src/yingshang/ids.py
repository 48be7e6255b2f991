"""Identifiers of new rows: time-ordered UUIDs (version 7, RFC 9562).

The Unix time in milliseconds comes first, then 74 random bits: rows keyed by them go in at
the right edge of their primary key and of the indexes that carry them (case ids, event ids)
instead of at a random page each, so a write transaction touches and commits fewer pages.
The 12 bits after the version count the ids a process hands out within one millisecond
(RFC 9562 §6.2, method 1), so ids sort in the order they were made: rows written at one
instant (a ticket's 受理 and the clock it starts) read back in the order they were written.
Uniqueness rests on the 62 random bits after the variant; ids still say nothing a caller
could use: a creation time to the millisecond is already in the row.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_VARIANT_DIGIT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}
_VERSION = 0x7 << 76
_VARIANT = 0b10 << 62
_RAND_B = (1 << 62) - 1  # 62 random bits after the variant


_POOL_SIZE = 4096
_pool = b""
_taken = 0
_pool_lock = threading.Lock()


def random_bytes(count: int) -> bytes:
    """``count`` bytes from the operating system's CSPRNG (``os.urandom``), drawn 4 KiB at a
    time instead of one system call per id; each byte is handed out once, and a forked child
    starts with a fresh pool."""
    global _pool, _taken
    with _pool_lock:
        end = _taken + count
        if end > len(_pool):
            _pool, _taken, end = os.urandom(max(_POOL_SIZE, count)), 0, count
        chunk = _pool[_taken:end]
        _taken = end
    return chunk


def _fresh_pool() -> None:
    # a thread of the parent may have held the lock at the fork: the child's is a new one
    global _pool, _taken, _pool_lock
    _pool, _taken, _pool_lock = b"", 0, threading.Lock()


os.register_at_fork(after_in_child=_fresh_pool)


def random_hex(count: int) -> str:
    """``count`` random bytes as hex digits (trace and span ids, request ids)."""
    return random_bytes(count).hex()


_COUNTER_MAX = 0xFFF  # the 12 bits of ``rand_a``
_stamp = (0, -1)  # the last (millisecond, counter) handed out by this process
_stamp_lock = threading.Lock()


def _next_stamps(count: int) -> tuple[int, int]:
    """Reserve ``count`` successive (millisecond, counter) stamps after the last one handed
    out: the first's millisecond and counter. A millisecond whose counter runs out, or a
    clock set back, continues in the next millisecond after the last one used."""
    global _stamp
    with _stamp_lock:
        last_millis, last_counter = _stamp
        millis = max(time.time_ns() // 1_000_000, last_millis)
        first = last_counter + 1 if millis == last_millis else 0
        if first + count - 1 > _COUNTER_MAX:
            millis, first = millis + 1, 0
        _stamp = (millis, first + count - 1)
    return millis & 0xFFFF_FFFF_FFFF, first


def _fresh_stamp_lock() -> None:
    global _stamp_lock
    _stamp_lock = threading.Lock()  # as for the pool: the parent's may have been held


os.register_at_fork(after_in_child=_fresh_stamp_lock)


def _uuid7_int() -> int:
    millis, counter = _next_stamps(1)
    rand = int.from_bytes(random_bytes(8), "big")  # 62 bits used
    return (millis << 80) | _VERSION | (counter << 64) | _VARIANT | (rand & _RAND_B)


def uuid7() -> uuid.UUID:
    """A new version-7 UUID."""
    return uuid.UUID(int=_uuid7_int())


def uuid7_text() -> str:
    """A new version-7 UUID as canonical text (event ids), without a UUID object."""
    return dashed(f"{_uuid7_int():032x}")


def dashed(digits: str) -> str:
    """A UUID's 32 hex digits as its canonical ``8-4-4-4-12`` text."""
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def uuid7_hex(count: int) -> list[str]:
    """``count`` (at most 4,096) new version-7 UUIDs as 32 hex digits, for bulk writes (one
    clock reading and one call for random bytes in all; no UUID objects). They sort in the
    order they are handed out, after every id made before them (the module docstring), so
    rows written together at one instant (a stage's 预警, 超期 and 督办 entries) keep their
    order; 62 random bits follow."""
    if count > _COUNTER_MAX + 1:
        raise ValueError("at most 4096 ids per call")
    stamp, first = _next_stamps(count)
    millis = f"{stamp:012x}"
    digits = random_bytes(8 * count).hex()
    return [
        f"{millis}7{first + n:03x}{_VARIANT_DIGIT[digits[i]]}{digits[i + 1 : i + 16]}"
        for n, i in enumerate(range(0, 16 * count, 16))
    ]
