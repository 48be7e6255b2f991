"""A case as each reader may see it (``access.audience``), built in one place."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases import timeline
from yingshang.cases.timeline import TimelineOut
from yingshang.clock import now, today
from ys_complaints.access import Audience, audience
from ys_complaints.cases import stages
from ys_complaints.cases.confidentiality import enterprise_view, list_name, redactor
from ys_complaints.cases.machine import MACHINE, TIMELINE
from ys_complaints.cases.models import CASE_KIND, CaseNote, ComplaintCase, Evidence
from ys_complaints.cases.schemas import (
    CaseOut,
    CaseSummary,
    EvidenceOut,
    NoteOut,
    StageOut,
)
from ys_complaints.cases.vocabulary import (
    CATEGORY_LABELS,
    CENTER_ONLY_NOTES,
    LABELS,
    OPEN_STATES,
    Category,
    NoteKind,
    State,
)

CENTER_ONLY_ACTIONS = frozenset({"revisit", "check_back"})  # their notes stay at the center
# The ``created`` entry's note names the originating 12345 ticket (``intake._record``); like
# ``origin_ticket_number`` it is for the center and oversight, not the unit.
ORIGIN_ACTIONS = frozenset({"created"})
SEEN_BY_OVERSIGHT = frozenset({Audience.CENTER, Audience.MASKED})


def yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


def is_overdue(case: ComplaintCase, at: datetime | None = None) -> bool:
    return case.due_at is not None and case.due_at <= (at or now())


def summary(case: ComplaintCase, principal: Principal) -> CaseSummary:
    seen_as = audience(principal, case)
    redact = redactor(case, seen_as)
    return CaseSummary(
        id=case.id,
        number=case.number,
        state=case.state,
        state_label=LABELS[State(case.state)],
        source=case.source,
        real_name=case.real_name,
        identity=seen_as.value,
        enterprise_name=list_name(case, seen_as),
        category=case.category,
        category_label=CATEGORY_LABELS[Category(case.category)],
        respondent=case.respondent,
        department=case.department,
        title=redact.text(case.title),
        received_at=case.received_at,
        due_at=case.due_at,
        overdue=is_overdue(case),
        supervised=case.supervised,
        version=case.version,
    )


def _payment_overdue_days(case: ComplaintCase) -> int | None:
    """Days past the bill's due date (保障中小企业款项支付条例: 30 days, at most 60 agreed),
    while the case is open."""
    if case.bill_due_date is None or case.state not in OPEN_STATES:
        return None
    days = (today() - case.bill_due_date).days
    return max(days, 0)


async def _evidence(
    session: AsyncSession, case: ComplaintCase, seen_as: Audience
) -> list[EvidenceOut]:
    rows = await session.scalars(
        select(Evidence).where(Evidence.case_id == case.id).order_by(Evidence.title, Evidence.id)
    )
    redact = redactor(case, seen_as)
    shown = []
    for row in rows:
        if row.identifying and seen_as is Audience.REDACTED:
            continue  # identifying evidence only with the enterprise's consent
        out = EvidenceOut.model_validate(row)
        shown.append(
            out.model_copy(
                update={
                    "title": redact.text(out.title),
                    "description": redact.optional(out.description),
                }
            )
        )
    return shown


async def notes(session: AsyncSession, case: ComplaintCase, seen_as: Audience) -> list[NoteOut]:
    rows = await session.scalars(
        select(CaseNote).where(CaseNote.case_id == case.id).order_by(CaseNote.seq)
    )
    redact = redactor(case, seen_as)
    return [
        NoteOut(
            kind=row.kind,
            body=redact.text(row.body),
            department=row.department,
            author_name=row.author_name,
            staff_no=row.staff_no,
            at=row.at,
        )
        for row in rows
        if seen_as is Audience.CENTER or NoteKind(row.kind) not in CENTER_ONLY_NOTES
    ]


async def detail(
    session: AsyncSession, case: ComplaintCase, principal: Principal, *, full_contact: bool = False
) -> CaseOut:
    """The full case for ``principal``. ``full_contact``: a center reader gets the contact's
    name and phone unmasked — the caller audits that read (``revealed_contact``)."""
    seen_as = audience(principal, case)
    redact = redactor(case, seen_as)
    base = summary(case, principal).model_dump()
    oversight = seen_as in SEEN_BY_OVERSIGHT
    return CaseOut(
        **base,
        enterprise=enterprise_view(case, seen_as, full_contact=full_contact),
        disclose_to_respondent=case.disclose_to_respondent,
        category_other=redact.optional(case.category_other),
        facts=redact.text(case.facts),
        claimed_amount=yuan(case.claimed_fen),
        bill_due_date=case.bill_due_date,
        payment_overdue_days=_payment_overdue_days(case),
        recovered_amount=yuan(case.recovered_fen),
        evidence=await _evidence(session, case, seen_as),
        origin_ticket_number=case.origin_ticket_number if oversight else None,
        decided_at=case.decided_at,
        exclusion=case.exclusion,
        referral=redact.optional(case.referral),
        assigned_at=case.assigned_at,
        replied_at=case.replied_at,
        resolved_at=case.resolved_at,
        verdict=case.verdict,
        dispute_count=case.dispute_count,
        closed_at=case.closed_at,
        outcome=case.outcome,
        checkback_from=case.checkback_from,
        checked_back_at=case.checked_back_at,
        retaliation_found=case.retaliation_found if oversight else None,
        stages=[StageOut.model_validate(s) for s in await stages.of(session, case)],
        notes=await notes(session, case, seen_as),
        actions=MACHINE.available(case, principal),
    )


async def timeline_of(
    session: AsyncSession, case: ComplaintCase, principal: Principal
) -> list[TimelineOut]:
    seen_as = audience(principal, case)
    redact = redactor(case, seen_as)
    out = []
    for entry in await timeline.entries(session, CASE_KIND, case.id):
        private = (seen_as is not Audience.CENTER and entry.action in CENTER_ONLY_ACTIONS) or (
            seen_as not in SEEN_BY_OVERSIGHT and entry.action in ORIGIN_ACTIONS
        )
        shown = TIMELINE.out(entry)
        shown.note = None if private else redact.optional(entry.note)
        out.append(shown)
    return out
