"""Knowledge-base request and response bodies."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yingshang.validators import PlausibleDateTime
from ys_hotline.knowledge.models import EntryStatus


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    question: str = Field(min_length=2, max_length=500)
    answer: str = Field(min_length=1, max_length=10_000)
    category_code: str | None = Field(None, max_length=60)
    department: str | None = Field(None, max_length=60)
    valid_from: PlausibleDateTime | None = Field(None, description="no offset: Asia/Shanghai")
    valid_to: PlausibleDateTime | None = Field(None, description="no offset: Asia/Shanghai")

    @model_validator(mode="after")
    def _window(self) -> "EntryIn":
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError("valid_to: 失效日期须晚于生效日期")
        return self


class EntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    question: str
    answer: str
    category_code: str | None
    department: str | None
    valid_from: datetime | None
    valid_to: datetime | None
    active: bool
    status: EntryStatus = Field(description="valid, pending, expired or retired, now")
    version: int
    updated_at: datetime


class SearchResult(BaseModel):
    query: str
    items: list[EntryOut]
