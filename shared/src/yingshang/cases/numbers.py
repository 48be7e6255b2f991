"""Human case numbers and query codes (查询码).

Case numbers come from per-prefix-per-day counters in ``ys_sequences``, incremented in the
caller's transaction with one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (PostgreSQL
and SQLite ≥ 3.35): concurrent creators on PostgreSQL queue on the counter row until commit,
SQLite's single writer serialises them anyway. A rolled-back creation rolls its number back
too, so numbers have no gaps. The day is the Asia/Shanghai calendar day.

Query codes let a citizen look a case up without an account (public lookup = number + code).
Only a hash is stored: the code is shown once (receipt, SMS), never again to staff, in exports
or in backups; a lost code is replaced, not read back. The hash is salted with the case
number, so equal codes of two cases differ in storage. With ~40 bits an offline search over
a stolen hash is cheap, but whoever holds the database holds the case; online guessing is
bounded by the public endpoint's rate limit.

Staff find a case by its exact number in the list of its kind (``?number=``): what they type or
paste is normalised first (:func:`normalise_case_number`), a malformed number is a 422.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String, bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import Executable

from yingshang.clock import SHANGHAI, now
from yingshang.db import PlumbingBase
from yingshang.ids import random_bytes
from yingshang.prepared import Prepared

# No 0/O, 1/I/L: codes are read aloud on the phone and typed from paper receipts.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTHS = range(6, 9)


class SequenceCounter(PlumbingBase):
    """One counter per key, e.g. ``RX:20261126``."""

    __tablename__ = "ys_sequences"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


def upsert_for(dialect: Dialect) -> Any:
    """The dialect's ``insert`` (with ``on_conflict_do_*``)."""
    return pg_insert if dialect.name == "postgresql" else sqlite_insert


def _increment(dialect: Dialect) -> Executable:
    table = SequenceCounter.__table__
    statement: Executable = (
        upsert_for(dialect)(SequenceCounter)
        .values(key=bindparam("key"), value=1)
        .on_conflict_do_update(index_elements=[table.c.key], set_={"value": table.c.value + 1})
        .returning(table.c.value)
    )
    return statement


_INCREMENT = Prepared(_increment)


async def next_value(session: AsyncSession, key: str) -> int:
    """Increment and return counter ``key`` (1 on first use) in the caller's transaction."""
    value: int = await _INCREMENT.scalar(session, key=key)
    return value


def shanghai_day(at: datetime | None = None) -> str:
    """``yyyyMMdd`` of the Asia/Shanghai calendar day of ``at`` (default: now)."""
    day = (at or now()).astimezone(SHANGHAI)
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


async def case_number(
    session: AsyncSession,
    prefix: str,
    *,
    at: datetime | None = None,
    width: int = 5,
    separator: str = "-",
) -> str:
    """Next number of the day: ``case_number(s, "RX")`` → ``RX20261126-00042``.

    办件编号 of approvals: ``case_number(s, implementation_code, width=4, separator="")``
    (implementation code + yyyyMMdd + 4-digit sequence). The counter never wraps: the
    10 000th case of a 4-digit day simply gets 5 digits.
    """
    day = shanghai_day(at)
    value = await next_value(session, f"{prefix}:{day}")
    return f"{prefix}{day}{separator}{value:0{width}d}"


# ``RX20261126-00042``: prefix, Shanghai day, daily sequence (5 digits, more past 99 999).
# Read out on the phone the hyphen is often left out: the day has 8 digits, so it is put back.
_CASE_NUMBER = re.compile(r"^([A-Z]{2})(\d{8})-?(\d{5,})$")
# 办件编号: the 31-character implementation code of an item, or the code of a package (一件事:
# a capital letter, then capitals, digits or underscores, ``KBQY``), the day, the 4-digit
# sequence (svc-approvals ``next_number``). The day starts with 20: a ticket number read out
# without its hyphen (``RX2026112600042``) is no package's.
APPLICATION_NUMBER_PATTERN = r"^(?:[0-9A-Z]{31}|[A-Z][A-Z0-9_]{1,39})20\d{10}$"
_APPLICATION_NUMBER = re.compile(APPLICATION_NUMBER_PATTERN)
NUMBER_MAX_LENGTH = 60  # what a ``number`` filter accepts before normalising


def _typed(value: str) -> str:
    """Trimmed, full-width digits, letters and hyphens as ASCII (NFKC), upper-case."""
    return unicodedata.normalize("NFKC", value).strip().upper()


def normalise_case_number(value: str, *prefixes: str) -> str:
    """A case number as stored, from what staff type or paste; ``ValueError`` unless it is
    one of ``prefixes`` + yyyyMMdd + ``-`` (or none) + sequence."""
    shape = _CASE_NUMBER.match(_typed(value))
    if not shape or shape.group(1) not in prefixes:
        examples = "、".join(f"{p}20261126-00042" for p in prefixes)
        raise ValueError(f"编号格式不正确，应形如 {examples}")
    prefix, day, sequence = shape.groups()
    return f"{prefix}{day}-{sequence}"


def normalise_application_number(value: str) -> str:
    """An approvals 办件编号 as stored; ``ValueError`` unless implementation code (31
    characters) or package code (一件事, ``KBQY``) + yyyyMMdd + 4-digit sequence."""
    number = _typed(value)
    if not _APPLICATION_NUMBER.match(number):
        raise ValueError(
            "办件编号格式不正确，应为 31 位实施编码（一件事为套餐代码，如 KBQY）"
            " + 8 位日期 + 4 位流水号"
        )
    return number


def case_number_of(*prefixes: str) -> Callable[[str], str]:
    """The validator of a list's ``number`` filter::

    TicketNumber = Annotated[str, AfterValidator(case_number_of("RX"))]
    """

    def normalise(value: str) -> str:
        return normalise_case_number(value, *prefixes)

    return normalise


def new_query_code(length: int = 8) -> str:
    """A random query code, 6-8 characters from :data:`QUERY_CODE_ALPHABET` (the operating
    system's CSPRNG)."""
    if length not in QUERY_CODE_LENGTHS:
        raise ValueError("query codes have 6 to 8 characters")
    return "".join(QUERY_CODE_ALPHABET[digit] for digit in _base_digits(length))


_BASE = len(QUERY_CODE_ALPHABET)


def _base_digits(length: int) -> list[int]:
    """``length`` uniform digits in ``[0, _BASE)`` from one draw of 64 random bits (rejection
    sampling on the whole number, as ``secrets.choice`` does per character: no bias)."""
    span = _BASE**length
    limit = (1 << 64) // span * span
    while True:
        value = int.from_bytes(random_bytes(8), "big")
        if value < limit:
            break
    digits = []
    for _ in range(length):
        value, digit = divmod(value, _BASE)
        digits.append(digit)
    return digits


def normalise_query_code(code: str) -> str:
    """What people type: any case, spaces or hyphens between groups."""
    return code.upper().replace(" ", "").replace("-", "")


def hash_query_code(code: str, *, salt: str) -> str:
    """The stored form: SHA-256 over (salt = case number, normalised code)."""
    material = f"{salt}\x1f{normalise_query_code(code)}".encode()
    return hashlib.sha256(material).hexdigest()


def query_code_matches(code: str, stored_hash: str, *, salt: str) -> bool:
    """Constant-time comparison, so response timing says nothing about the code."""
    return hmac.compare_digest(hash_query_code(code, salt=salt), stored_hash)
