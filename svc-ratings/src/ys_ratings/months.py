"""Calendar months as the bulletin and scorecards count them (Asia/Shanghai, ``YYYY-MM``)."""

from __future__ import annotations

import re
from datetime import datetime

from yingshang.clock import SHANGHAI, ensure_utc
from yingshang.problems import Invalid

MONTH_RE = re.compile(r"^2\d{3}-(0[1-9]|1[0-2])$")
MONTH_PATTERN = MONTH_RE.pattern


def month_of(at: datetime) -> str:
    """The county's month of an instant: a rating at 23:30 UTC on the 31st is next month's."""
    return ensure_utc(at).astimezone(SHANGHAI).strftime("%Y-%m")


def parse_month(value: str, field: str = "month") -> str:
    if not MONTH_RE.match(value):
        raise Invalid("月份格式应为 2026-10", field=field)
    return value


def month_start(month: str) -> datetime:
    """First instant of ``month`` (Shanghai midnight), timezone-aware."""
    year, mon = (int(part) for part in month.split("-"))
    return datetime(year, mon, 1, tzinfo=SHANGHAI)


def next_month(month: str) -> str:
    year, mon = (int(part) for part in month.split("-"))
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def previous_month(month: str) -> str:
    year, mon = (int(part) for part in month.split("-"))
    return f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"


def month_has_ended(month: str, at: datetime) -> bool:
    return ensure_utc(at) >= month_start(next_month(month))
