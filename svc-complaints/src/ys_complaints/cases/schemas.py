"""Request and response bodies of complaint cases (validated like any external input)."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from yingshang.cases.numbers import case_number_of
from yingshang.cases.pagination import Page
from yingshang.validators import USCC, PastOrToday, Phone, Reason, refuse_missing
from ys_complaints.cases.vocabulary import NUMBER_PREFIX, Category, Exclusion, Verdict

Code = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,59}$", description="department code")]
Money = Annotated[Decimal, Field(ge=0, le=Decimal("999999999999.99"), decimal_places=2)]
Text = Annotated[str, Field(min_length=1, max_length=5000)]
# An unpaid bill (拖欠企业账款) is counted against its claim (recovery rate): both are
# required for one, at intake and at 受理 alike (not for one registered 不予受理: never counted).
BILL_FIELDS = ("claimed_amount", "bill_due_date")
BILL_NEEDS = "拖欠企业账款的投诉须填写涉及金额和账款约定支付日期"
OTHER_NEEDS_WORDS = "选择“其他”类别时须说明投诉的事项"
EVIDENCE_KINDS = Literal["document", "contract", "invoice", "photo", "audio", "video", "other"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnterpriseIn(Strict):
    """The complainant (投诉企业) and its contact; kept confidential at the center."""

    name: str = Field(min_length=2, max_length=200)
    uscc: USCC
    contact_name: str = Field(min_length=1, max_length=80)
    contact_phone: Phone


class EvidenceIn(Strict):
    title: str = Field(min_length=1, max_length=200)
    kind: EVIDENCE_KINDS = "document"
    description: str | None = Field(None, max_length=2000)
    identifying: bool = Field(
        True, description="names or shows the enterprise: hidden from the respondent"
    )
    provided_on: PastOrToday | None = Field(
        None, description="the day the evidence is dated: not after today (Asia/Shanghai)"
    )


class ComplaintIn(Strict):
    """What every complaint states; ``real_name: false`` = anonymous (no identity at all)."""

    real_name: bool = True
    enterprise: EnterpriseIn | None = None
    disclose_to_respondent: bool = Field(
        False, description="the enterprise consents to the respondent seeing who complains"
    )
    respondent: Code | None = Field(None, description="被投诉单位: a department or town code")
    category: Category
    category_other: str | None = Field(None, min_length=2, max_length=200)
    title: str = Field(min_length=2, max_length=200)
    facts: str = Field(min_length=10, max_length=20000)
    claimed_amount: Money | None = Field(None, description="e.g. the unpaid bill, yuan")
    bill_due_date: PastOrToday | None = Field(
        None,
        description=(
            "when the bill was due to be paid: not after today (Asia/Shanghai), since a bill "
            "not yet due is not in arrears; years 1900-2199"
        ),
    )
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.real_name:
            refuse_missing(self, ["enterprise"], "实名投诉须填写企业信息")
        elif self.enterprise is not None or self.disclose_to_respondent:
            raise ValueError("enterprise: 匿名投诉不填写企业信息，也不披露给被投诉单位")
        if self.category is Category.OTHER:
            refuse_missing(self, ["category_other"], OTHER_NEEDS_WORDS)
        if self.category is Category.UNPAID_BILLS and self._taken():
            refuse_missing(self, BILL_FIELDS, BILL_NEEDS)
        return self

    def _taken(self) -> bool:
        """Whether the complaint goes on to 受理 (and its bill into the statistics)."""
        return True


class RejectIn(Strict):
    """不予受理: the reason (told to the enterprise) and where to go instead."""

    note: Reason
    exclusion: Exclusion
    referral: str = Field(min_length=2, max_length=2000)


class CaseIn(ComplaintIn):
    """Intake by the center (or a provincial push, where the source is ``province``)."""

    source: Literal["web", "walk_in", "phone", "inspection", "province"] = "web"
    not_accepted: RejectIn | None = Field(
        None,
        description="不予受理 as it is registered: a matter the center does not take (in "
        "litigation, a civil dispute ...), answered at once with the reason and where to go "
        "instead. The acceptance decision: the center's staff or head, not a clerk alone",
    )

    def _taken(self) -> bool:
        return self.not_accepted is None


class EnterpriseOut(BaseModel):
    name: str | None
    uscc: str | None
    contact_name: str | None
    contact_phone: str | None


class EvidenceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    kind: str
    description: str | None
    identifying: bool
    provided_on: date | None


class NoteOut(BaseModel):
    kind: str
    body: str
    department: str | None
    author_name: str | None
    staff_no: str | None
    at: datetime


class StageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    stage: str
    status: str
    started_at: datetime
    due_at: datetime
    provisional: bool
    completed_at: datetime | None
    on_time: bool | None
    level_emitted: int


class CaseSummary(BaseModel):
    """A case in lists and exports, as the caller may see it."""

    id: uuid.UUID
    number: str
    state: str
    state_label: str
    source: str
    real_name: bool
    identity: str = Field(description="center | masked | redacted | consented")
    enterprise_name: str | None
    category: str
    category_label: str
    respondent: str | None
    department: str
    title: str
    received_at: datetime
    due_at: datetime | None
    overdue: bool
    supervised: bool
    version: int


class CaseOut(CaseSummary):
    enterprise: EnterpriseOut | None
    disclose_to_respondent: bool
    category_other: str | None
    facts: str
    claimed_amount: Decimal | None
    bill_due_date: date | None
    payment_overdue_days: int | None
    recovered_amount: Decimal | None
    evidence: list[EvidenceOut]
    origin_ticket_number: str | None
    decided_at: datetime | None
    exclusion: str | None
    referral: str | None
    assigned_at: datetime | None
    replied_at: datetime | None
    resolved_at: datetime | None
    verdict: str | None
    dispute_count: int
    closed_at: datetime | None
    outcome: str | None
    checkback_from: datetime | None
    checked_back_at: datetime | None
    retaliation_found: bool | None
    stages: list[StageOut]
    notes: list[NoteOut]
    actions: list[str] = Field(description="what the caller may do now")


class CreatedOut(CaseOut):
    query_code: str = Field(description="查询码: shown once, for the enterprise's tracking")
    duplicates: list[CaseSummary] = Field(
        default_factory=list,
        description="疑似重复: the enterprise's other open cases (same USCC) the caller "
        "handles, newest first (at most 5); hints only, for those who see who complains",
    )


CasePage = Page[CaseSummary]


class IdentityOut(BaseModel):
    """The complainant's identity, unmasked for a stated reason (audited)."""

    real_name: bool
    enterprise_name: str | None
    enterprise_uscc: str | None
    contact_name: str | None
    contact_phone: str | None


# --- action bodies ---------------------------------------------------------------------------


class NoteIn(Strict):
    note: Text | None = None


class ReasonIn(Strict):
    note: Reason


class AcceptIn(Strict):
    """受理: the category, respondent and amounts may be settled now. A case accepted as an
    unpaid bill (拖欠企业账款) has its claimed amount and due date, from intake or from here."""

    note: Text | None = None
    category: Category | None = None
    category_other: str | None = Field(None, min_length=2, max_length=200)
    respondent: Code | None = None
    claimed_amount: Money | None = Field(None, description="e.g. the unpaid bill, yuan")
    bill_due_date: PastOrToday | None = Field(
        None, description="when the bill was due to be paid: not after today (Asia/Shanghai)"
    )


class AssignIn(Strict):
    department: Code | None = Field(None, description="the responsible unit (default: respondent)")
    note: Text | None = None


class ReplyIn(Strict):
    reply: str = Field(min_length=5, max_length=20000)


class ResolveIn(Strict):
    result: str = Field(min_length=5, max_length=20000, description="told to the enterprise")
    recovered_amount: Money | None = Field(
        None, description="e.g. the part of the bill paid: not above the claimed amount"
    )


class CheckBackIn(Strict):
    note: Reason
    retaliation_found: bool


class TrackIn(Strict):
    # as typed or read out: any case, full-width, spaces, the hyphen left out
    number: Annotated[
        str, Field(min_length=5, max_length=40), AfterValidator(case_number_of(NUMBER_PREFIX))
    ]
    query_code: str = Field(min_length=4, max_length=20)


class RespondIn(TrackIn):
    verdict: Verdict
    reason: Reason | None = None

    @model_validator(mode="after")
    def _reason_for_dispute(self) -> Self:
        if self.verdict is Verdict.DISPUTED and not self.reason:
            raise ValueError("reason: 请说明企业对哪些方面有异议")
        return self


class PublicMessage(BaseModel):
    kind: str
    body: str
    at: datetime


class TrackOut(BaseModel):
    """What the enterprise sees with number + query code: status and replies only."""

    number: str
    state: str
    state_label: str
    received_at: datetime
    closed_at: datetime | None
    messages: list[PublicMessage]
    may_respond: bool = Field(description="the result awaits the enterprise's confirmation")


class SubmittedOut(BaseModel):
    number: str
    query_code: str = Field(description="shown once: keep it to track the complaint")
    state: str
