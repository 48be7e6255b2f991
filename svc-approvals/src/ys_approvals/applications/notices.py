"""SMS to the applicant, written with the change and sent after commit (``yingshang.notify``)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import notify
from ys_approvals.applications.models import Application

SUPPLEMENT = "supplement_notice"  # 一次性告知: everything missing, at once
EXTENSION = "extension_notice"  # 行政许可法 art. 42: the applicant is told of the extension
PICKUP = "pickup_notice"  # 通知领取: the licence is ready to collect at the window


async def tell_applicant(
    session: AsyncSession, app: Application, template: str, **params: object
) -> None:
    await notify.enqueue(
        session,
        recipient=app.applicant_phone,
        template=template,
        params={"number": app.number, "item": app.item_name, **params},
    )
