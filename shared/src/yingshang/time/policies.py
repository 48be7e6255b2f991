"""Time-limit policies as rows (``ys_policies``): lookup, idempotent seeding, admin API.

Each service mounts ``policies_router("<service>")`` at ``/api/v1/<service>/policies``: any
staff may read, ``BUREAU/admin`` (``county_admin``) may create and edit (audited). Edits apply
to stages started after them; running stages keep the terms copied when they started.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Annotated, Any, NamedTuple

import orjson
from fastapi import APIRouter, Header, Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Text, bindparam, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, county_admin, staff
from yingshang.clock import now
from yingshang.db import SessionDep, seed_lock
from yingshang.idempotency import idempotent_post
from yingshang.prepared import Prepared
from yingshang.problems import Conflict, Invalid, NotFound, PreconditionFailed, field_error
from yingshang.time.auditing import admin_change
from yingshang.time.models import Policy
from yingshang.time.terms import (
    KIND_PATTERN,
    NAME_PATTERN,
    URGENCY_PATTERN,
    LadderLevel,
    PolicyTerms,
    default_ladder,
    ladder_from_json,
)

PolicyId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class PolicyIn(PolicyTerms):
    """A new policy: the key (case kind, stage, urgency) and its terms."""

    case_kind: str = Field(pattern=KIND_PATTERN)
    stage: str = Field(pattern=NAME_PATTERN)
    urgency: str = Field("normal", pattern=URGENCY_PATTERN)
    description: str | None = Field(None, max_length=200)
    active: bool = True


class PolicyPatch(BaseModel):
    """Fields to change; the merged terms are validated as a whole."""

    model_config = ConfigDict(extra="forbid")

    amount: int | None = None
    unit: str | None = None
    warning_fraction: float | None = None
    ladder: list[dict[str, Any]] | None = None
    description: str | None = Field(None, max_length=200)
    active: bool | None = None


class PolicyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    service: str
    case_kind: str
    stage: str
    urgency: str
    amount: int
    unit: str
    warning_fraction: float
    ladder: list[LadderLevel]
    description: str | None
    version: int
    active: bool
    updated_at: datetime
    updated_by: str


async def find_policy(
    session: AsyncSession, service: str, case_kind: str, stage: str, urgency: str = "normal"
) -> Policy | None:
    query = select(Policy).where(
        Policy.service == service,
        Policy.case_kind == case_kind,
        Policy.stage == stage,
        Policy.urgency == urgency,
    )
    return (await session.execute(query)).scalar()


class PolicyRef(NamedTuple):
    """Which policy (and version of it) a stage was started under."""

    id: int
    version: int


_P = Policy.__table__
# The ladder as its stored JSON text: the key of the validated terms as is (decoding it and
# taking its ``repr`` for the key cost more than the rest of the read); decoded on a miss only.
_LADDER_TEXT = cast(_P.c.ladder, Text)  # asyncpg would decode a json value itself: CAST in SQL
_ACTIVE = Prepared(
    select(
        _P.c.id, _P.c.version, _P.c.amount, _P.c.unit, _P.c.warning_fraction, _LADDER_TEXT
    ).where(
        _P.c.service == bindparam("service"),
        _P.c.case_kind == bindparam("case_kind"),
        _P.c.stage == bindparam("stage"),
        _P.c.urgency == bindparam("urgency"),
        _P.c.active.is_(True),
    )
)
_TERMS: dict[tuple[Any, ...], PolicyTerms] = {}  # validated terms by their stored values
_TERMS_SIZE = 256


async def active_terms(
    session: AsyncSession, service: str, case_kind: str, stage: str, urgency: str = "normal"
) -> tuple[PolicyRef, PolicyTerms]:
    """The active policy's reference and terms (one prepared read; the terms are validated
    once per distinct stored value), or a 409 naming the missing configuration."""
    row = await _ACTIVE.first(
        session, service=service, case_kind=case_kind, stage=stage, urgency=urgency
    )
    if row is None:
        raise _missing(case_kind, stage, urgency)
    policy_id, version, amount, unit, fraction, ladder = row
    key = (amount, unit, fraction, ladder)
    terms = _TERMS.get(key)
    if terms is None:
        terms = PolicyTerms(
            amount=amount,
            unit=unit,
            warning_fraction=fraction,
            ladder=ladder_from_json(orjson.loads(ladder)),
        )
        if len(_TERMS) >= _TERMS_SIZE:
            _TERMS.clear()
        _TERMS[key] = terms
    return PolicyRef(policy_id, version), terms


def _missing(case_kind: str, stage: str, urgency: str) -> Conflict:
    return Conflict(f"没有在用的时限规则：{case_kind}/{stage}/{urgency}", code="policy-missing")


async def require_policy(
    session: AsyncSession, service: str, case_kind: str, stage: str, urgency: str = "normal"
) -> Policy:
    """The active policy for the key, or a 409 naming the missing configuration."""
    policy = await find_policy(session, service, case_kind, stage, urgency)
    if policy is None or not policy.active:
        raise _missing(case_kind, stage, urgency)
    return policy


async def seed_policies(
    session: AsyncSession, service: str, rows: Iterable[PolicyIn | dict[str, Any]]
) -> int:
    """Insert the policies not present yet (never overwrites an admin's edit); returns how
    many were added. Services seed their DOMAIN.md defaults at start-up."""
    await seed_lock(session)
    added = 0
    for raw in rows:
        spec = raw if isinstance(raw, PolicyIn) else PolicyIn.model_validate(raw)
        if await find_policy(session, service, spec.case_kind, spec.stage, spec.urgency):
            continue
        session.add(_new_policy(service, spec, "system:seed"))
        added += 1
    await session.flush()
    return added


def _new_policy(service: str, spec: PolicyIn, by: str) -> Policy:
    return Policy(
        service=service,
        case_kind=spec.case_kind,
        stage=spec.stage,
        urgency=spec.urgency,
        amount=spec.amount,
        unit=str(spec.unit),
        warning_fraction=spec.warning_fraction,
        ladder=spec.ladder_json(),
        description=spec.description,
        version=1,
        active=spec.active,
        updated_at=now(),
        updated_by=by,
    )


def merged_terms(policy: Policy, patch: PolicyPatch) -> PolicyTerms:
    """The policy's terms with ``patch`` applied, validated together (422 on any error)."""
    current: dict[str, Any] = {
        "amount": policy.amount,
        "unit": policy.unit,
        "warning_fraction": policy.warning_fraction,
        "ladder": policy.ladder,
    }
    changes = patch.model_dump(exclude_unset=True, exclude={"description", "active"})
    try:
        return PolicyTerms.model_validate({**current, **changes})
    except ValidationError as exc:
        errors = [field_error(e) for e in exc.errors()]
        first = errors[0]
        raise Invalid(first["message"], field=first["field"], errors=errors) from exc


def policies_router(service: str) -> APIRouter:
    """``/api/v1/<service>/policies``: list and read (staff), create and edit (BUREAU/admin)."""
    api = router(f"/api/v1/{service}/policies", tags=["time limits"])
    errors: dict[int | str, dict[str, Any]] = {
        401: {"description": "no token"},
        403: {"description": "not allowed"},
    }

    @api.get(
        "",
        response_model=list[PolicyOut],
        summary="List time-limit policies",
        dependencies=[allow(staff())],
        responses=errors,
    )
    async def list_policies(
        session: SessionDep,
        case_kind: Annotated[str | None, Query(max_length=40)] = None,
        stage: Annotated[str | None, Query(max_length=40)] = None,
        active: bool | None = None,
    ) -> Sequence[Policy]:
        query = select(Policy).where(Policy.service == service)
        for column, value in (
            (Policy.case_kind, case_kind),
            (Policy.stage, stage),
            (Policy.active, active),
        ):
            if value is not None:
                query = query.where(column == value)
        order = (Policy.case_kind, Policy.stage, Policy.urgency)
        return list((await session.execute(query.order_by(*order))).scalars())

    @api.get(
        "/{policy_id}",
        response_model=PolicyOut,
        summary="Read a policy",
        dependencies=[allow(staff())],
        responses={**errors, 404: {"description": "none"}},
    )
    async def read_policy(policy_id: PolicyId, session: SessionDep, response: Response) -> Policy:
        policy = await _get(session, service, policy_id)
        response.headers["ETag"] = _etag(policy)
        return policy

    @idempotent_post(
        api,
        "",
        response_model=PolicyOut,
        status_code=status.HTTP_201_CREATED,
        summary="Create a policy (BUREAU/admin)",
        dependencies=[allow(county_admin())],
        responses={**errors, 409: {"description": "key exists"}, 422: {"description": "invalid"}},
    )
    async def create_policy(
        body: PolicyIn, session: SessionDep, principal: CurrentPrincipal, response: Response
    ) -> Policy:
        if await find_policy(session, service, body.case_kind, body.stage, body.urgency):
            raise Conflict(
                "该案件类型、环节和紧急程度的时限规则已存在，请修改它",
                code="policy-exists",
            )
        policy = _new_policy(service, body, principal.sub)
        session.add(policy)
        await session.flush()
        await admin_change(
            session, principal, "policy.create", "policy", str(policy.id), _snapshot(policy)
        )
        response.headers["ETag"] = _etag(policy)
        return policy

    @api.patch(
        "/{policy_id}",
        response_model=PolicyOut,
        summary="Edit a policy (BUREAU/admin)",
        dependencies=[allow(county_admin())],
        responses={
            **errors,
            404: {"description": "none"},
            412: {"description": "stale"},
            422: {"description": "invalid"},
        },
    )
    async def edit_policy(
        policy_id: PolicyId,
        body: PolicyPatch,
        session: SessionDep,
        principal: CurrentPrincipal,
        response: Response,
        if_match: Annotated[str | None, Header()] = None,
    ) -> Policy:
        policy = await _get(session, service, policy_id)
        if if_match is not None and if_match.strip() != _etag(policy):
            raise PreconditionFailed("读取之后该时限规则已被修改，请重新读取")
        before = _snapshot(policy)
        _apply(policy, merged_terms(policy, body), body, principal.sub)
        await session.flush()
        await admin_change(
            session,
            principal,
            "policy.update",
            "policy",
            str(policy.id),
            {"before": before, "after": _snapshot(policy)},
        )
        response.headers["ETag"] = _etag(policy)
        return policy

    return api


def _apply(policy: Policy, terms: PolicyTerms, patch: PolicyPatch, by: str) -> None:
    policy.amount, policy.unit = terms.amount, str(terms.unit)
    policy.warning_fraction, policy.ladder = terms.warning_fraction, terms.ladder_json()
    if "description" in patch.model_fields_set:
        policy.description = patch.description
    if patch.active is not None:
        policy.active = patch.active
    policy.version += 1
    policy.updated_at, policy.updated_by = now(), by


async def _get(session: AsyncSession, service: str, policy_id: int) -> Policy:
    policy = await session.get(Policy, policy_id)
    if policy is None or policy.service != service:
        raise NotFound("没有这条时限规则")
    return policy


def _etag(policy: Policy) -> str:
    return f'"policy-{policy.id}-v{policy.version}"'


def _snapshot(policy: Policy) -> dict[str, Any]:
    return {
        "key": [policy.case_kind, policy.stage, policy.urgency],
        "amount": policy.amount,
        "unit": policy.unit,
        "warning_fraction": policy.warning_fraction,
        "ladder": policy.ladder,
        "active": policy.active,
        "version": policy.version,
    }


__all__ = [
    "PolicyIn",
    "PolicyOut",
    "PolicyPatch",
    "default_ladder",
    "find_policy",
    "merged_terms",
    "policies_router",
    "require_policy",
    "seed_policies",
]
