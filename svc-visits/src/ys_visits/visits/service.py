"""Recording a visit: the record, the problems it raised, and the pairing's visit clock."""

import uuid
from datetime import date

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases.numbers import case_number
from yingshang.clock import today
from yingshang.problems import Conflict, Forbidden, Invalid, NotFound
from ys_visits import access, events
from ys_visits.directory.service import require_department
from ys_visits.enterprises.models import Enterprise
from ys_visits.pairings import clock
from ys_visits.pairings import service as pairings
from ys_visits.pairings.machine import ACTIVE
from ys_visits.pairings.models import KIND as PAIRING
from ys_visits.pairings.models import Pairing
from ys_visits.problems import service as problems
from ys_visits.problems.models import Problem
from ys_visits.problems.schemas import EnterpriseRef
from ys_visits.problems.vocabulary import Source
from ys_visits.visits.models import KIND, Visit
from ys_visits.visits.schemas import Channel, Participant, ProblemRef, VisitIn, VisitOut

NUMBER_PREFIX = "ZF"  # 走访


def may_see(principal: Principal, visit: Visit) -> bool:
    return (
        access.sees_all(principal)
        or access.in_depts(principal, visit.department)
        or access.is_leader(principal, visit.leader_staff_no)
        or (not principal.is_client and visit.recorded_by == principal.sub)
    )


def visible(principal: Principal) -> ColumnElement[bool]:
    mine = [Visit.recorded_by == principal.sub]
    if principal.staff_no:
        mine.append(Visit.leader_staff_no == principal.staff_no)
    return access.scoped(principal, Visit.department, mine)


async def get_visible(session: AsyncSession, visit_id: uuid.UUID, who: Principal) -> Visit:
    visit = await session.get(Visit, visit_id)
    if visit is None or not may_see(who, visit):
        raise NotFound("没有这次走访", code="visit-not-found")
    return visit


async def _pairing(session: AsyncSession, body: VisitIn, who: Principal) -> Pairing | None:
    if body.pairing_id is None:
        return None
    pairing = await pairings.get_visible(session, body.pairing_id, who)
    if pairing.state != ACTIVE:
        raise Conflict("该挂帮关系已结束", code="pairing-ended")
    if body.enterprise_id is not None and body.enterprise_id != pairing.enterprise_id:
        raise Invalid("该挂帮关系对应的是另一家企业", field="enterprise_id")
    if body.visited_on < pairing.starts_on:
        raise Invalid("走访日期早于挂帮关系的开始日期", field="visited_on")
    if pairing.ends_on is not None and body.visited_on > pairing.ends_on:
        raise Invalid("走访日期晚于挂帮关系的结束日期", field="visited_on")
    return pairing


async def _enterprise(session: AsyncSession, enterprise_id: uuid.UUID | None) -> Enterprise:
    row = await session.get(Enterprise, enterprise_id) if enterprise_id else None
    if row is None:
        raise Invalid("请选择走访的企业（或挂帮关系）", field="enterprise_id")
    return row


async def _department(
    session: AsyncSession, body: VisitIn, pairing: Pairing | None, who: Principal
) -> str:
    if pairing is not None and body.department not in (None, pairing.department):
        # the pairing's responsible department (责任单位) makes the visit and is counted for it
        raise Invalid(
            f"该挂帮关系的走访单位是 {pairing.department}，无需另选走访单位",
            field="department",
        )
    dept = body.department or (pairing.department if pairing else None)
    if dept is None:
        raise Invalid("请选择走访单位", field="department")
    await require_department(session, dept, field="department")
    if pairing is None and not (access.sees_all(who) or access.in_depts(who, dept)):
        raise Forbidden("只能登记本部门的走访", code="not-your-department")
    return dept


async def record(session: AsyncSession, body: VisitIn, who: Principal) -> Visit:
    """走访 recorded: problems become 交办单; a paired visit restarts the pairing's window."""
    if body.visited_on > today():
        raise Invalid("走访日期不能晚于今天", field="visited_on")
    pairing = await _pairing(session, body, who)
    enterprise = await _enterprise(
        session, pairing.enterprise_id if pairing else body.enterprise_id
    )
    visit = Visit(
        number=await case_number(session, NUMBER_PREFIX),
        enterprise_id=enterprise.id,
        pairing_id=pairing.id if pairing else None,
        leader_name=pairing.leader_name if pairing else None,
        leader_staff_no=pairing.leader_staff_no if pairing else None,
        department=await _department(session, body, pairing, who),
        visited_on=body.visited_on,
        channel=body.channel.value,
        participants=[p.model_dump(mode="json") for p in body.participants],
        summary=body.summary,
        problems_count=len(body.problems),
        recorded_by=who.sub,
        recorded_by_name=who.name or None,
    )
    session.add(visit)
    await session.flush()
    origin = problems.Origin(Source.VISIT, f"visit_{visit.channel}", visit_id=visit.id)
    for item in body.problems:
        await problems.raise_problem(session, item, enterprise, origin, who)
    if pairing is not None:
        await _count_for(session, pairing, visit, who)
    await _record_event(session, visit, who)
    return visit


async def _count_for(session: AsyncSession, pairing: Pairing, visit: Visit, who: Principal) -> None:
    pairing.visits_count += 1
    if pairing.last_visit_on is None or visit.visited_on > pairing.last_visit_on:
        pairing.last_visit_on = visit.visited_on
    await clock.visited(session, pairing, visit.visited_on, who)
    await events.record(
        session, kind=PAIRING, case_id=pairing.id, action="visited", actor=who, payload=None,
        state=(pairing.state, pairing.state), note=f"走访 {visit.number}",
        data={"visit_id": str(visit.id), "visited_on": visit.visited_on.isoformat()},
    )  # fmt: skip


async def _record_event(session: AsyncSession, visit: Visit, who: Principal) -> None:
    payload = events.VisitRecorded(
        case_id=str(visit.id),
        case_number=visit.number,
        department=visit.department,
        received_at=visit.created_at,
        enterprise_id=str(visit.enterprise_id),
        pairing_id=str(visit.pairing_id) if visit.pairing_id else None,
        visited_on=visit.visited_on,
        channel=visit.channel,
        leader_name=visit.leader_name,
        problems_raised=visit.problems_count,
    )
    await events.record(
        session, kind=KIND, case_id=visit.id, action="recorded", actor=who, payload=payload
    )


async def views(session: AsyncSession, rows: list[Visit]) -> list[VisitOut]:
    """Views of many visits with two extra queries (enterprise names, problems raised)."""
    names: dict[uuid.UUID, str] = {}
    found: dict[uuid.UUID, list[ProblemRef]] = {v.id: [] for v in rows}
    if rows:
        ids = {v.enterprise_id for v in rows}
        query = select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids))
        names = dict((await session.execute(query)).all())
        raised = select(Problem).where(Problem.visit_id.in_(list(found)))
        for p in (await session.execute(raised.order_by(Problem.number))).scalars():
            ref = ProblemRef(id=p.id, number=p.number, title=p.title, state=p.state)
            found[p.visit_id or p.id].append(ref)
    return [_view(v, names.get(v.enterprise_id, ""), found[v.id]) for v in rows]


def _view(visit: Visit, name: str, raised: list[ProblemRef]) -> VisitOut:
    return VisitOut(
        id=visit.id,
        number=visit.number,
        enterprise=EnterpriseRef(id=visit.enterprise_id, name=name),
        pairing_id=visit.pairing_id,
        leader_name=visit.leader_name,
        department=visit.department,
        visited_on=visit.visited_on,
        channel=Channel(visit.channel),
        participants=[Participant.model_validate(p) for p in visit.participants],
        summary=visit.summary,
        problems=raised,
        recorded_by_name=visit.recorded_by_name,
        created_at=visit.created_at,
    )


def list_query(
    who: Principal,
    *,
    enterprise_id: uuid.UUID | None,
    pairing_id: uuid.UUID | None,
    department: str | None,
    visited_from: date | None,
    visited_to: date | None,
) -> Select[Visit]:
    stmt = select(Visit).where(visible(who))
    for column, value in (
        (Visit.enterprise_id, enterprise_id),
        (Visit.pairing_id, pairing_id),
        (Visit.department, department),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if visited_from is not None:
        stmt = stmt.where(Visit.visited_on >= visited_from)
    if visited_to is not None:
        stmt = stmt.where(Visit.visited_on <= visited_to)
    return stmt
