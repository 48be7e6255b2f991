"""Signing keys: persisted in the gateway DB (private half encrypted), rotated, published.

A retired key stops signing at once but stays in the JWKS until every token it signed has
expired, so services keep verifying them (ARCHITECTURE.md, "Auth and access").
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey, KeyParameters, OKPKey
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import now
from ys_gateway.models import SigningKey

KEY_LEEWAY = timedelta(seconds=60)
JoseKey = OKPKey | ECKey


def _generate(alg: str, kid: str) -> JoseKey:
    params: KeyParameters = {"kid": kid, "alg": alg, "use": "sig"}
    if alg == "ES256":
        return ECKey.generate_key("P-256", parameters=params)
    return OKPKey.generate_key("Ed25519", parameters=params)


def _load(row: SigningKey, passphrase: str) -> JoseKey:
    params: KeyParameters = {"kid": row.kid, "alg": row.alg, "use": "sig"}
    cls = ECKey if row.alg == "ES256" else OKPKey
    return cls.import_key(row.private_pem, parameters=params, password=passphrase)


class KeyStore:
    """The current signing key (in memory) and the published key set (from the DB)."""

    def __init__(self, alg: str, passphrase: str, token_ttl_seconds: int) -> None:
        self.alg, self._passphrase = alg, passphrase
        self._token_ttl = timedelta(seconds=token_ttl_seconds)
        self._current: JoseKey | None = None
        self._current_alg = alg

    async def load(self, session: AsyncSession) -> SigningKey:
        """Use the newest active key, creating the first one if there is none."""
        row = await self._newest_active(session)
        if row is None:
            row = await self._create(session)
        self._current, self._current_alg = _load(row, self._passphrase), row.alg
        return row

    async def rotate(self, session: AsyncSession) -> SigningKey:
        """Retire every active key (kept published until its tokens expire); sign with a new one."""
        stamp = now()
        rows = await session.scalars(select(SigningKey).where(SigningKey.retired_at.is_(None)))
        for old in rows:
            old.retired_at = stamp
            old.expires_at = stamp + self._token_ttl + KEY_LEEWAY
        row = await self._create(session)
        self._current, self._current_alg = _load(row, self._passphrase), row.alg
        return row

    async def active_kids(self, session: AsyncSession) -> list[str]:
        """Key ids that sign now (a rotation retires them)."""
        rows = await session.scalars(
            select(SigningKey.kid).where(SigningKey.retired_at.is_(None)).order_by(SigningKey.kid)
        )
        return list(rows)

    async def needs_rotation(self, session: AsyncSession, max_age: timedelta) -> bool:
        row = await self._newest_active(session)
        return row is None or now() - row.created_at >= max_age

    async def jwks(self, session: AsyncSession) -> dict[str, Any]:
        rows = await session.scalars(
            select(SigningKey)
            .where(or_(SigningKey.expires_at.is_(None), SigningKey.expires_at > now()))
            .order_by(SigningKey.created_at.desc())
        )
        return {"keys": [dict(row.public_jwk) for row in rows]}

    def sign(self, claims: dict[str, Any]) -> str:
        key = self._current
        if key is None:
            raise RuntimeError("KeyStore.load() was not awaited at start-up")
        header = {"alg": self._current_alg, "kid": key.kid, "typ": "at+jwt"}
        return jwt.encode(header, claims, key, algorithms=[self._current_alg])

    async def _newest_active(self, session: AsyncSession) -> SigningKey | None:
        return await session.scalar(
            select(SigningKey)
            .where(SigningKey.retired_at.is_(None))
            .order_by(SigningKey.created_at.desc())
            .limit(1)
        )

    async def _create(self, session: AsyncSession) -> SigningKey:
        kid = f"{now():%Y%m%d}-{secrets.token_hex(4)}"
        key = _generate(self.alg, kid)
        row = SigningKey(
            kid=kid,
            alg=self.alg,
            private_pem=key.as_pem(private=True, password=self._passphrase).decode(),
            public_jwk=key.as_dict(private=False),
        )
        session.add(row)
        await session.flush()
        return row
