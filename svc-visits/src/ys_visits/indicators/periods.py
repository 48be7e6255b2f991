"""Evaluation periods: a quarter (``2026-Q3``) or a year (``2026``).

A year's score is its last word: it sorts after the year's fourth quarter.
"""

from datetime import date
from typing import Annotated

from fastapi import Path
from pydantic import StringConstraints

PATTERN = r"^20[0-9]{2}(-Q[1-4])?$"
Period = Annotated[str, StringConstraints(pattern=PATTERN)]
PeriodPath = Annotated[str, Path(pattern=PATTERN, description="2026-Q3 (a quarter) or 2026")]


def _parts(period: str) -> tuple[int, int | None]:
    year, _, quarter = period.partition("-Q")
    return int(year), int(quarter) if quarter else None


def first_day(period: str) -> date:
    year, quarter = _parts(period)
    return date(year, 3 * (quarter or 1) - 2, 1)


def sort_key(period: str) -> tuple[int, int]:
    """Chronological by the period's end; a year after its fourth quarter."""
    year, quarter = _parts(period)
    return year, quarter or 5
