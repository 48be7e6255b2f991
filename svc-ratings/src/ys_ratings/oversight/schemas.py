"""Scorecard and ledger API models."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from ys_ratings.oversight.models import LedgerEntry


class StageFigures(BaseModel):
    service: str
    stage: str
    completed: int
    on_time: int
    on_time_rate: float | None


class RatingFigures(BaseModel):
    count: int
    good_county: int
    good_national: int
    bad: int
    county_good_rate: float | None
    national_good_rate: float | None
    rank: int | None
    flagged: bool


class Scorecard(BaseModel):
    department: str
    month: str
    received: dict[str, int] = Field(
        description="matters received in the month, per service, counted for the unit handling "
        "them (from 派单/交办 on; the center before and after an approved 退单/退回); no 挂帮 "
        "pairing, rectification or 暗访 finding, no merged or transferred 12345 ticket"
    )
    closed: dict[str, int] = Field(description="matters closed in the month, per service")
    stages: list[StageFigures] = Field(description="on-time rate per service and stage")
    on_time_rate: float | None = Field(
        description="环节按时率: the on-time share of the timed stages (签收, 联系, 办理, 回复, "
        "回访 …) completed in the month, not of the matters finished; null when none completed"
    )
    overdue_now: int = Field(description="open 督办 ledger entries right now")
    escalations: dict[str, int] = Field(description="escalations raised in the month by level")
    ratings: RatingFigures


class ScorecardsOut(BaseModel):
    month: str
    computed_at: datetime
    items: list[Scorecard]


class LedgerEntryOut(BaseModel):
    id: uuid.UUID
    service: str
    case_kind: str
    case_id: uuid.UUID
    case_number: str
    department: str
    stage: str
    level: int
    since: datetime
    due_at: datetime | None
    raised_at: datetime
    closed_at: datetime | None
    closed_by: str | None

    @classmethod
    def of(cls, row: LedgerEntry) -> LedgerEntryOut:
        return cls.model_validate(row, from_attributes=True)


class LedgerPage(BaseModel):
    items: list[LedgerEntryOut]
    next_cursor: str | None
