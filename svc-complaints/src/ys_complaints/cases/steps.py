"""The effects of each step of a case (what changes besides the state), keyed by step name.

Each runs after the kit's checks passed and before the state changes; it may refuse (422,
409) and then nothing of the step is written.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Position, Principal
from yingshang.clock import now
from yingshang.problems import Conflict, Invalid
from ys_complaints.cases import schemas as s
from ys_complaints.cases.models import ComplaintCase
from ys_complaints.cases.notes import tell, write_note
from ys_complaints.cases.vocabulary import EXCLUSION_LABELS, Category, NoteKind, Verdict
from ys_complaints.directory import service as directory


@dataclass
class Step:
    """What an effect hands the transition: the timeline note and data (also event details),
    and ``then``: a change made with the state change, once the kit has checked who may take
    the step (its ``effect``) — one that changes who handles the case, which must not refuse
    the very step that makes it."""

    note: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    then: Callable[[ComplaintCase], None] | None = None


Effect = Callable[[AsyncSession, ComplaintCase, Any, Principal, Position], Awaitable[Step]]
EFFECTS: dict[str, Effect] = {}


def effect(name: str) -> Callable[[Effect], Effect]:
    def register(fn: Effect) -> Effect:
        EFFECTS[name] = fn
        return fn

    return register


def rated(case: ComplaintCase) -> bool:
    """好差评 is real-name (DOMAIN.md, Ratings): only a case with a contact to invite."""
    return case.real_name and bool(case.contact_phone)


def _fen(amount: Any) -> int | None:
    return None if amount is None else int(amount * 100)


# What the enterprise reads when its complaint is accepted (public tracking, PUBLIC_NOTES);
# the center's 说明, when given, follows as a sentence of its own.
ACCEPTED_TEXT = "您反映的问题已受理，将交责任单位调查处理。"
# ... and when it disputes the result (DOMAIN.md: dissatisfied → 回访 + 督办 L2), then when the
# center hands the case back to a unit: fixed words, neither the center's notes nor names.
DISPUTED_TEXT = "您对办理结果提出的异议已收到。投诉中心将回访核实，并已提请营商局督办。"
REOPENED_TEXT = (
    "经回访核实，投诉中心已将您的投诉重新交办责任单位办理，营商局督办；办理结果将再次反馈给您。"
)


def yuan_text(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d} 元"


@effect("accept")
async def accept(
    session: AsyncSession, case: ComplaintCase, body: s.AcceptIn, who: Principal, at: Position
) -> Step:
    """受理: the category, respondent and amounts may be settled now; a respondent is
    required, and an unpaid bill needs its claimed amount and due date (as at intake).
    The respondent changes with the state, after the kit checked who may accept: naming the
    center hands the case to the bureau (``access.handling_center``), naming another unit
    hands one against the center back, from the next step on — the acceptance itself is
    the decision of whoever handled the case until then."""
    respondent = body.respondent or case.respondent
    if body.respondent:
        await directory.require(session, body.respondent, field="respondent")
    if body.category:
        case.category = body.category.value
        case.category_other = body.category_other
    if body.claimed_amount is not None:
        case.claimed_fen = _fen(body.claimed_amount)
    if body.bill_due_date is not None:
        case.bill_due_date = body.bill_due_date
    if not respondent:
        raise Invalid("受理须指定被投诉单位", field="respondent")
    if case.category == Category.OTHER and not case.category_other:
        raise Invalid(s.OTHER_NEEDS_WORDS, field="category_other")
    if case.category == Category.UNPAID_BILLS:
        _require_bill(case)
    case.decided_at = now()
    text = ACCEPTED_TEXT + (f"投诉中心说明：{body.note}" if body.note else "")
    await write_note(session, case, NoteKind.DECISION, text, who, at)
    await tell(session, case, "complaint_decision", decision="accepted")

    def name_respondent(named: ComplaintCase) -> None:
        named.respondent = respondent

    data = {"respondent": respondent, "category": case.category}
    return Step(note=body.note, data=data, then=name_respondent)


def _require_bill(case: ComplaintCase) -> None:
    """422 naming what an unpaid bill lacks: the recovery rate is counted against the claim."""
    held = dict(zip(s.BILL_FIELDS, (case.claimed_fen, case.bill_due_date), strict=True))
    missing = [name for name, value in held.items() if value is None]
    if missing:
        # each one as pydantic names a required field left out (``missing``), as at intake
        errors = [{"field": name, "message": s.BILL_NEEDS, "type": "missing"} for name in missing]
        raise Invalid(s.BILL_NEEDS, field=missing[0], errors=errors)


@effect("reject")
async def reject(
    session: AsyncSession, case: ComplaintCase, body: s.RejectIn, who: Principal, at: Position
) -> Step:
    """不予受理: the reason and the route are told to the enterprise (DOMAIN.md)."""
    case.exclusion, case.referral = body.exclusion.value, body.referral
    case.decided_at = case.closed_at = now()
    case.outcome = "not_accepted"
    label = EXCLUSION_LABELS[body.exclusion]
    text = f"不予受理（{label}）：{body.note} 建议途径：{body.referral}"
    await write_note(session, case, NoteKind.DECISION, text, who, at)
    await tell(session, case, "complaint_decision", decision="not_accepted")
    return Step(note=body.note, data={"exclusion": case.exclusion})


@effect("assign")
async def assign(
    session: AsyncSession, case: ComplaintCase, body: s.AssignIn, who: Principal, at: Position
) -> Step:
    """交办: to the responsible unit — the respondent itself unless the center names another."""
    unit = body.department or case.respondent
    if not unit:
        raise Invalid("交办须指定责任单位", field="department")
    await directory.require(session, unit, field="department")
    case.department, case.assigned_at = unit, now()
    return Step(note=body.note, data={"department": unit})


@effect("investigate")
async def investigate(
    session: AsyncSession, case: ComplaintCase, body: s.ReasonIn, who: Principal, at: Position
) -> Step:
    await write_note(session, case, NoteKind.INVESTIGATION, body.note, who, at)
    return Step(note=body.note)


@effect("reply")
async def reply(
    session: AsyncSession, case: ComplaintCase, body: s.ReplyIn, who: Principal, at: Position
) -> Step:
    await write_note(session, case, NoteKind.REPLY, body.reply, who, at)
    case.replied_at = now()
    return Step()


@effect("send_back")
async def send_back(
    session: AsyncSession, case: ComplaintCase, body: s.ReasonIn, who: Principal, at: Position
) -> Step:
    await write_note(session, case, NoteKind.REVIEW, body.note, who, at)
    return Step(note=body.note)


@effect("resolve")
async def resolve(
    session: AsyncSession, case: ComplaintCase, body: s.ResolveIn, who: Principal, at: Position
) -> Step:
    """审核通过 + 反馈: the result goes to the enterprise, which confirms or disputes it."""
    recovered = _fen(body.recovered_amount)
    if recovered is not None and case.claimed_fen is not None and recovered > case.claimed_fen:
        raise Invalid(
            f"挽回金额不能超过涉及金额（{yuan_text(case.claimed_fen)}）",
            field="recovered_amount",
        )
    await write_note(session, case, NoteKind.RESULT, body.result, who, at)
    case.resolved_at, case.verdict = now(), None
    if recovered is not None:
        case.recovered_fen = recovered
    await tell(session, case, "complaint_result")
    return Step()


@effect("confirm")
async def confirm(
    session: AsyncSession, case: ComplaintCase, body: s.NoteIn, who: Principal, at: Position
) -> Step:
    case.verdict, case.outcome = Verdict.CONFIRMED.value, "resolved"
    case.closed_at = now()
    return Step(note=body.note, data={"staff_no": who.staff_no})


@effect("dispute")
async def dispute(
    session: AsyncSession, case: ComplaintCase, body: s.ReasonIn, who: Principal, at: Position
) -> Step:
    case.verdict = Verdict.DISPUTED.value
    case.dispute_count += 1
    await write_note(session, case, NoteKind.DISPUTE, body.note, who, at)
    await write_note(session, case, NoteKind.PROGRESS, DISPUTED_TEXT, who, at)
    return Step(note=body.note)


@effect("revisit")
async def revisit(
    session: AsyncSession, case: ComplaintCase, body: s.ReasonIn, who: Principal, at: Position
) -> Step:
    await write_note(session, case, NoteKind.REVISIT, body.note, who, at)
    return Step(note=body.note)


@effect("reopen")
async def reopen(
    session: AsyncSession, case: ComplaintCase, body: s.ReasonIn, who: Principal, at: Position
) -> Step:
    """重新交办 after the 回访: the enterprise is told on its tracking page and by SMS (the
    reason stays the center's note)."""
    case.verdict, case.resolved_at, case.replied_at = None, None, None
    await write_note(session, case, NoteKind.PROGRESS, REOPENED_TEXT, who, at)
    await tell(session, case, "complaint_reopened")
    return Step(note=body.note)


@effect("close")
async def close(
    session: AsyncSession, case: ComplaintCase, body: s.ReasonIn, who: Principal, at: Position
) -> Step:
    """办结 despite the dispute, after the 回访 (the reason is recorded)."""
    case.closed_at, case.outcome = now(), "closed_after_dispute"
    return Step(note=body.note, data={"staff_no": who.staff_no})


@effect("check_back")
async def check_back(
    session: AsyncSession, case: ComplaintCase, body: s.CheckBackIn, who: Principal, at: Position
) -> Step:
    """回访核查: only once the waiting period after closure is over (anti-retaliation)."""
    opens: datetime | None = case.checkback_from
    if opens is not None and now() < opens:
        raise Conflict(
            "回访核查尚未到开始时间",
            code="checkback-not-due",
            opens_at=opens.isoformat(),
        )
    case.checked_back_at, case.retaliation_found = now(), body.retaliation_found
    await write_note(session, case, NoteKind.CHECKBACK, body.note, who, at)
    return Step(note=body.note, data={"retaliation_found": body.retaliation_found})
