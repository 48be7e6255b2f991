"""Bodies of the application (办件) endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ys_approvals.people import IdNumber, PhoneNumber, SocialCreditCode


class SubmitChannel(StrEnum):
    window = "window"  # 窗口
    online = "online"  # 网上申请 (provincial platform)
    mail = "mail"  # 邮寄申请
    cross_province = "cross_province"  # 跨省通办 (代收代办)


class ApplicantType(StrEnum):
    person = "person"  # 自然人
    legal_person = "legal_person"  # 法人


class DeliveryMethod(StrEnum):
    pickup = "pickup"  # 窗口领取
    postal = "postal"  # 免费邮寄


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: ApplicantType = ApplicantType.person
    name: str = Field(min_length=1, max_length=200)
    id_no: IdNumber | None = None
    phone: PhoneNumber
    enterprise_name: str | None = Field(None, max_length=200)
    uscc: SocialCreditCode | None = None

    @model_validator(mode="after")
    def _legal_person_has_uscc(self) -> Applicant:
        if self.type == ApplicantType.legal_person and not (self.uscc and self.enterprise_name):
            raise ValueError("a legal person needs enterprise_name and uscc")
        return self


class ApplicationIn(BaseModel):
    """Submit one item (``item``) or an integrated package (``package``)."""

    model_config = ConfigDict(extra="forbid")

    item: str | None = Field(None, max_length=40, description="item code (or id)")
    package: str | None = Field(None, max_length=40, description="package code")
    channel: SubmitChannel = SubmitChannel.window
    hall_code: str | None = Field(None, max_length=40)
    window_code: str | None = Field(None, max_length=20)
    applicant: Applicant
    materials: list[str] = Field(default_factory=list, max_length=200)
    green_channel: bool = False
    delivery_method: DeliveryMethod = DeliveryMethod.pickup
    postal_address: str | None = Field(None, max_length=300)
    form: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_target(self) -> ApplicationIn:
        if (self.item is None) == (self.package is None):
            raise ValueError("give exactly one of item or package")
        if self.delivery_method == DeliveryMethod.postal and not self.postal_address:
            raise ValueError("postal delivery needs postal_address")
        return self


class PartOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    item_code: str
    item_name: str
    department: str
    status: str
    fee_waiver: str | None
    decided_at: datetime | None
    decided_by: str | None
    reason: str | None


class PauseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    started_at: datetime
    ended_at: datetime | None
    requested: list[str]
    note: str | None


class ApplicationOut(BaseModel):
    id: uuid.UUID
    number: str
    status: str
    item_code: str
    item_name: str
    package: bool
    department: str
    handling_kind: str
    statutory_limit: int
    committed_limit: int
    channel: str
    hall_code: str | None
    window_code: str | None
    staff_no: str | None
    green_channel: bool
    applicant_type: str
    applicant_name: str
    applicant_id_no: str | None
    applicant_phone: str
    enterprise_name: str | None
    uscc: str | None
    materials_received: list[str]
    missing_materials: list[str]
    submitted_at: datetime
    materials_complete_at: datetime | None
    accepted_at: datetime | None
    decided_at: datetime | None
    delivered_at: datetime | None
    finished_at: datetime | None
    outcome: str | None
    decision_reason: str | None
    extension_days: int
    extension_request: dict[str, Any] | None
    delivery_method: str | None
    tracking_number: str | None
    due_at: datetime | None
    working_days_used: int | None
    on_time: bool | None
    overdue: bool
    parts: list[PartOut]
    pauses: list[PauseOut]
    actions: list[str] = Field(description="what the caller may do now")
    version: int
    masked: bool


class SubmittedOut(ApplicationOut):
    query_code: str = Field(description="查询码: shown once, give it to the applicant")


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=2000)


class SupplementRequestIn(BaseModel):
    """补正: list everything missing at once (行政许可法 art. 32)."""

    model_config = ConfigDict(extra="forbid")

    missing: list[str] = Field(min_length=1, max_length=100)
    note: str | None = Field(None, max_length=2000)


class SupplementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    materials: list[str] = Field(min_length=1, max_length=100)
    note: str | None = Field(None, max_length=2000)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class PauseKind(StrEnum):
    hearing = "hearing"  # 听证
    testing = "testing"  # 检验检测
    expert_review = "expert_review"  # 专家评审


class SuspendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: PauseKind
    note: str | None = Field(None, max_length=2000)


class ExtensionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class DeliverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: DeliveryMethod | None = None
    tracking_number: str | None = Field(None, min_length=4, max_length=60)
    postal_address: str | None = Field(None, max_length=300)


class PublicStatusOut(BaseModel):
    """What anyone holding number + 查询码 may see: status only."""

    number: str
    item_name: str
    status: str
    status_label: str
    submitted_at: datetime
    due_at: datetime | None
    finished_at: datetime | None


class TimelineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    action: str
    from_state: str | None
    to_state: str | None
    actor_name: str | None
    staff_no: str | None
    position_dept: str | None
    note: str | None
