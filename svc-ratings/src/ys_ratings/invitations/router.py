"""Public rating links: see what is rated, rate once. Rating policies (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request, status
from pydantic import BaseModel

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, Principal, county_admin, public, staff
from yingshang.clock import now
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.problems import Invalid, NotFound
from yingshang.time.auditing import admin_change
from ys_ratings.indicators.service import set_for_channel
from ys_ratings.invitations import service
from ys_ratings.invitations.models import RatingPolicy
from ys_ratings.invitations.policies import DEFAULT_RATING, DEFAULTS, get_policy
from ys_ratings.ratings.schemas import InvitationView, PolicyIn, PolicyOut, RateIn
from ys_ratings.ratings.sources import rate_by_token
from ys_ratings.responses import Responses

api = router("/api/v1/ratings", tags=["invitations"])
Token = Annotated[str, Path(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")]
NOT_FOUND: Responses = {404: {"description": "unknown link"}}


class RatingReceipt(BaseModel):
    rating_id: str
    level: int
    rectification_opened: bool


@api.get(
    "/invitations/{token}",
    response_model=InvitationView,
    summary="What a one-time rating link rates (public)",
    dependencies=[allow(public())],
    responses={**NOT_FOUND, 410: {"description": "the link expired"}},
)
async def show_invitation(token: Token, session: SessionDep) -> InvitationView:
    invitation = await service.by_token(session, token)
    if invitation.used_at is None:
        service.ensure_open(invitation)
    indicator_set = await set_for_channel(session, invitation.service_channel)
    return InvitationView(
        case_number=invitation.case_number,
        service=invitation.service,
        node=invitation.node,
        item_code=invitation.item_code,
        item_name=invitation.item_name,
        department=invitation.department,
        window=invitation.window,
        staff_no=invitation.staff_no,
        rater_type=invitation.rater_type,
        completed_at=invitation.completed_at,
        expires_at=invitation.expires_at,
        rated=invitation.used_at is not None,
        indicator_set_id=indicator_set.id if indicator_set else None,
        indicators=list(indicator_set.indicators) if indicator_set else [],
    )


@idempotent_post(
    api,
    "/invitations/{token}/rating",
    response_model=RatingReceipt,
    status_code=status.HTTP_201_CREATED,
    summary="Rate once through a one-time link (public; staff may not rate)",
    dependencies=[allow(public())],
    responses={
        **NOT_FOUND,
        403: {"description": "a staff token: staff never rate for the applicant"},
        409: {"description": "already rated"},
        410: {"description": "the link expired"},
        422: {"description": "invalid level, scores or rater"},
    },
)
async def rate(token: Token, body: RateIn, session: SessionDep, request: Request) -> RatingReceipt:
    principal: Principal | None = getattr(request.state, "principal", None)
    rating = await rate_by_token(session, token, body, principal)
    return RatingReceipt(
        rating_id=str(rating.id), level=rating.level, rectification_opened=rating.is_bad
    )


policies = router("/api/v1/ratings/rating-policies", tags=["policies"])


def _out(row: RatingPolicy) -> PolicyOut:
    return PolicyOut(
        key=row.key,
        enabled=row.enabled,
        natural_days=row.natural_days,
        level=row.level,
        note=row.note,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


@policies.get(
    "",
    response_model=list[PolicyOut],
    summary="Rating policies (默认评价, link expiry)",
    dependencies=[allow(staff())],
)
async def list_policies(session: SessionDep) -> list[PolicyOut]:
    return [_out(await get_policy(session, key)) for key in DEFAULTS]


@policies.put(
    "/{key}",
    response_model=PolicyOut,
    summary="Change a rating policy (BUREAU/admin)",
    dependencies=[allow(county_admin())],
    responses={**NOT_FOUND, 422: {"description": "the default rating needs a level"}},
)
async def put_policy(
    key: str, body: PolicyIn, session: SessionDep, principal: CurrentPrincipal
) -> PolicyOut:
    if key not in DEFAULTS:
        raise NotFound("没有这条评价规则")
    if key == DEFAULT_RATING and body.enabled and body.level is None:
        raise Invalid("默认评价须选择等级（3–5）", field="level")
    row = await session.get(RatingPolicy, key)
    if row is None:
        row = RatingPolicy(key=key, note=str(DEFAULTS[key]["note"]))
        session.add(row)
    row.enabled, row.natural_days = body.enabled, body.natural_days
    row.level = body.level if key == DEFAULT_RATING else None
    row.updated_at, row.updated_by = now(), principal.sub
    await session.flush()
    await admin_change(session, principal, "update", "rating_policy", key, body.model_dump())
    return _out(row)
