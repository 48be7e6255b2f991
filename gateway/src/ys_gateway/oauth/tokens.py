"""Token issuing: access tokens (JWT, 15 min) and rotating refresh tokens.

Access token claims are exactly what ``yingshang.auth.principal_from_claims`` reads:
``sub, name, staff_no, positions[{dept, role}], scope, exp, iat, jti, iss, aud`` (+
``client_id`` for integration clients), and ``password_change_required: true`` while the
person must replace a password an administrator set: the gateway then refuses the token
everywhere but ``POST /auth/password`` (``oauth.verifier``).
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import PASSWORD_CHANGE_CLAIM
from yingshang.clock import now
from ys_gateway.crypto import digest
from ys_gateway.models import Client, Position, RefreshToken, User
from ys_gateway.oauth.keys import KeyStore


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    expires_in: int
    scope: str
    refresh_token: str | None = None
    password_change_required: bool = False

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "scope": self.scope,
        }
        if self.refresh_token:
            out["refresh_token"] = self.refresh_token
        if self.password_change_required:
            out[PASSWORD_CHANGE_CLAIM] = True
        return out


class Issuer:
    """Signs access tokens with the current key and keeps refresh-token families."""

    def __init__(
        self, keys: KeyStore, *, issuer: str, audience: str, ttl: int, refresh_ttl: int
    ) -> None:
        self.keys, self.issuer, self.audience = keys, issuer, audience
        self.ttl, self.refresh_ttl = ttl, refresh_ttl

    def access_token(self, claims: dict[str, Any]) -> str:
        issued = int(time.time())
        base = {"iss": self.issuer, "aud": self.audience, "iat": issued}
        base.update(exp=issued + self.ttl, jti=uuid.uuid4().hex)
        return self.keys.sign({**base, **claims})

    async def for_user(
        self, session: AsyncSession, user: User, family_id: str | None = None
    ) -> IssuedTokens:
        positions = await session.scalars(
            select(Position).where(Position.user_id == user.id).order_by(Position.dept_code)
        )
        claims: dict[str, Any] = {
            "sub": str(user.id),
            "name": user.name,
            "staff_no": user.staff_no,
            "positions": [{"dept": p.dept_code, "role": p.role} for p in positions],
            "scope": "",
            "username": user.username,
        }
        must_change = user.password_change_required
        if must_change:
            claims[PASSWORD_CHANGE_CLAIM] = True
        refresh = await self._new_refresh(session, user, family_id or uuid.uuid4().hex)
        return IssuedTokens(self.access_token(claims), self.ttl, "", refresh, must_change)

    def for_client(self, client: Client, scope: str) -> IssuedTokens:
        claims: dict[str, Any] = {
            "sub": f"client:{client.client_id}",
            "name": client.name,
            "staff_no": None,
            "positions": [],
            "scope": scope,
            "client_id": client.client_id,
        }
        # RFC 6749 §4.4.3: no refresh token for the client credentials grant.
        return IssuedTokens(self.access_token(claims), self.ttl, scope)

    async def _new_refresh(self, session: AsyncSession, user: User, family_id: str) -> str:
        token = secrets.token_urlsafe(32)
        session.add(
            RefreshToken(
                id=uuid.uuid4().hex,
                token_hash=digest(token),
                family_id=family_id,
                user_id=user.id,
                expires_at=now() + timedelta(seconds=self.refresh_ttl),
            )
        )
        await session.flush()
        return token


async def find_refresh(session: AsyncSession, token: str) -> RefreshToken | None:
    """The refresh token's row, locked for the rotation (PostgreSQL: a second refresh of the
    same token waits, then finds it used and revokes the family — never two successes)."""
    return await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == digest(token)).with_for_update()
    )


async def revoke_family(session: AsyncSession, family_id: str) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now())
    )
