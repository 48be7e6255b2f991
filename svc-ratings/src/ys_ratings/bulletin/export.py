"""Monthly export to the provincial 好差评 platform (its field set; no rater identity)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.cases.pagination import PageRequest, paginate
from yingshang.spreadsheet import safe_cell
from ys_ratings.events import ProvincialRecord
from ys_ratings.ratings.models import Rating
from ys_ratings.ratings.service import provincial_record

COLUMNS = [
    ("case_number", "办件编号"),
    ("item_code", "事项编码"),
    ("item_name", "事项名称"),
    ("department", "部门编码"),
    ("node", "评价节点"),
    ("node_at", "受理/办结时间"),
    ("staff_no", "窗口工号"),
    ("window", "窗口"),
    ("rater_type", "评价人类型(0自然人/1法人)"),
    ("level", "评价等级"),
    ("indicators", "指标评分"),
    ("channel", "评价渠道"),
    ("rated_at", "评价时间"),
    ("excluded", "申诉成立剔除"),
]


class ExportRecord(ProvincialRecord):
    rating_id: str
    excluded: bool


def record(rating: Rating) -> ExportRecord:
    return ExportRecord(
        rating_id=str(rating.id), excluded=rating.excluded, **provincial_record(rating).model_dump()
    )


async def page(
    session: AsyncSession, month: str, request: PageRequest
) -> tuple[list[ExportRecord], str | None]:
    stmt = select(Rating).where(Rating.month == month)
    rows, cursor = await paginate(
        session, stmt, request, sort=Rating.rated_at, id_col=Rating.id, direction="asc"
    )
    return [record(r) for r in rows], cursor


def _cell(value: object) -> str:
    if isinstance(value, dict):
        return ";".join(f"{k}={v}" for k, v in sorted(value.items()))
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else safe_cell(str(value))


async def month_csv(session: AsyncSession, month: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _, label in COLUMNS])
    rows = await session.stream_scalars(
        select(Rating).where(Rating.month == month).order_by(Rating.rated_at, Rating.id)
    )
    async for rating in rows:
        data = record(rating).model_dump(mode="json")
        writer.writerow([_cell(data[name]) for name, _ in COLUMNS])
    return "\ufeff" + out.getvalue()
