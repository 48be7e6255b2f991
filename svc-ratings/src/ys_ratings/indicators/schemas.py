"""Indicator set API models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ys_ratings.indicators.models import IndicatorSet

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class Indicator(BaseModel):
    code: Code
    name: Name


class IndicatorSetIn(BaseModel):
    """A new version of the offline or online set (the previous one stays for old ratings)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["offline", "online"]
    name: Name
    basis: str | None = Field(None, max_length=200)
    indicators: list[Indicator] = Field(min_length=1, max_length=20)


class IndicatorSetOut(BaseModel):
    id: uuid.UUID
    kind: str
    version: int
    name: str
    basis: str | None
    indicators: list[Indicator]
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, row: IndicatorSet) -> IndicatorSetOut:
        return cls(
            id=row.id,
            kind=row.kind,
            version=row.version,
            name=row.name,
            basis=row.basis,
            indicators=[Indicator.model_validate(i) for i in row.indicators],
            active=row.active,
            created_at=row.created_at,
        )
