"""Request and response bodies of the sample (validated like any external input)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yingshang.validators import USCC, MobilePhone

ActionName = Literal["dispatch", "accept", "return", "reply", "close"]


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    requester_phone: MobilePhone
    enterprise_uscc: USCC | None = None


class CaseOut(BaseModel):
    """A case as the caller may see it (phone masked unless the role needs it)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    title: str
    state: str
    department: str | None
    requester_phone: str
    enterprise_uscc: str | None
    created_at: datetime
    version: int
    actions: list[str] = Field(description="what the caller may do now")


class CreatedCase(CaseOut):
    query_code: str = Field(description="查询码: shown once, for the public lookup")


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=2000)
    department: str | None = Field(None, pattern=r"^[A-Z][A-Z0-9_]{1,59}$")


class ContactOut(BaseModel):
    requester_phone: str


class AttachmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
