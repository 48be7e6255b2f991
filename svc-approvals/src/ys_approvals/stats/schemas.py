"""Statistics bodies."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Figures(BaseModel):
    applications: int
    online_rate: float | None = Field(
        description="网上申请 share: online through the provincial platform or 跨省通办"
    )
    zero_trip_share: float | None = Field(description="零跑腿 share")
    at_most_one_trip_share: float | None = Field(description="最多跑一次 share")
    finished: int
    in_progress: int
    overdue: int
    on_time_rate: float | None = Field(
        description="finished applications decided in time (a 即办件: finished that day)"
    )
    delivery_on_time_rate: float | None = Field(
        description="licences granted that were posted, handed over or ready to collect in time "
        "(送达, 行政许可法 art. 44), of those whose delivery clock stopped"
    )
    average_working_days: float | None
    average_statutory_limit: float | None
    average_committed_limit: float | None
    compression_vs_statutory: float | None = Field(
        description="1 - average days used / average statutory limit (the real compression)"
    )
    compression_vs_committed: float | None


class GroupFigures(Figures):
    key: str
    name: str | None = None


class StatsOut(BaseModel):
    since: datetime | None
    until: datetime | None
    overall: Figures
    by_department: list[GroupFigures]
    by_item: list[GroupFigures]
    by_month: list[GroupFigures] = Field(
        description="by month of submission (YYYY-MM, Asia/Shanghai)"
    )
