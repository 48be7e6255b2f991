"""Invitations: one per evaluation node per 办件, from ``*.completed`` events."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import now
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.outbox import enqueue
from yingshang.problems import Conflict, NotFound
from ys_ratings.errors import Gone
from ys_ratings.events import SERVICE, InvitationCreated
from ys_ratings.intake.payloads import CaseCompleted
from ys_ratings.invitations.models import Invitation
from ys_ratings.invitations.policies import INVITATION_EXPIRY, get_policy
from ys_ratings.invitations.tokens import new_token, token_digest

NEVER_DAYS = 3650  # expiry policy switched off
COPIED = {
    "service",
    "case_kind",
    "case_id",
    "case_number",
    "node",
    "item_code",
    "item_name",
    "window",
    "staff_no",
    "rater_type",
    "origin_client",
}


async def for_node(
    session: AsyncSession, service: str, case_id: object, node: str
) -> Invitation | None:
    rows = await session.execute(
        select(Invitation).where(
            Invitation.service == service, Invitation.case_id == case_id, Invitation.node == node
        )
    )
    return rows.scalar_one_or_none()


async def invite(
    session: AsyncSession, payload: CaseCompleted, *, completed_at: datetime, link_prefix: str
) -> Invitation | None:
    """Create the node's invitation unless it exists (an event delivered twice, or re-sent)."""
    if await for_node(session, payload.service, payload.case_id, payload.node) is not None:
        return None
    policy = await get_policy(session, INVITATION_EXPIRY)
    token = new_token()
    invitation = Invitation(
        token_hash=token_digest(token),
        **payload.model_dump(include=COPIED),
        department=payload.responsible(payload.service),
        service_channel=payload.channel,
        completed_at=completed_at,
        expires_at=now() + timedelta(days=policy.natural_days if policy.enabled else NEVER_DAYS),
    )
    session.add(invitation)
    await session.flush()
    await enqueue(session, _created_event(invitation, link_prefix + token))
    return invitation


def _created_event(invitation: Invitation, token_url: str) -> CloudEvent:
    data = InvitationCreated(
        case_id=invitation.case_id,
        case_number=invitation.case_number,
        department=invitation.department,
        origin_client=invitation.origin_client,
        invitation_id=invitation.id,
        token_url=token_url,
        service=invitation.service,
        case_kind=invitation.case_kind,
        node=invitation.node,
        expires_at=invitation.expires_at,
    )
    subject = f"{invitation.case_kind}/{invitation.case_id}"
    return make_event(SERVICE, "ys.ratings.invitation.created", data, subject=subject)


async def by_token(session: AsyncSession, token: str) -> Invitation:
    if not 16 <= len(token) <= 128:
        raise NotFound("没有这个评价邀请")
    rows = await session.execute(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    invitation = rows.scalar_one_or_none()
    if invitation is None:
        raise NotFound("没有这个评价邀请")
    return invitation


def ensure_open(invitation: Invitation) -> None:
    """A token rates once, and only before it expires."""
    if invitation.used_at is not None:
        raise Conflict("该服务已经评价过", code="already-rated")
    if invitation.expires_at <= now():
        raise Gone("评价链接已过期")
