"""Self-service password change (``POST /auth/password``) for the signed-in person.

The current password must be proven, and a wrong one counts as a failed sign-in of the
username (``oauth.lockout``): the endpoint is no better for guessing than the token endpoint.
The new password follows the rules of the passwords administrators set
(``directory.schemas.Password``) and must differ from the current one. A change ends every
session of the person as an administrator's reset does (all refresh tokens revoked), clears
``password_change_required``, is audited, and answers with a fresh token pair.

Transactions are explicit, as in ``oauth.grants``: the failure count must commit while the
answer is an error, and the (slow, by design) hash checks must not hold the database writer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Request
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import ROLES, AccessRule, Principal, TokenVerifier, bearer_token
from yingshang.db import Database
from yingshang.problems import Conflict, Forbidden, Invalid, TooManyRequests, Unauthorized
from ys_gateway.crypto import Passwords
from ys_gateway.directory.changes import changed
from ys_gateway.directory.schemas import Password
from ys_gateway.directory.service import revoke_user_sessions
from ys_gateway.models import User
from ys_gateway.oauth import lockout
from ys_gateway.oauth.grants import LOCKED_ZH
from ys_gateway.oauth.tokens import IssuedTokens, Issuer

NOT_A_PERSON = "只有用密码登录的人员可以修改密码"
INACTIVE = "该账号已停用"


class PasswordChangeIn(BaseModel):
    current_password: Annotated[str, Field(min_length=1, max_length=200)]
    new_password: Password


class WrongPassword(Forbidden):
    code, title = "wrong-password", "当前密码不正确"


@dataclass(frozen=True)
class PasswordHolder(AccessRule):
    """A person (not an integration client) with a valid token, including a token that may
    do nothing but change the password (``password_change_required``). Declared as staff of
    any role; a person without any position may still change their password."""

    async def __call__(self, request: Request) -> Principal | None:
        token = bearer_token(request)
        if token is None:
            raise Unauthorized("请先登录")
        verifier: TokenVerifier = request.app.state.verifier
        principal = await verifier.verify_identity(token)
        if principal.is_client:
            raise Forbidden(NOT_A_PERSON, code="not-a-person")
        request.state.principal = principal
        return principal


def password_holder() -> PasswordHolder:
    return PasswordHolder("staff", ROLES)


@dataclass
class PasswordChanges:
    db: Database
    issuer: Issuer
    passwords: Passwords
    policy: lockout.LockoutPolicy

    async def change(self, principal: Principal, body: PasswordChangeIn) -> IssuedTokens:
        if body.new_password == body.current_password:
            raise Invalid(
                "新密码不能与当前密码相同",
                code="same-password",
                field="new_password",
            )
        user = await self._count_attempt(principal)
        if not await self.passwords.averify(user.password_hash, body.current_password):
            raise WrongPassword("当前密码不正确")
        new_hash = await self.passwords.ahash(body.new_password)
        async with self.db.write() as session:
            return await self._apply(session, principal, user, new_hash)

    async def _count_attempt(self, principal: Principal) -> User:
        """The person; the attempt counts as a failure before the slow check, in the same write
        transaction as the lock check (as a sign-in does: ``Grants.password``)."""
        async with self.db.write() as session:
            user = await _person(session, principal)
            session.expunge(user)  # used after this transaction ends
            wait = await lockout.locked_for(session, user.username)
            if not wait:
                await lockout.record_failure(session, user.username, self.policy)
        if wait:
            raise TooManyRequests(LOCKED_ZH, code="locked", retry_after=wait)
        return user

    async def _apply(
        self, session: AsyncSession, principal: Principal, checked: User, new_hash: str
    ) -> IssuedTokens:
        user = await _person(session, principal, lock=True)
        if user.password_hash != checked.password_hash:  # an administrator reset it meanwhile
            raise Conflict("密码刚被修改过，请重新登录", code="changed")
        forced = user.password_change_required
        user.password_hash, user.password_change_required = new_hash, False
        await lockout.reset(session, user.username)
        await revoke_user_sessions(session, user)
        await session.flush()
        data = {"username": user.username, "forced": forced, "self_service": True}
        await changed(
            session,
            principal,
            kind="user",
            key=user.username,
            action="password_changed",
            data=data,
            publish=False,  # nothing the services keep (names, 工号, positions) changed
        )
        return await self.issuer.for_user(session, user)


async def _person(session: AsyncSession, principal: Principal, lock: bool = False) -> User:
    try:
        user_id = uuid.UUID(principal.sub)
    except ValueError as exc:
        raise Forbidden(NOT_A_PERSON, code="not-a-person") from exc
    user = await session.get(User, user_id, with_for_update=lock)
    if user is None or not user.active:
        raise Unauthorized(INACTIVE)
    return user
