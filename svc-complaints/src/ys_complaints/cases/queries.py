"""Lists, search and exports of cases (what each caller may see, filtered)."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases.pagination import PageRequest, paginate
from yingshang.clock import now
from yingshang.problems import Forbidden
from yingshang.spreadsheet import cell
from yingshang.validators import ordered_period
from ys_complaints.access import seen_as_center, sees_identity, visible
from ys_complaints.cases.models import PHONE, ComplaintCase
from ys_complaints.cases.schemas import CaseSummary
from ys_complaints.cases.views import summary
from ys_complaints.cases.vocabulary import OPEN_STATES
from ys_complaints.directory import service as directory

EXPORT_LIMIT = 5000  # one export; narrow the filters for more
DUPLICATE_HINTS = 5


@dataclass(frozen=True)
class Filters:
    status: list[str] | None = None
    department: str | None = None
    respondent: str | None = None
    category: str | None = None
    source: str | None = None
    overdue: bool | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    # Identity search (the center's, the bureau's over the cases against the center): who
    # complains must not be findable by anyone who does not see the case as the center.
    uscc: str | None = None
    enterprise: str | None = None
    phone: str | None = None
    q: str | None = None
    number: str | None = None  # the exact 投诉编号, normalised (not an identity search)

    def searches_identity(self) -> bool:
        return any(v is not None for v in (self.uscc, self.enterprise, self.phone, self.q))

    def check_period(self) -> None:
        """422 unless ``received_to`` comes after ``received_from`` (compared as stored: UTC,
        a bound without an offset taken as UTC)."""
        ordered_period(self.received_from, self.received_to, field="received_to")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def query(principal: Principal, f: Filters) -> Select[ComplaintCase]:
    """The cases of a list or export request, before pagination."""
    f.check_period()
    if f.searches_identity() and not sees_identity(principal):
        raise Forbidden(
            "只有侵权投诉中心（投诉针对该中心时为营商局）可以按投诉人身份查询",
            code="identity-search-forbidden",
        )
    c = ComplaintCase
    stmt = select(c).where(visible(principal))
    if f.searches_identity():
        stmt = stmt.where(seen_as_center(principal))
    for column, value in (
        (c.department, f.department),
        (c.respondent, f.respondent),
        (c.category, f.category),
        (c.source, f.source),
        (c.enterprise_uscc, f.uscc.upper() if f.uscc else None),
        (c.number, f.number),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if f.phone is not None:  # sealed: its blind index under each configured secret
        stmt = stmt.where(c.contact_phone_index.in_(PHONE.indexes(f.phone)))
    if f.status:
        stmt = stmt.where(c.state.in_(f.status))
    if f.received_from is not None:
        stmt = stmt.where(c.received_at >= f.received_from)
    if f.received_to is not None:
        stmt = stmt.where(c.received_at < f.received_to)
    if f.enterprise:
        stmt = stmt.where(c.enterprise_name.like(_like(f.enterprise), escape="\\"))
    if f.q:
        pattern = _like(f.q)
        stmt = stmt.where(
            or_(c.title.like(pattern, escape="\\"), c.facts.like(pattern, escape="\\"))
        )
    return _overdue(stmt, f.overdue)


def _overdue(stmt: Select[ComplaintCase], overdue: bool | None) -> Select[ComplaintCase]:
    """The SQL form of ``views.is_overdue``: a running clock past its due time, whatever the
    state — a closed case's anti-retaliation check-back (回访核查) runs after closure.
    ``due_at`` is the earliest due time of the running clocks (``stages.refresh_due``)."""
    if overdue is None:
        return stmt
    c, at = ComplaintCase, now()
    late = c.due_at.is_not(None) & (c.due_at <= at)
    return stmt.where(late) if overdue else stmt.where(~late)


async def page(
    session: AsyncSession, principal: Principal, f: Filters, request: PageRequest
) -> tuple[list[CaseSummary], str | None]:
    rows, cursor = await paginate(
        session,
        query(principal, f),
        request,
        sort=ComplaintCase.received_at,
        id_col=ComplaintCase.id,
    )
    return [summary(row, principal) for row in rows], cursor


async def duplicates(
    session: AsyncSession, principal: Principal, case: ComplaintCase
) -> list[CaseSummary]:
    """疑似重复: the same enterprise's other open cases (by USCC) — an identity search, so
    only for a caller who may make one, over the cases it handles."""
    if not case.enterprise_uscc or not sees_identity(principal):
        return []
    f = Filters(uscc=case.enterprise_uscc, status=sorted(OPEN_STATES))
    stmt = query(principal, f).where(ComplaintCase.id != case.id)
    stmt = stmt.order_by(ComplaintCase.received_at.desc()).limit(DUPLICATE_HINTS)
    return [summary(row, principal) for row in (await session.scalars(stmt)).all()]


# (field, header): the console's words for the list's columns (lists.js, COMPLAINT_COLUMNS),
# units by name as the console shows them; their codes last, for integrators matching rows
EXPORT_COLUMNS = (
    ("number", "案件编号"),
    ("state_label", "状态"),
    ("category_label", "类别"),
    ("respondent_name", "被投诉单位"),
    ("department_name", "责任单位"),
    ("title", "标题"),
    ("enterprise_name", "企业名称"),
    ("real_name", "实名投诉"),
    ("received_at", "登记时间"),
    ("due_at", "时限"),
    ("overdue", "已超期"),
    ("supervised", "已督办"),
    ("respondent", "被投诉单位代码"),
    ("department", "责任单位代码"),
)
# a unit's name in the directory (a code it does not know stays as it is)
NAMED_UNITS = {"respondent_name": "respondent", "department_name": "department"}
DUE_COLUMNS = frozenset({"due_at"})


async def export_csv(session: AsyncSession, principal: Principal, f: Filters) -> str:
    """The filtered cases as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
    stmt = query(principal, f).order_by(ComplaintCase.received_at.desc()).limit(EXPORT_LIMIT)
    rows = (await session.scalars(stmt)).all()
    names = await directory.names(session)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for _, header in EXPORT_COLUMNS])
    for row in rows:
        view = summary(row, principal).model_dump()
        for named, code in NAMED_UNITS.items():
            view[named] = names.get(view[code], view[code]) if view[code] else None
        writer.writerow([cell(view[k], due=k in DUE_COLUMNS) for k, _ in EXPORT_COLUMNS])
    return "\ufeff" + out.getvalue()
