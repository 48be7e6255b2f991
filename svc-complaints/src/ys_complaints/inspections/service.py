"""Inspections (暗访) and the rectification of their findings. Never commits.

The inspection record (team, scope) stays with the center and oversight: the team of an
undercover inspection is not shown to the departments it visited. A department sees its own
findings, reports its rectification, and the inspectors verify it.
"""

import uuid
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases import numbers, timeline
from yingshang.cases.statemachine import apply_transition
from yingshang.clock import now
from yingshang.events.envelope import make_event
from yingshang.events.outbox import enqueue
from yingshang.problems import NotFound
from yingshang.time import deadlines
from yingshang.time.arithmetic import Unit
from ys_complaints.access import is_center, is_oversight
from ys_complaints.cases.intake import acting_position
from ys_complaints.directory import service as directory
from ys_complaints.events import FindingClosed, FindingEvent, FindingRectified, FindingRejected
from ys_complaints.inspections.machine import (
    CLASS_LABELS,
    MACHINE,
    RECTIFICATION,
    SERVICE,
    FindingClass,
    FindingState,
)
from ys_complaints.inspections.models import FINDING_KIND, Finding, Inspection
from ys_complaints.inspections.schemas import FindingIn, FindingOut, InspectionIn

Body = Any


def sees_all(principal: Principal) -> bool:
    return is_center(principal) or is_oversight(principal)


def visible(principal: Principal) -> ColumnElement[bool]:
    if sees_all(principal):
        return true()
    return Finding.department.in_(sorted(principal.depts()))


# Numbers of 暗访: the inspection (AF…) and its findings (AZ…, 暗访整改). Not ZG: that is the
# 差评整改单 of svc-ratings, and two kinds must never show the same number. Findings opened
# before the change keep their ZG numbers.
INSPECTION_PREFIX = "AF"  # 暗访
FINDING_PREFIX = "AZ"  # 暗访整改
OLDER_FINDING_PREFIX = "ZG"  # findings opened before AZ: found by number all the same


def is_overdue(finding: Finding) -> bool:
    """Still being rectified (整改中) past its deadline."""
    due = finding.due_at
    return finding.state == FindingState.OPEN and due is not None and due <= now()


def overdue_clause() -> ColumnElement[bool]:
    """The SQL form of :func:`is_overdue`, for lists."""
    return (
        (Finding.state == FindingState.OPEN.value)
        & Finding.due_at.is_not(None)
        & (Finding.due_at <= now())
    )


async def create(session: AsyncSession, body: InspectionIn, principal: Principal) -> Inspection:
    inspection = Inspection(
        number=await numbers.case_number(session, INSPECTION_PREFIX),
        conducted_on=body.conducted_on,
        team=body.team,
        scope=body.scope,
        summary=body.summary,
        created_by=principal.sub,
    )
    session.add(inspection)
    await session.flush()
    for item in body.findings:
        await open_finding(session, inspection, item, principal)
    return inspection


def _common(finding: Finding) -> dict[str, Any]:
    return {
        "case_id": str(finding.id),
        "case_number": finding.number,
        "department": finding.department,
        "origin_client": None,
        "inspection_id": str(finding.inspection_id),
        "finding_class": finding.finding_class,
    }


async def _start_clock(
    session: AsyncSession, finding: Finding, actor: Principal, days: int | None
) -> None:
    stage = await deadlines.start_stage(
        session,
        service=SERVICE,
        case_kind=FINDING_KIND,
        case_id=finding.id,
        case_number=finding.number,
        department=finding.department,
        stage=RECTIFICATION,
        actor=actor,
        amount=days,
        unit=Unit.WORKING_DAYS if days else None,
    )
    finding.due_at = stage.due_at


async def open_finding(
    session: AsyncSession, inspection: Inspection, body: FindingIn, principal: Principal
) -> Finding:
    """A finding against a department: a rectification task with its deadline."""
    await directory.require(session, body.department, field="department")
    finding = Finding(
        inspection_id=inspection.id,
        number=await numbers.case_number(session, FINDING_PREFIX),
        department=body.department,
        finding_class=body.finding_class.value,
        description=body.description,
        state=MACHINE.initial,
        created_by=principal.sub,
    )
    session.add(finding)
    await session.flush()
    await _start_clock(session, finding, principal, body.deadline_days)
    opened = make_event(
        SERVICE,
        f"ys.{SERVICE}.{FINDING_KIND}.opened",
        FindingEvent(**_common(finding), due_at=finding.due_at),
        subject=MACHINE.case_key(finding),
    )
    await enqueue(session, opened)
    await timeline.append(
        session,
        case_kind=FINDING_KIND,
        case_id=finding.id,
        action="opened",
        actor=principal,
        to_state=finding.state,
        position=acting_position(principal),
        event_id=opened.id,
    )
    return finding


async def load(session: AsyncSession, finding_id: uuid.UUID, principal: Principal) -> Finding:
    finding = await session.get(Finding, finding_id)
    if finding is None or not (sees_all(principal) or principal.has(None, finding.department)):
        raise NotFound("没有这个暗访问题", code="finding-not-found")
    return finding


async def load_inspection(session: AsyncSession, inspection_id: uuid.UUID) -> Inspection:
    inspection = await session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound("没有这次暗访")
    return inspection


async def findings_of(session: AsyncSession, inspection: Inspection) -> list[Finding]:
    rows = await session.scalars(
        select(Finding).where(Finding.inspection_id == inspection.id).order_by(Finding.number)
    )
    return list(rows)


async def _open_stage(session: AsyncSession, finding: Finding) -> Any:
    return await deadlines.open_stage(session, FINDING_KIND, finding.id, RECTIFICATION)


async def act(
    session: AsyncSession,
    finding_id: uuid.UUID,
    name: str,
    body: Body,
    principal: Principal,
    if_match: str | None,
) -> Finding:
    """整改 / 验证通过 / 验证不通过 on a finding the caller may see."""
    finding = await load(session, finding_id, principal)
    event_data = (await _event_data(session, finding, name)).model_dump(mode="json")

    def effect(row: Finding) -> None:
        if name == "rectify":
            row.rectification, row.rectified_at = body.note, now()
        elif name == "verify":
            row.verification_note, row.closed_at = body.note, now()
        else:
            row.verification_note = body.note

    await apply_transition(  # type: ignore[type-var, unused-ignore]  # as at MACHINE: mypy 2.4 misreads the model in an import cycle
        session,
        MACHINE,
        finding,
        name,
        principal,
        if_match=if_match,
        note=body.note,
        event_data=event_data,
        effect=effect,
    )
    await _clocks(session, finding, name, principal, body)
    return finding


async def _event_data(session: AsyncSession, finding: Finding, name: str) -> FindingEvent:
    """The payload of the step's event: 整改 names the deadline it answered, 验证不通过 the
    time (its new deadline is the clock's ``stage_started``), 验证通过 whether it was on
    time."""
    if name == "rectify":
        return FindingRectified(**_common(finding), due_at=finding.due_at, rectified_at=now())
    if name == "reject":
        return FindingRejected(**_common(finding), rejected_at=now())
    stages = await deadlines.stages_of(session, FINDING_KIND, finding.id)
    on_time = stages[-1].on_time if stages else None
    return FindingClosed(
        **_common(finding), due_at=finding.due_at, closed_at=now(), on_time=on_time
    )


async def _clocks(
    session: AsyncSession, finding: Finding, name: str, principal: Principal, body: Body
) -> None:
    if name == "rectify":
        stage = await _open_stage(session, finding)
        if stage is not None:
            await deadlines.complete_stage(session, stage, actor=principal)
    elif name == "reject":
        await _start_clock(session, finding, principal, getattr(body, "deadline_days", None))


def view(finding: Finding, principal: Principal) -> FindingOut:
    return FindingOut(
        id=finding.id,
        number=finding.number,
        inspection_id=finding.inspection_id,
        department=finding.department,
        finding_class=finding.finding_class,
        class_label=CLASS_LABELS[FindingClass(finding.finding_class)],
        description=finding.description,
        state=finding.state,
        due_at=finding.due_at,
        overdue=is_overdue(finding),
        rectification=finding.rectification,
        rectified_at=finding.rectified_at,
        verification_note=finding.verification_note,
        closed_at=finding.closed_at,
        created_at=finding.created_at,
        version=finding.version,
        actions=MACHINE.available(finding, principal),
    )
