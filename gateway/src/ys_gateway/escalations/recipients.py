"""Who the deadline ladder names (ARCHITECTURE.md, "Deadlines and escalation").

A ``warning`` and the ``overdue`` (L1) of a stage go to the responsible department's heads
(一把手); an ``escalated`` level goes to its ``target`` (policy data): ``responsible_head`` the
department's heads again, ``bureau`` the bureau's heads (``BUREAU/head``, 催办), ``committee``
every member of the committee (any post at ``COMMITTEE`` but system administration, 书面通报).
A 督办 issued by hand (``escalated`` with ``action`` ``supervise``: the bureau, the committee
or a center pressed the case) goes to the department pressed, its heads: those who issued it
know already. Only people active in the directory now, each once (a person may hold several
posts).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import BUREAU, COMMITTEE
from yingshang.time.events import Escalated, StageEvent
from yingshang.time.stages import SUPERVISE
from yingshang.time.terms import Target
from ys_gateway.models import Position, User

HEAD, ADMIN = "head", "admin"


def by_hand(payload: StageEvent) -> bool:
    """A 督办 someone issued, not a level the clock reached."""
    return isinstance(payload, Escalated) and payload.action == SUPERVISE


def audience_of(payload: StageEvent) -> Target:
    """The ladder's target of a deadline event (``warning``/``overdue`` and a 督办 issued by
    hand: the department)."""
    if isinstance(payload, Escalated) and not by_hand(payload):
        return payload.target
    return "responsible_head"


async def recipients(session: AsyncSession, audience: Target, department: str) -> list[User]:
    """The active people ``audience`` means for a case of ``department``, by username."""
    held = select(Position.user_id)
    if audience == "committee":
        held = held.where(Position.dept_code == COMMITTEE, Position.role != ADMIN)
    else:
        dept = BUREAU if audience == "bureau" else department
        held = held.where(Position.dept_code == dept, Position.role == HEAD)
    rows = await session.scalars(
        select(User).where(User.active.is_(True), User.id.in_(held)).order_by(User.username)
    )
    return list(rows)
