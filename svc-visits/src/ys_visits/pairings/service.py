"""Pairings (挂帮): create with the visit-frequency clock, read as allowed, end."""

import uuid

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases.numbers import case_number
from yingshang.cases.statemachine import apply_transition
from yingshang.clock import now, today
from yingshang.problems import Conflict, Invalid, NotFound
from yingshang.time.models import DeadlineStage
from ys_visits import access, clocks, events
from ys_visits.directory.service import require_department, require_staff
from ys_visits.enterprises import service as enterprises
from ys_visits.enterprises.models import Enterprise
from ys_visits.pairings import clock
from ys_visits.pairings.machine import ACTIVE, ENDED, MACHINE
from ys_visits.pairings.models import KIND, Pairing
from ys_visits.pairings.schemas import (
    EnterpriseRef,
    Frequency,
    LeaderRank,
    PairingIn,
    PairingOut,
)

NUMBER_PREFIX = "GB"  # 挂帮


def may_see(principal: Principal, pairing: Pairing) -> bool:
    return (
        access.sees_all(principal)
        or access.in_depts(principal, pairing.department)
        or access.is_leader(principal, pairing.leader_staff_no)
    )


def visible(principal: Principal) -> ColumnElement[bool]:
    mine = [Pairing.leader_staff_no == principal.staff_no] if principal.staff_no else []
    return access.scoped(principal, Pairing.department, mine)


async def get_visible(session: AsyncSession, pairing_id: uuid.UUID, who: Principal) -> Pairing:
    """The pairing, or 404 — also when it exists but ``who`` may not see it."""
    pairing = await session.get(Pairing, pairing_id)
    if pairing is None or not may_see(who, pairing):
        raise NotFound("没有这个挂帮关系", code="pairing-not-found")
    return pairing


async def _enterprise(session: AsyncSession, enterprise_id: uuid.UUID) -> Enterprise:
    return await enterprises.named(session, enterprise_id, field="enterprise_id")


async def _refuse_duplicate(session: AsyncSession, body: PairingIn) -> None:
    found = await session.execute(
        select(Pairing.id).where(
            Pairing.enterprise_id == body.enterprise_id,
            Pairing.leader_name == body.leader_name,
            Pairing.department == body.department,
            Pairing.state == ACTIVE,
        )
    )
    existing = found.scalar()
    if existing is not None:
        raise Conflict(
            "该领导和部门已与这家企业挂帮",
            code="pairing-exists",
            existing_id=str(existing),
        )


async def create(session: AsyncSession, body: PairingIn, who: Principal) -> Pairing:
    enterprise = await _enterprise(session, body.enterprise_id)
    await require_department(session, body.department, field="department")
    await require_staff(session, body.leader_staff_no, field="leader_staff_no")
    starts_on = body.starts_on or today()
    if body.ends_on is not None and body.ends_on < starts_on:
        raise Invalid("挂帮关系的结束日期不能早于开始日期", field="ends_on")
    await _refuse_duplicate(session, body)
    policy = await clock.frequency_policy(session, body.leader_rank.value, enterprise.scale)
    pairing = Pairing(
        number=await case_number(session, NUMBER_PREFIX),
        enterprise_id=enterprise.id,
        leader_name=body.leader_name,
        leader_staff_no=body.leader_staff_no,
        leader_title=body.leader_title,
        leader_rank=body.leader_rank.value,
        department=body.department,
        starts_on=starts_on,
        ends_on=body.ends_on,
        state=MACHINE.initial,
        policy_key=policy.urgency,
        frequency_amount=policy.amount,
        frequency_unit=policy.unit,
        visits_count=0,
        created_by=who.sub,
    )
    session.add(pairing)
    await session.flush()
    await _record_created(session, pairing, who)
    await clock.start_window(session, pairing, who, clock.window_start(starts_on))
    return pairing


async def _record_created(session: AsyncSession, pairing: Pairing, who: Principal) -> None:
    payload = events.PairingCreated(
        case_id=str(pairing.id),
        case_number=pairing.number,
        department=pairing.department,
        received_at=pairing.created_at,
        enterprise_id=str(pairing.enterprise_id),
        leader_name=pairing.leader_name,
        leader_rank=pairing.leader_rank,
        starts_on=pairing.starts_on,
    )
    await events.record(
        session, kind=KIND, case_id=pairing.id, action="created", actor=who,
        payload=payload, state=(None, pairing.state),
    )  # fmt: skip


async def end(
    session: AsyncSession, pairing_id: uuid.UUID, note: str, who: Principal, if_match: str | None
) -> Pairing:
    pairing = await get_visible(session, pairing_id, who)
    at = now()

    def close(p: Pairing) -> None:
        p.ended_at, p.end_reason = at, note

    await apply_transition(  # type: ignore[type-var, unused-ignore]  # see machine.MACHINE
        session, MACHINE, pairing, "end", who, if_match=if_match, note=note,
        event_data=events.PairingClosed(
            case_id=str(pairing.id), case_number=pairing.number,
            department=pairing.department, received_at=pairing.created_at, closed_at=at,
        ),
        effect=close,
    )  # fmt: skip
    await clock.stop(session, pairing, who, note)
    await session.flush()
    return pairing


def view(
    pairing: Pairing, enterprise_name: str, stages: list[DeadlineStage], who: Principal
) -> PairingOut:
    due = pairing.visit_due_at
    return PairingOut(
        id=pairing.id,
        number=pairing.number,
        enterprise=EnterpriseRef(id=pairing.enterprise_id, name=enterprise_name),
        leader_name=pairing.leader_name,
        leader_staff_no=pairing.leader_staff_no,
        leader_title=pairing.leader_title,
        leader_rank=LeaderRank(pairing.leader_rank),
        department=pairing.department,
        starts_on=pairing.starts_on,
        ends_on=pairing.ends_on,
        state=pairing.state,
        frequency=Frequency(
            policy_key=pairing.policy_key,
            amount=pairing.frequency_amount,
            unit=pairing.frequency_unit,
        ),
        visit_due_at=due,
        overdue=clock.is_overdue(pairing, now()),
        escalation_level=clocks.escalation_level(stages),
        last_visit_on=pairing.last_visit_on,
        visits_count=pairing.visits_count,
        end_reason=pairing.end_reason,
        created_at=pairing.created_at,
        version=pairing.version,
        actions=MACHINE.available(pairing, who),
    )


async def views(session: AsyncSession, pairings: list[Pairing], who: Principal) -> list[PairingOut]:
    """Views of many pairings with two extra queries (enterprise names, running clocks)."""
    ids = {p.enterprise_id for p in pairings}
    query = select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids))
    names = dict((await session.execute(query)).all()) if ids else {}
    stages = await clocks.running(session, KIND, [p.id for p in pairings])
    return [view(p, names.get(p.enterprise_id, ""), stages[p.id], who) for p in pairings]


def list_query(
    who: Principal,
    *,
    state: str | None,
    department: str | None,
    overdue: bool | None,
    enterprise_id: uuid.UUID | None,
    leader_staff_no: str | None,
    leader_rank: LeaderRank | None,
) -> Select[Pairing]:
    stmt = select(Pairing).where(visible(who))
    for column, value in (
        (Pairing.state, state),
        (Pairing.department, department),
        (Pairing.enterprise_id, enterprise_id),
        (Pairing.leader_staff_no, leader_staff_no),
        (Pairing.leader_rank, leader_rank.value if leader_rank else None),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if overdue is not None:
        late = clock.overdue_clause(now())
        stmt = stmt.where(late if overdue else ~late | Pairing.visit_due_at.is_(None))
    return stmt


__all__ = ["ACTIVE", "ENDED", "create", "end", "get_visible", "list_query", "view", "views"]
