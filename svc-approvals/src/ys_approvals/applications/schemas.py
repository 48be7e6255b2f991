"""Bodies of the application (办件) endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import to_json

from yingshang.validators import Reason
from ys_approvals.catalog.schemas import MATERIAL_NAME_MAX, MAX_MATERIALS, MaterialName
from ys_approvals.people import IdNumber, PhoneNumber, SocialCreditCode

# 申请表: the item's application form as filled in, field → value, sections as nested objects
# and tables (staff, equipment, premises) as lists of rows. A large form has a few hundred
# fields of names, codes, addresses and short answers: by estimate (300 × ~100 bytes) some
# 30 KiB of JSON. 64 KiB leaves room for long free-text answers, while one request can no
# longer grow the database by megabytes. Documents travel as materials, never in the form.
FORM_MAX_BYTES = 64 * 1024  # as stored: compact JSON, UTF-8 (a Chinese character is 3 bytes)
FORM_MAX_KEY = 100  # characters in a field name; Chinese labels used as names fit easily
# Objects and lists inside one another, the form itself counted: form → section → table →
# row → a multiple-choice answer (a list) is 5.
FORM_MAX_DEPTH = 5


def _form_shape(container: dict[str, Any] | list[Any], depth: int = 1) -> None:
    """``ValueError`` for a form nested too deep or with an empty or overlong field name."""
    if depth > FORM_MAX_DEPTH:
        raise ValueError(f"表单嵌套不能超过 {FORM_MAX_DEPTH} 层")
    if isinstance(container, dict):
        if any(not 1 <= len(key) <= FORM_MAX_KEY for key in container):
            raise ValueError(f"表单字段名应为 1 至 {FORM_MAX_KEY} 个字符")
        inner = list(container.values())
    else:
        inner = container
    for value in inner:
        if isinstance(value, dict | list):
            _form_shape(value, depth + 1)


def bounded_form(form: dict[str, Any]) -> dict[str, Any]:
    """The form, if its shape and its size as stored are within the bounds above."""
    _form_shape(form)
    size = len(to_json(form))
    if size > FORM_MAX_BYTES:
        raise ValueError(f"表单内容为 {size} 字节，最多 {FORM_MAX_BYTES} 字节")
    return form


ApplicationForm = Annotated[
    dict[str, Any],
    AfterValidator(bounded_form),
    Field(
        description=(
            f"申请表: a JSON object of the form's fields; at most {FORM_MAX_BYTES // 1024} KiB "
            f"as compact UTF-8 JSON, field names of 1-{FORM_MAX_KEY} characters, objects and "
            f"lists nested at most {FORM_MAX_DEPTH} levels deep (the form itself included)"
        )
    ),
]


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


# 邮寄地址: where the licence is posted (免费邮寄), blank-trimmed.
PostalAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    Field(description="邮寄地址, 1-300 characters once trimmed"),
]


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: ApplicantType = ApplicantType.person
    name: str = Field(min_length=1, max_length=200)
    id_no: IdNumber | None = None
    phone: PhoneNumber
    enterprise_name: str | None = Field(None, max_length=200)
    uscc: SocialCreditCode | None = None

    @model_validator(mode="after")
    def _legal_person_is_named(self) -> Applicant:
        """A legal person is named; the error names the field it is about and says why in
        Chinese (the console shows it on that field). Its 统一社会信用代码, when given, is
        checked by its type; whether it may be left out depends on what is applied for
        (intake: an enterprise being formed has none yet)."""
        if self.type == ApplicantType.legal_person and not self.enterprise_name:
            raise ValueError("enterprise_name: 法人申请须填写企业名称")
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
    materials: list[MaterialName] = Field(
        default_factory=list,
        max_length=MAX_MATERIALS,
        description=(
            f"names of the materials handed in (as the catalog names them): at most "
            f"{MAX_MATERIALS}, each of 1-{MATERIAL_NAME_MAX} characters"
        ),
    )
    green_channel: bool = False
    delivery_method: DeliveryMethod = Field(
        DeliveryMethod.pickup, description="送达: how the applicant wants the result"
    )
    postal_address: PostalAddress | None = Field(
        None, description="for postal delivery only (personal data: kept only when needed)"
    )
    form: ApplicationForm = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_target(self) -> ApplicationIn:
        if (self.item is None) == (self.package is None):
            raise ValueError("事项（item）和套餐（package）须且只能填写一项")
        postal = self.delivery_method == DeliveryMethod.postal
        if postal and not self.postal_address:
            raise ValueError("postal_address: 邮寄送达须填写邮寄地址")
        if not postal and self.postal_address:
            # 个人信息最小必要 (PIPL art. 6): an address nobody posts to is not collected.
            raise ValueError("postal_address: 只有邮寄送达才填写邮寄地址")
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
    finish_hall_code: str | None = Field(
        description="办结 at a window: the hall and window of the clerk who finished it (its "
        "pad offers the 办结 rating); null when finished at no window or not known"
    )
    finish_window_code: str | None
    outcome: str | None
    decision_reason: str | None
    extension_days: int
    extension_request: dict[str, Any] | None
    delivery_method: str | None
    postal_address: str | None = Field(
        description="邮寄地址 of a postal delivery: masked unless unmask=true by the front "
        "office or a deciding department (audited)"
    )
    tracking_number: str | None
    due_at: datetime | None
    provisional: bool = Field(
        description="due_at was counted on the Mon-Fri fallback (a year without holiday "
        "data); it moves when the county loads that year's file"
    )
    working_days_used: int | None
    on_time: bool | None
    delivery_due_at: datetime | None = Field(
        description="送达: a licence granted is delivered by then (行政许可法 art. 44); none "
        "before the decision and after a refusal"
    )
    delivery_on_time: bool | None = Field(
        description="posted, handed over or ready to collect (通知领取) before delivery_due_at"
    )
    pickup_ready_at: datetime | None = Field(
        description="通知领取: the licence waits at the window and the applicant was told"
    )
    overdue: bool = Field(
        description="behind a time limit: the one running now (handling until the decision, "
        "delivery from approval until delivered or ready to collect) is past due, or one "
        "completed late; a closed application only by the latter"
    )
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

    missing: list[MaterialName] = Field(min_length=1, max_length=MAX_MATERIALS)
    note: str | None = Field(None, max_length=2000)


class SupplementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    materials: list[MaterialName] = Field(min_length=1, max_length=MAX_MATERIALS)
    note: str | None = Field(None, max_length=2000)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


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

    reason: Reason


class DeliverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: DeliveryMethod | None = None
    tracking_number: str | None = Field(None, min_length=4, max_length=60)
    postal_address: PostalAddress | None = None


class PublicSupplementOut(BaseModel):
    """The 补正 the applicant was told of (一次性告知): what to bring and the clerk's note. No
    personal data: neither the applicant's nor who asked."""

    stage: str = Field(
        description="intake: 收件补正 (受理前); review: 审查补正 (the clock stopped)"
    )
    materials: list[str] = Field(description="the materials to supply, as the list names them")
    note: str | None = Field(description="the clerk's note to the applicant (说明), if any")
    requested_at: datetime | None


class PublicStatusOut(BaseModel):
    """What anyone holding number + 查询码 may see: the status, and while it waits for 补正,
    what to supply (``supplement``)."""

    number: str
    item_name: str
    status: str
    status_label: str
    submitted_at: datetime
    due_at: datetime | None = Field(description="the decision is due by then (承诺时限)")
    delivery_due_at: datetime | None = Field(
        description="a licence granted reaches the applicant by then (送达, art. 44)"
    )
    pickup_ready_at: datetime | None = Field(
        description="the licence waits at the window since then (通知领取)"
    )
    finished_at: datetime | None
    supplement: PublicSupplementOut | None = Field(
        None,
        description="while the application waits for 补正 (待补正, 审查补正中): what to supply",
    )
