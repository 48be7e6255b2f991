"""What is written on a case besides its state: notes, and messages to the complainant."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import notify
from yingshang.auth import Position, Principal
from yingshang.clock import now
from ys_complaints.cases.models import CaseNote, ComplaintCase
from ys_complaints.cases.vocabulary import NoteKind


async def write_note(
    session: AsyncSession,
    case: ComplaintCase,
    kind: NoteKind,
    body: str,
    who: Principal,
    position: Position,
) -> CaseNote:
    """Add a note in the caller's transaction. The step holds the case row (its version
    check), so the next ``seq`` cannot be taken twice."""
    last = await session.scalar(
        select(func.coalesce(func.max(CaseNote.seq), 0)).where(CaseNote.case_id == case.id)
    )
    row = CaseNote(
        case_id=case.id,
        seq=int(last or 0) + 1,
        kind=kind.value,
        body=body,
        department=position.dept,
        author=who.sub,
        author_name=who.name or None,
        staff_no=who.staff_no,
        at=now(),
    )
    session.add(row)
    return row


async def tell(session: AsyncSession, case: ComplaintCase, template: str, **params: str) -> None:
    """SMS a real-name complainant through the notifications outbox (sent after commit)."""
    if case.real_name and case.contact_phone:
        await notify.enqueue(
            session,
            recipient=case.contact_phone,
            template=template,
            params={"number": case.number, **params},
        )
