"""Bodies of the public disclosure endpoints."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from yingshang.validators import PlausibleDate


class DocumentKind(StrEnum):
    policy = "policy"  # 政策法规
    procedure = "procedure"  # 办事流程
    fee_standard = "fee_standard"  # 收费标准


class PowerType(StrEnum):
    """权力类型 (省级权责清单 vocabulary)."""

    licensing = "行政许可"
    penalty = "行政处罚"
    coercion = "行政强制"
    levy = "行政征收"
    payment = "行政给付"
    inspection = "行政检查"
    confirmation = "行政确认"
    reward = "行政奖励"
    adjudication = "行政裁决"
    other = "其他行政权力"


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: DocumentKind
    title: str = Field(min_length=1, max_length=300)
    department: str = Field(min_length=1, max_length=40)
    doc_number: str | None = Field(None, max_length=100)
    body: str = Field(min_length=1, max_length=100_000)
    legal_basis: str | None = Field(None, max_length=10_000)
    effective_on: PlausibleDate | None = None


class DocumentPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=300)
    doc_number: str | None = Field(None, max_length=100)
    body: str | None = Field(None, min_length=1, max_length=100_000)
    legal_basis: str | None = Field(None, max_length=10_000)
    effective_on: PlausibleDate | None = None
    active: bool | None = None


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    title: str
    department: str
    doc_number: str | None
    body: str
    legal_basis: str | None
    effective_on: date | None
    active: bool
    version: int
    updated_at: datetime


class AccountabilityCase(BaseModel):
    """追责情形: a situation in which the department answers for failure."""

    situation: str = Field(min_length=1, max_length=1000)
    basis: str | None = Field(None, max_length=1000)


class PowerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department: str = Field(min_length=1, max_length=40)
    power_type: PowerType
    name: str = Field(min_length=1, max_length=300)
    legal_basis: str = Field(min_length=1, max_length=10_000)
    duties: str = Field(min_length=1, max_length=10_000)
    accountability: list[AccountabilityCase] = Field(default_factory=list, max_length=50)


class PowerPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    power_type: PowerType | None = None
    name: str | None = Field(None, min_length=1, max_length=300)
    legal_basis: str | None = Field(None, min_length=1, max_length=10_000)
    duties: str | None = Field(None, min_length=1, max_length=10_000)
    accountability: list[AccountabilityCase] | None = Field(None, max_length=50)
    active: bool | None = None


class PowerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    department: str
    power_type: str
    name: str
    legal_basis: str
    duties: str
    accountability: list[AccountabilityCase]
    active: bool
    version: int
    updated_at: datetime
