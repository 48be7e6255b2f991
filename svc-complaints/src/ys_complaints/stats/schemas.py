"""Statistics of the complaints center (no identity: counts and amounts only)."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field


class Rates(BaseModel):
    """How the cases of a group went: those received in the period (and, for a month, in
    that month)."""

    on_time_rate: float | None = Field(
        description="their timed stages completed on time / completed (None: none completed)"
    )
    satisfaction_rate: float | None = Field(
        description="confirmed / answered by the enterprise (None: none answered)"
    )
    average_working_days_to_close: float | None = Field(
        description="receipt → 办结 in working days, over the cases closed by now (a case not "
        "accepted is not counted)"
    )


class Count(Rates):
    key: str
    label: str | None
    count: int = Field(description="cases received")
    closed: int = Field(description="of them, 办结 by now (not counting 不予受理)")


class Month(Rates):
    month: str  # yyyy-MM, Asia/Shanghai
    received: int
    closed: int = Field(description="cases closed in the month (不予受理 included)")


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
    on_time_by_stage: dict[str, Rate] = Field(
        description="the same per stage: acceptance (受理决定), reply, feedback, supervision, "
        "checkback"
    )
    average_working_days_to_close: float | None = Field(
        description="receipt → 办结 in working days, over the cases closed by now"
    )
    satisfaction_rate: Rate  # confirmed / answered by the enterprise
    retaliation_found: int  # check-backs that found retaliation
    unpaid_bills: Amounts
