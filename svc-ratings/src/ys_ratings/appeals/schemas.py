"""Appeal API models."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=4, max_length=2000)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=2000)


class AppealOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    rating_id: uuid.UUID
    department: str
    state: str
    reason: str
    filed_by_name: str | None
    filed_at: datetime
    decided_at: datetime | None
    decision_note: str | None
    version: int


class AppealPage(BaseModel):
    items: list[AppealOut]
    next_cursor: str | None
