"""The window pad (窗口评价器): the applicant just served at a window rates there.

Ratings makes a one-time link per evaluation node (受理, 办结) of an application and sends it
here (``ys.ratings.invitation.created``: the hall holds the phone for the SMS). A node reached
at a window keeps that link for that window's pad too: 受理 at the window that took the
application in, 办结 at the window it was finished at (where the finishing clerk sits; a 办结
at no window, or at one not recorded, goes by SMS only). The pad asks for its window's latest
invitation, and gets it only while open: not rated (``ys.ratings.rating.submitted``), not
expired, and only for the applicant still at the window: a short while after the node was
reached there (``YS_PAD_OFFER_MINUTES``, default 5) and never once the window has taken in or
finished the next application. An older invitation never comes back once a newer one exists:
the next applicant at the window is not shown the one before. Whoever left the window keeps
the SMS link.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal, county_admin
from yingshang.clock import now
from yingshang.problems import Forbidden, NotFound
from ys_approvals.applications.models import Application
from ys_approvals.halls.models import Hall, PadInvitation, Window
from ys_approvals.halls.schemas import WindowPadOut

PAD_SCOPE = "approvals:pad"  # the client credentials a window's pad signs in with


async def _row(
    session: AsyncSession, app: Application, node: str, at: datetime
) -> PadInvitation | None:
    """The node's row, made if missing; none for a node not reached at a window."""
    where = app.window_of(node)
    if where is None:
        return None
    found = await session.execute(
        select(PadInvitation).where(
            PadInvitation.application_id == app.id, PadInvitation.node == node
        )
    )
    row = found.scalar_one_or_none()
    if row is None:
        row = PadInvitation(
            application_id=app.id,
            node=node,
            hall_code=where[0],
            window_code=where[1],
            received_at=at,
        )
        session.add(row)
    return row


async def remember(
    session: AsyncSession,
    app: Application,
    *,
    node: str,
    invitation_id: str,
    token_url: str,
    expires_at: datetime | None,
) -> None:
    """Keep an invitation for the pad of the window where the node was reached."""
    row = await _row(session, app, node, now())
    if row is None:
        return
    row.invitation_id, row.token_url, row.expires_at = invitation_id, token_url, expires_at
    row.received_at = now()  # the newest invitation of the window is the one shown
    await session.flush()


async def mark_rated(session: AsyncSession, case_id: uuid.UUID, node: str) -> None:
    """The node was rated (through any channel): its link is no longer offered."""
    app = await session.get(Application, case_id)
    if app is None:
        return  # not ours (or gone): nothing a pad could show
    # A rating ahead of its invitation (another consumer's event) is kept as of the
    # submission, not of now: a late rating of an earlier application never hides the
    # invitation of the applicant at the window now.
    row = await _row(session, app, node, app.submitted_at)
    if row is not None and row.rated_at is None:
        row.rated_at = now()
        await session.flush()


def bind(window: Window, client_id: str | None) -> None:
    """Bind the window's pad to ``client_id`` (None: unbind); binding the same client again
    keeps the time it was bound."""
    if client_id != window.pad_client:
        window.pad_client = client_id
        window.pad_bound_at = now() if client_id is not None else None


def binding(hall: Hall, window: Window) -> WindowPadOut:
    return WindowPadOut(
        hall_code=hall.code,
        window_code=window.code,
        client_id=window.pad_client,
        bound_at=window.pad_bound_at,
    )


def check_binding_reader(principal: Principal, hall: Hall) -> None:
    """The hall's own staff (any post in its department) or a county administrator see which
    client each window's pad signs in as; the public, a pad and another hall do not."""
    if not (county_admin().allows(principal) or principal.has(None, hall.department)):
        raise Forbidden(
            "只有本大厅的工作人员或县级系统管理员可以查看窗口评价器的绑定",
            code="not-the-halls-staff",
        )


def check_pad(principal: Principal, hall: Hall, window: Window) -> None:
    """The window's own pad (its client) or a clerk seated at the window, nobody else."""
    if principal.is_client:
        mine = window.pad_client is not None and window.pad_client == principal.client_id
    else:
        mine = principal.has(None, hall.department) and principal.staff_no in window.clerks
    if not mine:
        raise Forbidden(
            "只有该窗口的评价器或在该窗口就座的工作人员可以获取评价邀请", code="not-the-window-pad"
        )


async def open_invitation(
    session: AsyncSession, window: Window, hall: Hall, *, offer_for: timedelta
) -> PadInvitation:
    """The window's latest invitation if it is still open for the applicant at the window
    (reached there less than ``offer_for`` ago, no application taken in there since); 404
    otherwise."""
    found = await session.execute(
        select(PadInvitation)
        .where(PadInvitation.hall_code == hall.code, PadInvitation.window_code == window.code)
        .order_by(PadInvitation.received_at.desc(), PadInvitation.id.desc())
        .limit(1)
    )
    row = found.scalar_one_or_none()
    at = now()
    if (
        row is None
        or not is_open(row, at)
        or not await _still_at_the_window(session, row, at, offer_for)
    ):
        raise NotFound("该窗口当前没有待评价的办件", code="no-open-invitation")
    return row


def is_open(row: PadInvitation, at: datetime) -> bool:
    expired = row.expires_at is not None and row.expires_at <= at
    return row.token_url is not None and row.rated_at is None and not expired


async def _still_at_the_window(
    session: AsyncSession, row: PadInvitation, at: datetime, offer_for: timedelta
) -> bool:
    """The application names this window for the node, the node was reached there a short
    while ago (as the application records it, or when its link arrived, whichever is earlier)
    and the window has not served anyone else since: taken in or finished another
    application."""
    app = await session.get(Application, row.application_id)
    if app is None or app.window_of(row.node) != (row.hall_code, row.window_code):
        return False
    reached = app.accepted_at if row.node == "accept" else app.finished_at
    served_at = min(reached, row.received_at) if reached is not None else row.received_at
    if at - served_at >= offer_for:
        return False
    a = Application
    taken_in = (a.hall_code == row.hall_code) & (a.window_code == row.window_code)
    taken_in &= a.submitted_at > served_at
    finished = (a.finish_hall_code == row.hall_code) & (a.finish_window_code == row.window_code)
    finished &= a.finished_at > served_at
    next_served = await session.scalar(select(exists().where(a.id != app.id, taken_in | finished)))
    return not next_served
