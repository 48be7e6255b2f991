"""Events svc-visits consumes (validated like external input; applied once via the inbox).

* ``ys.ratings.invitation.created`` — the 好差评 link of one of our problems: SMS it to the
  enterprise's contact (we hold the phone; ratings never sees it);
* ``ys.ratings.rating.submitted`` — the enterprise's level for a problem (satisfaction figures);
* ``ys.ratings.rating.excluded`` — an upheld appeal (申诉复核) or an approved 无效差评 claim
  excluded a rating: the level stays
  on the problem, marked, and the satisfaction figures no longer count it;
* ``ys.gateway.department.*`` / ``ys.gateway.user.*`` — keep the local departments and people
  current (``yingshang.directory``): a pairing leader's or an indicator owner's 工号 must be
  an active person's.
"""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import notify
from yingshang.cases import timeline
from yingshang.cases.rules import system_actor
from yingshang.directory import directory_consumer
from yingshang.events import CloudEvent, ConsumerSpec, EventCatalogue
from yingshang.vocabulary import rating_level
from ys_visits.clocks import SERVICE
from ys_visits.directory.service import DEPARTMENTS, PEOPLE
from ys_visits.enterprises.models import Enterprise
from ys_visits.problems.models import KIND as PROBLEM
from ys_visits.problems.models import Problem

INVITATION = "ys.ratings.invitation.created"
RATING = "ys.ratings.rating.submitted"
EXCLUDED = "ys.ratings.rating.excluded"
RATINGS = system_actor("ratings")


class InvitationCreated(BaseModel):
    """``ys.ratings.invitation.created`` (contract): ids and the one-time link, no identity."""

    model_config = ConfigDict(extra="ignore")

    case_id: uuid.UUID
    case_number: str = Field(min_length=1, max_length=80)
    invitation_id: str = Field(min_length=1, max_length=64)
    token_url: str = Field(min_length=1, max_length=500)
    service: str
    case_kind: str | None = None
    node: str = Field(min_length=1, max_length=20)
    expires_at: datetime | None = None


class RatingSubmitted(BaseModel):
    """``ys.ratings.rating.submitted``: the level, no rater identity."""

    model_config = ConfigDict(extra="ignore")

    case_id: uuid.UUID
    rating_id: str = Field(min_length=1, max_length=64)
    level: int = Field(ge=1, le=5)
    service: str
    case_kind: str | None = None


class RatingExcluded(BaseModel):
    """``ys.ratings.rating.excluded``: which rating of which case no longer counts."""

    model_config = ConfigDict(extra="ignore")

    case_id: uuid.UUID
    rating_id: str = Field(min_length=1, max_length=64)
    appeal_id: str | None = Field(None, max_length=64)  # none when a 无效差评 claim was approved
    reason: str = Field("appeal_upheld", max_length=40)
    service: str


def catalogue() -> EventCatalogue:
    cat = EventCatalogue("svc-visits reads")
    cat.register(
        INVITATION, InvitationCreated, description="好差评 link to SMS", consumers=(SERVICE,)
    )
    cat.register(RATING, RatingSubmitted, description="好差评 level", consumers=(SERVICE,))
    cat.register(
        EXCLUDED,
        RatingExcluded,
        description="申诉复核 upheld: the rating leaves the statistics",
        consumers=(SERVICE,),
    )
    return cat


EVENTS = catalogue()
ratings = ConsumerSpec(SERVICE, "ratings", "invitations", catalogue=EVENTS)
directory = directory_consumer(SERVICE, DEPARTMENTS, PEOPLE, catalogue=EVENTS)


def ours(service: str, case_kind: str | None) -> bool:
    return service == SERVICE and case_kind in (None, PROBLEM)


async def _note(session: AsyncSession, problem: Problem, action: str, note: str) -> None:
    await timeline.append(
        session, case_kind=PROBLEM, case_id=problem.id, action=action, actor=RATINGS,
        from_state=problem.state, to_state=problem.state, note=note,
    )  # fmt: skip


@ratings.on(INVITATION)
async def on_invitation(
    session: AsyncSession, event: CloudEvent, payload: InvitationCreated
) -> None:
    if not ours(payload.service, payload.case_kind):
        return  # another service's case: that service sends its own
    problem = await session.get(Problem, payload.case_id)
    if problem is None:
        raise LookupError(f"no problem {payload.case_id} for invitation {payload.invitation_id}")
    enterprise = await session.get(Enterprise, problem.enterprise_id)
    phone = problem.contact_phone or (enterprise.primary_phone() if enterprise else None)
    if phone is None:
        await _note(session, problem, "rating_not_sent", "没有联系电话，未发送好差评邀请")
        return
    await notify.enqueue(
        session,
        recipient=phone,
        template="rating_invitation",
        params={"number": problem.number, "node": payload.node, "url": payload.token_url},
    )
    await _note(session, problem, "rating_invited", "已短信发送好差评邀请")


@ratings.on(RATING)
async def on_rating(session: AsyncSession, event: CloudEvent, payload: RatingSubmitted) -> None:
    if not ours(payload.service, payload.case_kind):
        return
    problem = await session.get(Problem, payload.case_id)
    if problem is None:
        return  # a rating of a case we do not hold: nothing to count
    if problem.satisfaction_excluded and problem.rating_id == payload.rating_id:
        return  # its exclusion came first (redelivery out of order): it stays out
    problem.satisfaction, problem.rating_id = payload.level, payload.rating_id
    problem.satisfaction_excluded = False
    await _note(session, problem, "rated", f"好差评：{rating_level(payload.level)}")


@ratings.on(EXCLUDED)
async def on_excluded(session: AsyncSession, event: CloudEvent, payload: RatingExcluded) -> None:
    """The rating stays on the problem (never deleted), marked excluded; the statistics skip
    it. An exclusion of an earlier rating that a later one replaced changes nothing; one that
    arrives before its rating marks the problem so the rating stays out when it comes. (The
    inbox applies each event once; applying it again changes nothing either.)"""
    if payload.service != SERVICE:
        return
    problem = await session.get(Problem, payload.case_id)
    if problem is None:
        return  # a case we do not hold
    if problem.rating_id not in (None, payload.rating_id):
        return  # another rating is counted now: the excluded one was replaced already
    if problem.satisfaction_excluded and problem.rating_id == payload.rating_id:
        return
    problem.rating_id, problem.satisfaction_excluded = payload.rating_id, True
    why = "无效差评审核通过" if payload.reason == "invalid_rating" else "申诉复核"
    await _note(session, problem, "rating_excluded", f"{why}：该评价不计入统计")


CONSUMERS = (ratings, directory)
