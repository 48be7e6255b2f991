"""Which units answer for a rating: the matter's department, and the hall whose window it names.

DOMAIN.md (好差评): "on every window and every person, in the hall's assessment". The hall
(政务服务中心; a town for its 便民服务中心) seats the window clerks and manages the windows; the
进驻 department owns the matter. So a rating naming a hall window is read, and its 差评
co-handled, by both. In the department ranking and 部门考核 it counts once, for the unit whose
act was rated: the 受理 at a window is the window's (approvals lets only the hall's people take
an application at its windows), the 办结 is the department's decision on its matter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ys_ratings.directory.models import HALL, DirectoryEntry
from ys_ratings.ratings.models import Rating
from ys_ratings.rectifications.models import Rectification

ACCEPT = "accept"  # 受理: the evaluation node the window itself performs
WINDOW_SEPARATOR = "/"  # approvals names a window "<hall>/<window>" (HALL_COUNTY/W01)


def assessed(department: str, hall_department: str | None, node: str) -> str:
    """The one unit a rating counts for in the department ranking (never two)."""
    return hall_department if hall_department and node == ACCEPT else department


async def hall_of(session: AsyncSession, window: str | None) -> str | None:
    """The unit running the hall of ``window`` (None: no window, or a hall the county file
    does not name)."""
    if not window or WINDOW_SEPARATOR not in window:
        return None
    hall = window.split(WINDOW_SEPARATOR, 1)[0]
    return await session.scalar(
        select(DirectoryEntry.department).where(
            DirectoryEntry.kind == HALL, DirectoryEntry.code == hall
        )
    )


def _of_hall(window: Any, hall_department: Any, code: str) -> Any:
    # A range, not LIKE: hall codes hold "_", LIKE's one-character wildcard ("0" follows "/").
    return and_(window >= f"{code}/", window < f"{code}0", hall_department.is_(None))


async def attribute_hall(session: AsyncSession, code: str, department: str) -> None:
    """Ratings and rectifications stored before the hall ``code`` was known get its unit."""
    r, x = Rating, Rectification
    await session.execute(
        update(r)
        .where(_of_hall(r.window, r.hall_department, code))
        .values(
            hall_department=department,
            assessed_department=case((r.node == ACCEPT, department), else_=r.department),
        ),
        execution_options={"synchronize_session": False},
    )
    counted_for = select(r.assessed_department).where(r.id == x.rating_id).scalar_subquery()
    await session.execute(
        update(x)
        .where(_of_hall(x.window, x.hall_department, code))
        .values(hall_department=department, assessed_department=counted_for),
        execution_options={"synchronize_session": False},
    )
