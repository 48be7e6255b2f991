"""Statistics of the complaints center (no identity: counts and amounts only)."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel


class Count(BaseModel):
    key: str
    label: str | None
    count: int


class Month(BaseModel):
    month: str  # yyyy-MM, Asia/Shanghai
    received: int
    closed: int


class Rate(BaseModel):
    numerator: int
    denominator: int
    rate: float | None  # None when nothing to count


class Amounts(BaseModel):
    """Unpaid government bills (保障中小企业款项支付条例): claimed and recovered, yuan."""

    cases: int
    claimed: Decimal
    recovered: Decimal
    recovery_rate: float | None


class Statistics(BaseModel):
    period_from: date
    period_to: date
    received: int
    by_category: list[Count]
    by_respondent: list[Count]
    by_month: list[Month]
    acceptance_rate: Rate  # accepted / decided
    on_time_rate: Rate  # timed stages completed on time / completed
    satisfaction_rate: Rate  # confirmed / answered by the enterprise
    retaliation_found: int  # check-backs that found retaliation
    unpaid_bills: Amounts
