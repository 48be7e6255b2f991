"""Figures computed from the applications themselves (timestamps and recorded days)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import SHANGHAI, now
from yingshang.validators import ordered_period
from ys_approvals.applications.machine import CLOSED
from ys_approvals.applications.models import Application
from ys_approvals.applications.service import running_late
from ys_approvals.stats.schemas import Figures, GroupFigures, StatsOut

# Channels that count as applying online (网上申请): through the provincial platform, and
# 跨省通办 (the applicant applied where they are, online or at another province's hall).
ONLINE_CHANNELS = ("online", "cross_province")


def trips(app: Application) -> int:
    """In-person visits the applicant made: a window submission is one; collecting the result
    at a window is another, unless it was handed over in the same visit (即办件)."""
    visits = 1 if app.channel == "window" else 0
    same_visit = app.handling_kind == "instant" and visits == 1
    if app.delivery_method == "pickup" and not same_visit:
        visits += 1
    return visits


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _compression(used: float | None, limit: float | None) -> float | None:
    return round(1 - used / limit, 4) if used is not None and limit else None


def figures(apps: Sequence[Application], at: datetime) -> dict[str, Any]:
    finished = [a for a in apps if a.state == "finished" and a.working_days_used is not None]
    timed = [a for a in finished if a.on_time is not None]
    delivered = [a.delivery_on_time for a in apps if a.delivery_on_time is not None]
    open_ = [a for a in apps if a.state not in CLOSED]
    used = _mean([float(a.working_days_used or 0) for a in finished])
    statutory = _mean([float(a.statutory_limit) for a in finished])
    committed = _mean([float(a.committed_limit) for a in finished])
    return {
        "applications": len(apps),
        "online_rate": _share(sum(a.channel in ONLINE_CHANNELS for a in apps), len(apps)),
        "zero_trip_share": _share(sum(trips(a) == 0 for a in apps), len(apps)),
        "at_most_one_trip_share": _share(sum(trips(a) <= 1 for a in apps), len(apps)),
        "finished": len(finished),
        "in_progress": len(open_),
        "overdue": sum(running_late(a, at) for a in open_),
        "on_time_rate": _share(sum(bool(a.on_time) for a in timed), len(timed)),
        "delivery_on_time_rate": _share(sum(delivered), len(delivered)),
        "average_working_days": used,
        "average_statutory_limit": statutory,
        "average_committed_limit": committed,
        "compression_vs_statutory": _compression(used, statutory),
        "compression_vs_committed": _compression(used, committed),
    }


def _grouped(
    apps: Sequence[Application],
    key: Callable[[Application], str],
    at: datetime,
    names: dict[str, str] | None = None,
) -> list[GroupFigures]:
    groups: dict[str, list[Application]] = defaultdict(list)
    for app in apps:
        groups[key(app)].append(app)
    return [
        GroupFigures(key=k, name=(names or {}).get(k), **figures(v, at))
        for k, v in sorted(groups.items())
    ]


async def statistics(
    session: AsyncSession,
    *,
    department: str | None = None,
    item_code: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> StatsOut:
    """Figures of the applications submitted in [since, until) (either bound open)."""
    ordered_period(since, until, field="until")
    query = select(Application)
    if department:
        query = query.where(Application.department == department)
    if item_code:
        query = query.where(Application.item_code == item_code)
    if since:
        query = query.where(Application.submitted_at >= since)
    if until:
        query = query.where(Application.submitted_at < until)
    apps = list((await session.execute(query)).scalars())
    at = now()
    item_names = {a.item_code: a.item_name for a in apps}
    return StatsOut(
        since=since,
        until=until,
        overall=Figures(**figures(apps, at)),
        by_department=_grouped(apps, lambda a: a.department, at),
        by_item=_grouped(apps, lambda a: a.item_code, at, item_names),
        by_month=_grouped(apps, month_of, at),
    )


def month_of(app: Application) -> str:
    """The hall's month (Asia/Shanghai) the application came in: ``YYYY-MM``."""
    return app.submitted_at.astimezone(SHANGHAI).strftime("%Y-%m")
