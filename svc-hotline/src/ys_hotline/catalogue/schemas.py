"""Dispatch catalogue bodies."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CategoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=120)
    lead_department: str | None = Field(None, max_length=60)
    co_departments: list[str] = Field(default_factory=list, max_length=10)
    level: Literal["county", "town"] = "county"
    transfer_to_complaints: bool = False
    active: bool = True

    @model_validator(mode="after")
    def _routable(self) -> "CategoryIn":
        if self.level == "county" and not self.transfer_to_complaints and not self.lead_department:
            # A town-level matter goes to the town of the place; the operator names it.
            raise ValueError("lead_department: 县级派单类别须指定主办单位")
        if self.lead_department and self.lead_department in self.co_departments:
            raise ValueError("co_departments: 主办单位不能同时是协办单位")
        return self


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    lead_department: str | None
    co_departments: list[str]
    level: str
    transfer_to_complaints: bool
    active: bool
    revision: int
    updated_at: datetime
    updated_by: str | None


class RevisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    revision: int
    snapshot: dict[str, Any]
    changed_by: str | None
    changed_at: datetime


class DepartmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: str
    active: bool
