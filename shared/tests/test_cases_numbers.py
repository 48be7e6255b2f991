"""Case numbers from per-prefix-per-day counters; query codes hashed and compared safely."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from datetime import UTC, datetime

import pytest
from conftest_kit import KIT_DIR

from yingshang import ids
from yingshang.cases import numbers as numbers_module
from yingshang.cases.numbers import (
    QUERY_CODE_ALPHABET,
    case_number,
    case_number_of,
    hash_query_code,
    new_query_code,
    next_value,
    normalise_application_number,
    query_code_matches,
    shanghai_day,
)
from yingshang.db import Database
from yingshang.ids import random_bytes, uuid7, uuid7_text
from yingshang.testing.plugin import MigratedDb


async def numbers(db: Database, prefix: str, at: datetime, n: int = 1, **kw: object) -> list[str]:
    out = []
    for _ in range(n):
        async with db.write() as session:
            out.append(await case_number(session, prefix, at=at, **kw))  # type: ignore[arg-type]
    return out


async def test_numbers_count_per_prefix_and_day(migrated_db: MigratedDb) -> None:
    db = Database(migrated_db(KIT_DIR))
    at = datetime(2026, 11, 26, 2, tzinfo=UTC)
    try:
        assert await numbers(db, "RX", at, 2) == ["RX20261126-00001", "RX20261126-00002"]
        assert await numbers(db, "TS", at) == ["TS20261126-00001"]
        code = "11520327MB1H3456XR4000117011001"
        assert await numbers(db, code, at, width=4, separator="") == [f"{code}202611260001"]
    finally:
        await db.dispose()


async def test_the_day_turns_at_midnight_in_shanghai(migrated_db: MigratedDb) -> None:
    db = Database(migrated_db(KIT_DIR))
    try:
        before = datetime(2026, 11, 26, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Shanghai
        after = datetime(2026, 11, 26, 16, 0, 0, tzinfo=UTC)  # 00:00 on the 27th
        assert await numbers(db, "RX", before) == ["RX20261126-00001"]
        assert await numbers(db, "RX", after) == ["RX20261127-00001"]
        assert shanghai_day(after) == "20261127"
    finally:
        await db.dispose()


async def failed_creation(db: Database) -> None:
    async with db.write() as session:
        assert await next_value(session, "RX:1") == 1
        raise RuntimeError("creation failed")


async def test_a_rolled_back_number_is_given_again(migrated_db: MigratedDb) -> None:
    db = Database(migrated_db(KIT_DIR))
    try:
        with pytest.raises(RuntimeError, match="creation failed"):
            await failed_creation(db)
        async with db.write() as session:
            assert await next_value(session, "RX:1") == 1
    finally:
        await db.dispose()


async def _concurrent_numbers(url: str) -> None:
    db = Database(url)

    async def one() -> int:
        async with db.write() as session:
            return await next_value(session, "RX:concurrent")

    try:
        values = await asyncio.gather(*(one() for _ in range(20)))
        assert sorted(values) == list(range(1, 21))
    finally:
        await db.dispose()


async def test_concurrent_creators_get_distinct_numbers(migrated_db: MigratedDb) -> None:
    await _concurrent_numbers(migrated_db(KIT_DIR))


@pytest.mark.postgres
async def test_concurrent_creators_get_distinct_numbers_on_postgres(
    migrated_db: MigratedDb,
) -> None:
    await _concurrent_numbers(migrated_db(KIT_DIR, backend="postgres"))


def test_query_codes_come_from_the_unambiguous_alphabet() -> None:
    codes = {new_query_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and set(c) <= set(QUERY_CODE_ALPHABET) for c in codes)
    assert not set("01ILO") & set(QUERY_CODE_ALPHABET)
    assert len(new_query_code(6)) == 6
    for length in (5, 9):
        with pytest.raises(ValueError, match="6 to 8"):
            new_query_code(length)


def test_query_codes_are_stored_hashed_per_case() -> None:
    code = "ABCD2345"
    stored = hash_query_code(code, salt="RX20261126-00001")
    assert code not in stored
    assert len(stored) == 64
    assert stored != hash_query_code(code, salt="RX20261126-00002")
    assert query_code_matches("abcd-2345", stored, salt="RX20261126-00001")
    assert query_code_matches(" ABCD 2345", stored, salt="RX20261126-00001")
    assert not query_code_matches("ABCD2346", stored, salt="RX20261126-00001")
    assert not query_code_matches(code, stored, salt="RX20261126-00002")


def test_new_ids_are_version_7_in_time_order() -> None:
    first = uuid7()
    assert (first.version, first.variant) == (7, uuid.RFC_4122)
    time.sleep(0.002)
    later = [uuid7() for _ in range(200)]
    assert all(first < other for other in later)  # a later millisecond sorts after
    assert len({u.int & ((1 << 74) - 1) for u in later}) == 200  # random tails differ
    text = uuid7_text()
    assert uuid.UUID(text).version == 7
    assert str(uuid.UUID(text)) == text  # canonical: lower-case, dashes in place
    assert uuid.UUID(text) > first  # time-ordered with the UUID objects


def test_query_code_digits_are_base_31_of_one_draw_and_overflow_is_redrawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    too_big = (1 << 64) - 1  # above the largest multiple of 31**8: drawn again
    draws = iter([too_big.to_bytes(8, "big"), (31**2 * 30 + 31 * 1 + 2).to_bytes(8, "big")])
    monkeypatch.setattr(numbers_module, "random_bytes", lambda count: next(draws))
    # least significant digit first: 2, 1, 30, then zeros
    alphabet = QUERY_CODE_ALPHABET
    assert new_query_code(6) == alphabet[2] + alphabet[1] + alphabet[30] + alphabet[0] * 3


def test_random_bytes_are_handed_out_once_and_a_forked_child_draws_its_own() -> None:
    chunks = [random_bytes(10) for _ in range(1000)]  # crosses several 4 KiB refills
    assert all(len(c) == 10 for c in chunks)
    assert len(set(chunks)) == 1000
    assert len(random_bytes(5000)) == 5000  # larger than the pool
    random_bytes(1)  # the pool now holds bytes a child must not repeat
    read, write = os.pipe()
    with ids._pool_lock:  # as if another thread were drawing at the moment of the fork
        pid = os.fork()
        if pid == 0:  # the child: report its next bytes (within 5 s), then leave at once
            signal.alarm(5)
            os.write(write, random_bytes(16))
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0  # not stuck on the parent's lock
    child = os.read(read, 16)
    os.close(read)
    assert ids._taken == 1  # the parent's pool is untouched by the child
    assert child != random_bytes(16)


def test_a_typed_case_number_is_normalised_or_refused() -> None:
    """Staff type or paste numbers: spaces around, lower case, full-width (a Chinese input
    method) are the stored number; another kind's prefix or another shape is refused."""
    ticket = case_number_of("RX")
    assert ticket(" rx20261126-00042 ") == "RX20261126-00042"
    assert ticket("ＲＸ２０２６１１２６－０００４２") == "RX20261126-00042"
    assert ticket("RX20261126-100000") == "RX20261126-100000"  # past 99 999 a day
    assert ticket("RX2026112600042") == "RX20261126-00042"  # read out without the hyphen
    assert case_number_of("AZ", "ZG")("zg20260302-00001") == "ZG20260302-00001"
    for wrong in ("RX2026", "TS20261126-00042", "RX20261126-0042", "RX20261126 00042", "RX-1", ""):
        with pytest.raises(ValueError, match="编号格式不正确"):
            ticket(wrong)
    code = "11520327MB1234567X" + "4520010010000"  # 实施编码: 18 + 13
    assert normalise_application_number(f" {code.lower()}202611260007 ") == f"{code}202611260007"
    # 一件事: a package's code (a capital letter, capitals, digits, underscores) leads instead
    assert normalise_application_number("ｋｂｑｙ２０２６１１２８０００１") == "KBQY202611280001"
    assert normalise_application_number("KB_Q2202611280012") == "KB_Q2202611280012"
    for wrong in (
        code,
        f"{code}20261126007",
        "RX20261126-00042",
        "RX2026112600042",  # a ticket read out without its hyphen is no package's
        "KBQY20261128001",
        "K202611280001",
        "1KBQY202611280001",
    ):
        with pytest.raises(ValueError, match="办件编号格式不正确"):
            normalise_application_number(wrong)
