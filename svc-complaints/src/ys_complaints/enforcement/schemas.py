"""Bodies of enforcement actions, the mix targets and the report."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yingshang.cases.pagination import Page
from yingshang.validators import USCC, PastOrToday, refuse_missing

Share = Annotated[float, Field(ge=0, le=1)]
PENALTY_NEEDS_BASIS = "处罚须填写法律依据"


class Kind(StrEnum):
    """三为主: service (服务), education (教育: 提醒告诫, 责令改正), penalty (处罚)."""

    SERVICE = "service"
    EDUCATION = "education"
    PENALTY = "penalty"


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,59}$")
    acted_on: PastOrToday = Field(description="the day the action was taken: not after today")
    kind: Kind
    first_offence_waived: bool = Field(False, description="首违不罚: a first violation, not fined")
    enterprise_name: str | None = Field(None, min_length=2, max_length=200)
    enterprise_uscc: USCC | None = None
    description: str = Field(min_length=2, max_length=5000)
    legal_basis: str | None = Field(
        None, max_length=300, description="法律依据: required for a penalty (处罚)"
    )
    fine_amount: Decimal | None = Field(None, ge=0, le=Decimal("999999999999.99"), decimal_places=2)

    @field_validator("legal_basis")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        """Spaces are no legal basis: left out, as an empty field is."""
        return (value.strip() or None) if value is not None else None

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        # 行政处罚法 art. 38: a penalty without a legal basis is void, so it is never recorded
        if self.kind is Kind.PENALTY:
            refuse_missing(self, ["legal_basis"], PENALTY_NEEDS_BASIS)
        # 首违不罚 is an education outcome: a first violation corrected without a penalty.
        if self.first_offence_waived and self.kind is not Kind.EDUCATION:
            raise ValueError("first_offence_waived: 首违不罚应登记为教育类")
        if self.fine_amount is not None and self.kind is not Kind.PENALTY:
            raise ValueError("fine_amount: 只有处罚才有罚款金额")
        return self


class ActionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    department: str
    acted_on: date
    kind: str
    first_offence_waived: bool
    enterprise_name: str | None
    enterprise_uscc: str | None
    description: str
    legal_basis: str | None
    fine_amount: Decimal | None = None
    recorded_at: datetime


ActionPage = Page[ActionOut]


class TargetsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service_min: Share
    education_share: Share
    penalty_max: Share

    @model_validator(mode="after")
    def _adds_up(self) -> Self:
        if self.service_min + self.penalty_max > 1:
            raise ValueError("service_min: 服务和处罚的占比合计超过了 100%")
        return self


class TargetsOut(TargetsIn):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    version: int
    updated_at: datetime
    updated_by: str


class DepartmentMix(BaseModel):
    department: str
    name: str | None
    total: int
    service: int
    education: int
    penalty: int
    first_offence_waived: int
    service_share: float
    education_share: float
    penalty_share: float
    flagged: bool = Field(description="penalty share above the maximum (三为主: ≤ 10%)")
    warnings: list[str]


class MixReport(BaseModel):
    period_from: date
    period_to: date = Field(description="inclusive")
    targets: TargetsIn
    departments: list[DepartmentMix]
    flagged: list[str]
