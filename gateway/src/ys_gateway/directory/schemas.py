"""Request and response bodies of the admin directory API."""

from __future__ import annotations

import ipaddress
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from yingshang.auth import Role
from yingshang.validators import MobilePhone

DeptKind = Literal["coordinating", "department", "town", "federation"]
DeptCode = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,39}$")]
Username = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.-]{1,63}$")]
Name = Annotated[str, Field(min_length=1, max_length=120)]
Password = Annotated[str, Field(min_length=10, max_length=200)]  # also self-service changes
StaffNo = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{2,40}$")]  # 工号
Scope = Annotated[str, Field(pattern=r"^[a-z_]+:[a-z_]+$")]
WorkMobile = Annotated[
    MobilePhone,
    Field(description="工作手机: the deadline ladder's SMS (督办) go here; never shown in full"),
]


class DepartmentIn(BaseModel):
    code: DeptCode
    name: Name
    kind: DeptKind
    parent: DeptCode | None = None


class DepartmentPatch(BaseModel):
    name: Name | None = None
    parent: DeptCode | None = None
    head_username: Username | None = None
    active: bool | None = None


class DepartmentOut(BaseModel):
    code: str
    name: str
    kind: str
    parent: str | None
    head_username: str | None
    active: bool
    updated_at: datetime


class PositionIn(BaseModel):
    dept: DeptCode
    role: Role
    title: Annotated[str, Field(max_length=60)] | None = None


class PositionOut(PositionIn):
    dept_name: str


class UserIn(BaseModel):
    username: Username
    name: Name
    staff_no: StaffNo | None = None
    mobile: WorkMobile | None = None
    password: Password
    positions: list[PositionIn] = Field(default_factory=list, max_length=20)


class UserPatch(BaseModel):
    name: Name | None = None
    staff_no: StaffNo | None = None
    mobile: WorkMobile | None = Field(None, description="工作手机; null removes it")
    password: Password | None = None
    active: bool | None = None
    positions: list[PositionIn] | None = Field(None, max_length=20)


class UserOut(BaseModel):
    id: uuid.UUID
    username: str
    name: str
    staff_no: str | None
    mobile: str | None = Field(description="工作手机, masked (138****5678)")
    active: bool
    password_change_required: bool = Field(
        description="the password was set by an administrator and not yet changed by the person"
    )
    positions: list[PositionOut]


class MobileOut(BaseModel):
    username: str
    mobile: str | None = Field(description="工作手机 in full (this read is audited)")


def _cidrs(values: list[str]) -> list[str]:
    try:
        return [str(ipaddress.ip_network(v, strict=False)) for v in values]
    except ValueError as exc:
        raise ValueError(f"不是有效的 IP 地址段：{exc}") from exc


class ClientIn(BaseModel):
    client_id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{1,63}$")]
    name: Name
    scopes: list[Scope] = Field(default_factory=list, max_length=50)
    rate_limit_per_minute: Annotated[int, Field(ge=1, le=1_000_000)] = 600
    allowed_cidrs: list[str] = Field(default_factory=list, max_length=50)
    owner_dept: DeptCode | None = None

    @field_validator("allowed_cidrs")
    @classmethod
    def _check(cls, values: list[str]) -> list[str]:
        return _cidrs(values)


class ClientPatch(BaseModel):
    name: Name | None = None
    scopes: list[Scope] | None = Field(None, max_length=50)
    rate_limit_per_minute: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    allowed_cidrs: list[str] | None = Field(None, max_length=50)
    owner_dept: DeptCode | None = None
    active: bool | None = None

    @field_validator("allowed_cidrs")
    @classmethod
    def _check(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else _cidrs(values)


class ClientOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    client_id: str
    name: str
    scopes: list[str]
    rate_limit_per_minute: int
    allowed_cidrs: list[str]
    owner_dept: str | None
    active: bool


class ClientCreated(ClientOut):
    client_secret: str = Field(description="shown once; store it now")


class WindowOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: str


class HallOut(BaseModel):
    code: str
    name: str
    dept: str
    windows: list[WindowOut]
