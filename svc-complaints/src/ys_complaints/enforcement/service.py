"""Enforcement actions and the mix report ("三为主": ≥70% service, 20% education, ≤10% penalty).

A department records its own actions; the center, the bureau and the committee see every
department's. The report counts actions per department in a period and flags a department
whose penalty share is above the maximum (strictly: 1 in 10 is within 10%).
"""

from collections import Counter
from datetime import date
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.clock import now
from yingshang.problems import Forbidden
from yingshang.validators import ordered_period
from ys_complaints.access import is_center, is_oversight
from ys_complaints.directory import service as directory
from ys_complaints.enforcement.models import EnforcementAction, EnforcementTargets
from ys_complaints.enforcement.schemas import (
    ActionIn,
    ActionOut,
    DepartmentMix,
    Kind,
    MixReport,
    TargetsIn,
)

TARGETS_ID = 1
DEFAULT_TARGETS = TargetsIn(service_min=0.7, education_share=0.2, penalty_max=0.1)


async def ensure_targets(session: AsyncSession) -> EnforcementTargets:
    row = await session.get(EnforcementTargets, TARGETS_ID)
    if row is None:
        row = EnforcementTargets(
            id=TARGETS_ID,
            **DEFAULT_TARGETS.model_dump(),
            version=1,
            updated_at=now(),
            updated_by="system:seed",
        )
        session.add(row)
        await session.flush()
    return row


async def current_targets(session: AsyncSession) -> TargetsIn:
    row = await session.get(EnforcementTargets, TARGETS_ID)
    return DEFAULT_TARGETS if row is None else TargetsIn.model_validate(row, from_attributes=True)


async def set_targets(session: AsyncSession, body: TargetsIn, by: str) -> EnforcementTargets:
    row = await ensure_targets(session)
    row.service_min, row.education_share = body.service_min, body.education_share
    row.penalty_max, row.version = body.penalty_max, row.version + 1
    row.updated_at, row.updated_by = now(), by
    await session.flush()
    return row


def sees_all(principal: Principal) -> bool:
    return is_center(principal) or is_oversight(principal)


def scope(principal: Principal) -> ColumnElement[bool]:
    """The actions a caller may see: every department's for the center and oversight."""
    if sees_all(principal):
        return true()
    return EnforcementAction.department.in_(sorted(principal.depts()))


async def record(session: AsyncSession, body: ActionIn, principal: Principal) -> EnforcementAction:
    """A department records its own action (the center may record for any department)."""
    if not (is_center(principal) or principal.has(None, body.department)):
        raise Forbidden("只能登记本部门的执法记录", code="not-your-unit")
    await directory.require(session, body.department, field="department")
    fine = body.fine_amount
    row = EnforcementAction(
        **body.model_dump(exclude={"fine_amount"}),
        fine_fen=None if fine is None else int(fine * 100),
        recorded_by=principal.sub,
        recorded_at=now(),
    )
    session.add(row)
    await session.flush()
    return row


def out(row: EnforcementAction) -> ActionOut:
    fine = None if row.fine_fen is None else (Decimal(row.fine_fen) / 100).quantize(Decimal("0.01"))
    return ActionOut.model_validate(row).model_copy(update={"fine_amount": fine})


def listing(
    principal: Principal,
    department: str | None,
    kind: Kind | None,
    since: date | None,
    until: date | None,
) -> Select[EnforcementAction]:
    ordered_period(since, until, field="to")
    a = EnforcementAction
    stmt = select(a).where(scope(principal))
    if department:
        stmt = stmt.where(a.department == department)
    if kind:
        stmt = stmt.where(a.kind == kind.value)
    if since:
        stmt = stmt.where(a.acted_on >= since)
    if until:
        stmt = stmt.where(a.acted_on <= until)
    return stmt


def _share(part: int, total: int) -> float:
    return round(part / total, 4) if total else 0.0


def _mix(
    code: str, name: str | None, counts: Counter[str], waived: int, t: TargetsIn
) -> DepartmentMix:
    total = sum(counts.values())
    penalty, service = counts[Kind.PENALTY], counts[Kind.SERVICE]
    # Exact comparison: 1 penalty in 10 actions is within a 10% maximum, not above it.
    flagged = total > 0 and Fraction(penalty, total) > Fraction(str(t.penalty_max))
    warnings = []
    if total and Fraction(service, total) < Fraction(str(t.service_min)):
        warnings.append("service_below_min")
    return DepartmentMix(
        department=code,
        name=name,
        total=total,
        service=service,
        education=counts[Kind.EDUCATION],
        penalty=penalty,
        first_offence_waived=waived,
        service_share=_share(service, total),
        education_share=_share(counts[Kind.EDUCATION], total),
        penalty_share=_share(penalty, total),
        flagged=flagged,
        warnings=warnings,
    )


async def report(
    session: AsyncSession, principal: Principal, since: date, until: date
) -> MixReport:
    ordered_period(since, until, field="to")
    a = EnforcementAction
    rows = await session.execute(
        select(a.department, a.kind, a.first_offence_waived, func.count())
        .where(scope(principal), a.acted_on >= since, a.acted_on <= until)
        .group_by(a.department, a.kind, a.first_offence_waived)
    )
    counts: dict[str, Counter[str]] = {}
    waived: Counter[str] = Counter()
    for dept, kind, was_waived, n in rows:
        counts.setdefault(dept, Counter())[kind] += n
        waived[dept] += n if was_waived else 0
    targets = await current_targets(session)
    names = await directory.names(session)
    mixes = [_mix(d, names.get(d), counts[d], waived[d], targets) for d in sorted(counts)]
    return MixReport(
        period_from=since,
        period_to=until,
        targets=targets,
        departments=mixes,
        flagged=[m.department for m in mixes if m.flagged],
    )
