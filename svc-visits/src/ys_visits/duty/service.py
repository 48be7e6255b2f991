"""Hall duty (坐班): schedule a sitting, sign in and out, record the matters handled."""

import uuid
from datetime import date, time

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases.etag import check_if_match
from yingshang.cases.numbers import case_number
from yingshang.cases.statemachine import apply_transition
from yingshang.clock import now, today
from yingshang.problems import Conflict, Forbidden, Invalid, NotFound
from yingshang.time.calendar import local_instant
from ys_visits import events
from ys_visits.directory.service import require_department, require_hall, require_staff
from ys_visits.duty.machine import CANCELLED, MACHINE, ON_DUTY, RECORDERS
from ys_visits.duty.models import KIND, DutyMatter, DutyShift
from ys_visits.duty.schemas import DutyDetail, DutyIn, DutyOut, MatterIn, MatterOut
from ys_visits.enterprises import service as enterprises
from ys_visits.enterprises.models import Enterprise
from ys_visits.problems import service as problems
from ys_visits.problems.models import Problem
from ys_visits.problems.vocabulary import Source

NUMBER_PREFIX = "ZB"  # 坐班
CHANNEL = "hall_duty"  # how an enterprise helped on duty was served (好差评 channel)


def payload(shift: DutyShift) -> events.DutyEvent:
    return events.DutyEvent(
        case_id=str(shift.id),
        case_number=shift.number,
        department=shift.department,
        duty_id=str(shift.id),
        leader_name=shift.leader_name,
        hall=shift.hall,
        hall_name=shift.hall_name,
        date=shift.day,
        start=shift.start,
        end=shift.end,
        state=shift.state,
        matters_handled=shift.matters_count,
        problems_raised=shift.problems_count,
    )


async def _refuse_overlap(session: AsyncSession, body: DutyIn) -> None:
    rows = await session.execute(
        select(DutyShift.id).where(
            DutyShift.leader_name == body.leader_name,
            DutyShift.day == body.date,
            DutyShift.state != CANCELLED,
            DutyShift.start < body.end,
            DutyShift.end > body.start,
        )
    )
    existing = rows.scalar()
    if existing is not None:
        raise Conflict(
            "该领导在这一时段已有坐班安排", code="duty-overlap", existing_id=str(existing)
        )


async def schedule(session: AsyncSession, body: DutyIn, who: Principal) -> DutyShift:
    """排班: a leader's sitting in a hall (published for the hall's duty board)."""
    if body.date < today():
        raise Invalid("坐班只能安排在今天或以后", field="date")
    hall = await require_hall(session, body.hall)
    await require_department(session, body.department, field="department")
    # the 工号 lets the leader sign in and out: an active person of the directory's
    await require_staff(session, body.leader_staff_no, field="leader_staff_no")
    await _refuse_overlap(session, body)
    shift = DutyShift(
        number=await case_number(session, NUMBER_PREFIX),
        hall=hall.code,
        hall_name=hall.name,
        hall_department=hall.department,
        leader_name=body.leader_name,
        leader_staff_no=body.leader_staff_no,
        leader_title=body.leader_title,
        department=body.department,
        day=body.date,
        start=body.start,
        end=body.end,
        starts_at=local_instant(body.date, time.fromisoformat(body.start)),
        state=MACHINE.initial,
        matters_count=0,
        problems_count=0,
        created_by=who.sub,
    )
    session.add(shift)
    await session.flush()
    await events.record(
        session, kind=KIND, case_id=shift.id, action="created", actor=who,
        payload=payload(shift), event_name="recorded", state=(None, shift.state),
    )  # fmt: skip
    return shift


async def get(session: AsyncSession, shift_id: uuid.UUID) -> DutyShift:
    """Any member of staff may read the duty schedule (it is on the hall's board)."""
    shift = await session.get(DutyShift, shift_id)
    if shift is None:
        raise NotFound("没有这次坐班", code="duty-not-found")
    return shift


async def act(
    session: AsyncSession,
    shift_id: uuid.UUID,
    name: str,
    note: str | None,
    who: Principal,
    if_match: str | None,
) -> DutyShift:
    """签到 / 签退 (on the day of the sitting) or 取消."""
    shift = await get(session, shift_id)
    target = MACHINE.transition(name).target
    at = now()

    def stamp(row: DutyShift) -> None:  # runs once the kit's checks passed
        if name != "cancel" and row.day != today():
            raise Conflict("只能在坐班当天签到、签退", code="not-the-day")
        if name == "check_in":
            row.checked_in_at = at
        elif name == "check_out":
            row.checked_out_at = at
        else:
            row.cancel_reason = note

    data = payload(shift).model_dump(mode="json") | {"state": target}
    await apply_transition(  # type: ignore[type-var, unused-ignore]  # see machine.MACHINE
        session, MACHINE, shift, name, who, if_match=if_match, note=note, event_data=data,
        effect=stamp,
    )  # fmt: skip
    await session.flush()
    return shift


async def record_matter(
    session: AsyncSession, shift_id: uuid.UUID, body: MatterIn, who: Principal, if_match: str | None
) -> DutyShift:
    """坐班办件: a matter handled on duty; a problem raised here becomes a 交办单."""
    shift = await get(session, shift_id)
    position = RECORDERS(who, shift)
    if position is None:
        raise Forbidden("只有坐班领导、政务服务大厅或非公中心可以登记事项")
    check_if_match(if_match, shift, KIND)
    if shift.state != ON_DUTY:
        raise Conflict("事项须在坐班期间登记", code="not-on-duty", state=shift.state)
    enterprise = await _enterprise(session, body.enterprise_id)
    matter = DutyMatter(
        shift_id=shift.id, at=now(), summary=body.summary, outcome=body.outcome.value,
        enterprise_id=enterprise.id if enterprise else None, recorded_by=who.sub,
        recorded_by_name=who.name or None,
    )  # fmt: skip
    if body.problem is not None and enterprise is not None:
        origin = problems.Origin(Source.DUTY, CHANNEL, duty_id=shift.id)
        raised = await problems.raise_problem(session, body.problem, enterprise, origin, who)
        matter.problem_id = raised.id
        shift.problems_count += 1
    shift.matters_count += 1
    session.add(matter)
    await session.flush()
    await events.record(
        session, kind=KIND, case_id=shift.id, action="matter", actor=who, payload=None,
        state=(shift.state, shift.state), note=body.summary[:2000],
        data={"outcome": body.outcome.value, "problem_id": str(matter.problem_id or "")},
    )  # fmt: skip
    return shift


async def _enterprise(session: AsyncSession, enterprise_id: uuid.UUID | None) -> Enterprise | None:
    if enterprise_id is None:
        return None
    return await enterprises.named(session, enterprise_id, field="enterprise_id")


def view(shift: DutyShift, who: Principal) -> DutyOut:
    out = DutyOut.model_validate(shift)
    out.actions = MACHINE.available(shift, who)
    if shift.state == ON_DUTY and RECORDERS(who, shift) is not None:
        out.actions.append("matters")
    return out


async def detail(session: AsyncSession, shift: DutyShift, who: Principal) -> DutyDetail:
    """The sitting and its matters, in one query; a matter's problem (交办单) is named by its
    number and title only to a reader who may see the problem (``/problems`` answers anyone
    else 404), others get its id alone."""
    seen = (Problem.id == DutyMatter.problem_id) & problems.visible(who)
    rows = await session.execute(
        select(DutyMatter, Problem.number, Problem.title)
        .outerjoin(Problem, seen)
        .where(DutyMatter.shift_id == shift.id)
        .order_by(DutyMatter.at)
    )
    matters = []
    for matter, number, title in rows:
        out = MatterOut.model_validate(matter)
        out.problem_number, out.problem_title = number, title
        matters.append(out)
    return DutyDetail(**view(shift, who).model_dump(), matters=matters)


def list_query(
    *,
    date_from: date | None,
    date_to: date | None,
    hall: str | None,
    leader_name: str | None,
    leader_staff_no: str | None,
    department: str | None,
    state: str | None,
) -> Select[DutyShift]:
    stmt = select(DutyShift)
    for column, value in (
        (DutyShift.hall, hall),
        (DutyShift.leader_name, leader_name),
        (DutyShift.leader_staff_no, leader_staff_no),
        (DutyShift.department, department),
        (DutyShift.state, state),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if date_from is not None:
        stmt = stmt.where(DutyShift.day >= date_from)
    if date_to is not None:
        stmt = stmt.where(DutyShift.day <= date_to)
    return stmt
