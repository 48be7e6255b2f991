"""Events svc-approvals reads: 好差评 invitations (send the SMS link, offer it on the window's
pad) and ratings (the pad offers a rated node no more), hall duty (坐班) and the gateway's
department changes (``yingshang.directory``)."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import notify
from yingshang.directory import directory_consumer
from yingshang.events.catalogue import EventCatalogue
from yingshang.events.consumer import ConsumerSpec
from yingshang.events.envelope import CloudEvent
from ys_approvals.applications.models import Application
from ys_approvals.directory.service import DEPARTMENTS
from ys_approvals.duty.schemas import DutyPayload
from ys_approvals.duty.service import apply_duty_event
from ys_approvals.halls import pad

log = logging.getLogger("ys_approvals.consumers")

INVITATION = "ys.ratings.invitation.created"
RATING = "ys.ratings.rating.submitted"
DUTY_TYPES = ("recorded", "scheduled", "updated", "cancelled")


class InvitationPayload(BaseModel):
    """``ys.ratings.invitation.created`` (contract): ids and the one-time link, no identity."""

    model_config = ConfigDict(extra="ignore")

    case_id: uuid.UUID
    case_number: str
    invitation_id: str = Field(max_length=64)
    token_url: str = Field(min_length=1, max_length=500)
    service: str
    case_kind: str | None = None
    node: str = Field(max_length=20)
    expires_at: datetime | None = None


class RatingPayload(BaseModel):
    """``ys.ratings.rating.submitted``: which node of which case was rated (nothing else is
    read: no level, no rater)."""

    model_config = ConfigDict(extra="ignore")

    case_id: uuid.UUID
    service: str
    node: str = Field(max_length=20)


def catalogue() -> EventCatalogue:
    cat = EventCatalogue("svc-approvals reads")
    cat.register(INVITATION, InvitationPayload, description="好差评 invitation to send")
    cat.register(RATING, RatingPayload, description="a node rated: off the window's pad")
    for suffix in DUTY_TYPES:
        cat.register(f"ys.visits.duty.{suffix}", DutyPayload, description="hall duty (坐班)")
    return cat


async def send_invitation(
    session: AsyncSession, event: CloudEvent, payload: InvitationPayload
) -> None:
    """The hall holds the applicant's phone: it sends the rating link by SMS."""
    if payload.service != "approvals":
        return  # another service's case: that service sends its own
    app = await session.get(Application, payload.case_id)
    if app is None:
        raise LookupError(
            f"no application {payload.case_id} for invitation {payload.invitation_id}"
        )
    await notify.enqueue(
        session,
        recipient=app.applicant_phone,
        template="rating_invitation",
        params={
            "number": app.number,
            "item": app.item_name,
            "node": payload.node,
            "url": payload.token_url,
        },
    )
    await pad.remember(
        session,
        app,
        node=payload.node,
        invitation_id=payload.invitation_id,
        token_url=payload.token_url,
        expires_at=payload.expires_at,
    )


async def rated(session: AsyncSession, event: CloudEvent, payload: RatingPayload) -> None:
    if payload.service == "approvals":
        await pad.mark_rated(session, payload.case_id, payload.node)


async def record_duty(session: AsyncSession, event: CloudEvent, payload: DutyPayload) -> None:
    await apply_duty_event(session, event, payload)


def specs() -> list[ConsumerSpec]:
    cat = catalogue()
    invitations = ConsumerSpec("approvals", "ratings", "invitations", cat)
    invitations.add(INVITATION, send_invitation)
    # its own durable consumer: the invitations consumer's subjects stay as deployed
    ratings = ConsumerSpec("approvals", "ratings", "pad", cat)
    ratings.add(RATING, rated)
    duty = ConsumerSpec("approvals", "visits", "duty", cat)
    for suffix in DUTY_TYPES:
        duty.add(f"ys.visits.duty.{suffix}", record_duty)
    return [invitations, ratings, duty, directory_consumer("approvals", DEPARTMENTS, catalogue=cat)]
