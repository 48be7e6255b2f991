"""Ticket request bodies (intake and actions) and the views returned."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yingshang.cases.timeline import TimelineOut
from yingshang.validators import USCC, Phone, PlausibleDateTime, Reason
from ys_hotline.tickets.vocabulary import ExcludedMatter, Source, TicketType, Urgency

Text = Field(min_length=1, max_length=2000)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Requester(Body):
    name: str | None = Field(None, max_length=80)
    phone: Phone | None = None
    enterprise_name: str | None = Field(None, max_length=200)
    enterprise_uscc: USCC | None = None
    anonymous: bool = False
    confidential: bool = False  # 保密: hidden from handling departments

    @model_validator(mode="after")
    def _anonymous_has_no_name(self) -> "Requester":
        if self.anonymous and self.name:
            raise ValueError("name: 匿名诉求不填写姓名")
        if self.enterprise_uscc and not self.enterprise_name:
            raise ValueError("enterprise_name: 填写统一社会信用代码时须填写企业名称")
        return self


class TicketIn(Body):
    """Intake by an operator, the console, or a push from the provincial platform."""

    source: Source = Source.PHONE
    type: TicketType
    urgency: Urgency = Urgency.NORMAL
    category_code: str | None = Field(None, max_length=60)
    title: str = Field(min_length=2, max_length=200)
    content: str = Field(min_length=2, max_length=10_000)
    location: str | None = Field(None, max_length=200)
    requester: Requester = Field(default_factory=Requester)
    # a provincial push carries the original time (no offset: Asia/Shanghai)
    received_at: PlausibleDateTime | None = None
    external_id: str | None = Field(None, min_length=1, max_length=80)
    excluded_matter: ExcludedMatter | None = None


class PublicTicketIn(Body):
    """The public web form: anonymous allowed, no internal fields."""

    type: TicketType
    title: str = Field(min_length=2, max_length=200)
    content: str = Field(min_length=2, max_length=5000)
    location: str | None = Field(None, max_length=200)
    category_code: str | None = Field(None, max_length=60)
    requester: Requester = Field(default_factory=Requester)
    excluded_matter: ExcludedMatter | None = None


class NoteIn(Body):
    note: str | None = Field(None, max_length=2000)


class DispatchIn(NoteIn):
    category_code: str | None = Field(None, max_length=60)
    department: str | None = Field(None, max_length=60)
    co_departments: list[str] | None = Field(None, max_length=10)


class AnswerIn(NoteIn):
    answer: str = Text
    kb_entry_id: uuid.UUID | None = None


class ReasonIn(Body):
    """退单, 重新办理, 申请延期: the reason, read by the center (the one rule of every step's
    reason, ``yingshang.validators.Reason``)."""

    reason: Reason


class ReplyIn(Body):
    body: str = Field(min_length=2, max_length=10_000)


class ExtensionIn(ReasonIn):
    days: int = Field(ge=1, le=30)


class DecisionIn(Body):
    """审核, 退单审核, 延期审核: ``approve``, or not with the reason (``note``, a ``Reason``:
    the department reads why its reply, 退单 or 延期 was refused)."""

    approve: bool
    note: str | None = Field(
        None,
        max_length=2000,
        description="optional when approving; the reason, at least 2 characters once trimmed, "
        "when refusing (审核退回, 不同意退单, 不批准延期)",
    )


class UrgeIn(NoteIn):
    supervise: bool = False  # 督办 (stronger than 催办)


class TransferIn(NoteIn):
    respondent_department: str | None = Field(None, max_length=60)  # the body complained about


class MergeIn(NoteIn):
    into_ticket_id: uuid.UUID


class RevisitIn(Body):
    level: int = Field(ge=1, le=5)  # 5 非常满意 … 1 非常不满意
    comment: str | None = Field(None, max_length=2000)
    rater_type: Literal["person", "legal_person"] = "person"


class RequesterOut(BaseModel):
    name: str | None
    phone: str | None
    enterprise_name: str | None
    enterprise_uscc: str | None
    anonymous: bool
    confidential: bool
    hidden: bool = False  # confidential requester hidden from this viewer


class RevealPhoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=4, max_length=500, description="why the full number is needed")


class PhoneOut(BaseModel):
    phone: str | None = Field(description="the requester's phone in full (none was left: null)")


class ReplyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    department: str
    body: str
    author_name: str | None
    at: datetime
    verdict: str | None


class StageOut(BaseModel):
    stage: str
    started_at: datetime | None
    due_at: datetime | None
    completed_at: datetime | None
    state: str
    level: int
    provisional: bool = False
    on_time: bool | None = None
    round: int = Field(1, description="第 n 轮: 1, or 1 + the reopens before the clock started")


class ClockDue(BaseModel):
    stage: str = Field(description="sign, contact, handle, feedback or revisit (五限时)")
    due_at: datetime


class TicketSummary(BaseModel):
    id: uuid.UUID
    number: str
    type: str
    urgency: str
    source: str
    category_code: str | None
    title: str
    status: str
    department: str | None
    received_at: datetime
    due_at: datetime | None = Field(
        description="办理: the handling limit counted from received_at (an approved 延期 "
        "included); null without one"
    )
    current_clock: ClockDue | None = Field(
        description="the limit the ticket is under now: of its running clocks (past due "
        "included), the one due first (签收 before 办理 while it waits for 签收, 联系 after, "
        "回访 once closed); null while none runs. due_at stays the 办理 limit."
    )
    overdue: bool
    escalation_level: int
    urge_count: int
    supervised: bool
    bulletined: bool
    extension_status: str | None = Field(
        description="延期: requested (waiting for the center), approved, refused, or lapsed "
        "(left undecided when the ticket left the department)"
    )
    extension_days: int | None


class TicketPage(BaseModel):
    items: list[TicketSummary]
    next_cursor: str | None


class TicketOut(TicketSummary):
    content: str
    location: str | None
    requester: RequesterOut
    co_departments: list[str]
    external_id: str | None
    answer: str | None
    return_reason: str | None
    merged_into_id: uuid.UUID | None
    duplicate_hints: list[str]
    satisfaction: int | None = Field(
        description="the latest 回访 (1–5); a reopen clears it until the next 回访"
    )
    rating_level: int | None = Field(
        description="the ticket's 好差评 rating: its first 回访, kept through reopens"
    )
    closed_at: datetime | None
    outcome: str | None
    reopen_count: int
    version: int
    replies: list[ReplyOut] = []
    stages: list[StageOut] = []
    timeline: list[TimelineOut] = []
    actions: list[str] = Field(
        default_factory=list, description="what the caller may do now (transition and step names)"
    )
    phone_revealable: bool = Field(
        False, description="查看完整号码: the caller may POST /requester-phone (lead department)"
    )


class DuplicateHint(BaseModel):
    model_config = ConfigDict(frozen=True)  # shared between intakes (duplicates._hint_of)

    id: uuid.UUID
    number: str
    title: str
    status: str
    reason: Literal["same_phone", "similar_content"] = Field(
        description="same_phone: an open ticket of the same caller, whatever its age; "
        "similar_content: an open ticket of the same category with near-identical text, "
        "received within the last duplicate_window_days (YS_DUPLICATE_WINDOW_DAYS, 7)"
    )


class CreatedOut(TicketOut):
    query_code: str | None = Field(
        None,
        description="查询码, shown once, at creation; null in the 200 of a push of an "
        "external_id already held (only its hash is kept)",
    )
    duplicates: list[DuplicateHint] = Field(
        default_factory=list,
        description="并单 hints (DuplicateHint.reason says why each); closed tickets never",
    )
    # Not in the 201: the intake's entries are one GET away (the answer is built from memory,
    # on the hottest route); an empty list here would say there are none.
    timeline: list[TimelineOut] = Field(default_factory=list, exclude=True)


class TrackOut(BaseModel):
    """Public tracking: status, the promised time and replies only, no personal data."""

    number: str
    type: str
    title: str
    status: str
    received_at: datetime
    due_at: datetime | None = Field(
        description="承诺办结时限: the 办理 limit (an approved 延期 included); null without one"
    )
    closed_at: datetime | None
    replies: list[str]
