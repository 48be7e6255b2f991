"""The statistics report of a period."""

from datetime import date

from pydantic import BaseModel, Field

ON_TIME = "timed stages (五限时) completed in the period: the share completed on time (None: none)"


class LeaderVisits(BaseModel):
    """走访 per leader: the visits their pairings planned in the period, and made."""

    leader_name: str
    leader_staff_no: str | None
    leader_rank: str
    pairings: int
    planned_visits: int = Field(
        description="visits owed in the period: one per frequency window of each pairing "
        "starting in it (monthly/quarterly frequencies: calendar months/quarters)"
    )
    visits: int
    due_visits: int = Field(
        description="of planned_visits, those due by now: windows that are over, and the "
        "running window once visited (a pairing is not behind before its first visit is due)"
    )
    completion_rate: float | None = Field(
        description="share of the visits due met: per pairing, its visits up to its plan, over "
        "due_visits (extra visits to one enterprise do not cover another); None: none due yet"
    )
    overdue_pairings: int = Field(description="active pairings whose visit is overdue now")


class MonthFigures(BaseModel):
    month: str = Field(description="yyyy-MM, Asia/Shanghai")
    raised: int
    closed: int


class ProblemFigures(BaseModel):
    raised: int = Field(description="problems raised in the period")
    closed: int = Field(description="problems closed (销号) in the period")
    solved_of_raised: int = Field(description="of those raised in the period, closed by now")
    resolution_rate: float | None = Field(description="solved_of_raised / raised")
    average_days_to_close: float | None = Field(description="raised → 销号, closed in period")
    open_overdue: int = Field(description="open problems past a time limit now")
    overrides: int = Field(description="closed by the bureau's override in the period")
    by_category: dict[str, int]
    by_month: list[MonthFigures] = Field(description="raised and closed (销号) per month")
    on_time_rate: float | None = Field(description=ON_TIME)
    on_time_by_stage: dict[str, float] = Field(
        description="the same per stage (签收 sign, 联系 contact, proposal, resolution, "
        "progress, confirmation)"
    )


class DepartmentFigures(BaseModel):
    department: str
    assigned: int
    closed: int
    open_overdue: int
    on_time_rate: float | None = Field(description=ON_TIME)
    average_days_to_close: float | None = Field(description="raised → 销号, closed in period")
    good_rate: float | None = Field(
        description="好差评 of its problems closed in the period: share rated 4-5"
    )


class Satisfaction(BaseModel):
    """好差评 of closed problems: the county counts only 4-5 as good (DOMAIN.md)."""

    rated: int
    average_level: float | None
    good_rate: float | None = Field(description="share rated 满意 or 非常满意 (4-5)")


class DutyFigures(BaseModel):
    """坐班 per leader: sittings completed and matters handled (坐班办件 N 次)."""

    leader_name: str
    leader_staff_no: str | None
    sittings: int
    matters_handled: int
    problems_raised: int


class StatsOut(BaseModel):
    date_from: date
    date_to: date
    leaders: list[LeaderVisits]
    problems: ProblemFigures
    departments: list[DepartmentFigures]
    satisfaction: Satisfaction
    duty: list[DutyFigures]
