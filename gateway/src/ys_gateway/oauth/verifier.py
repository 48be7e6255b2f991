"""The gateway's own token verifier: same checks as every service, keys read from its DB.

It also enforces a forced password change: a token carrying ``password_change_required`` is
refused (403) by :meth:`GatewayVerifier.verify`, which every gateway route and the data path
use, so such a token opens nothing the services serve. Only routes that ask for it with
:meth:`GatewayVerifier.verify_for_password_change` (``POST /auth/password``) accept it. The
check reads the cached principal's claims: no extra parsing per request.
"""

from __future__ import annotations

from typing import Any

from yingshang.auth import Principal, TokenVerifier
from yingshang.db import Database
from yingshang.problems import Forbidden
from ys_gateway.oauth.keys import KeyStore
from ys_gateway.oauth.tokens import MUST_CHANGE_PASSWORD
from ys_gateway.settings import Settings

CHANGE_FIRST = "change the password an administrator set first: POST /auth/password"


class PasswordChangeRequired(Forbidden):
    """The token is good, but its holder must change their password before anything else."""

    code, title = "password-change-required", "Password change required"


class GatewayVerifier(TokenVerifier):
    """``TokenVerifier`` whose JWKS comes from the key table instead of an HTTP fetch."""

    def __init__(self, db: Database, keys: KeyStore, settings: Settings) -> None:
        super().__init__(
            issuer=settings.jwt_issuer, audience=settings.jwt_audience, refresh_min_seconds=1.0
        )
        self._db, self._store = db, keys

    async def verify(self, token: str) -> Principal:
        principal = await super().verify(token)
        if principal.claims.get(MUST_CHANGE_PASSWORD):
            raise PasswordChangeRequired(CHANGE_FIRST)
        return principal

    async def verify_for_password_change(self, token: str) -> Principal:
        """The token's principal, also when it may do nothing but change the password."""
        return await super().verify(token)

    async def _fetch_jwks(self) -> Any:
        async with self._db.read() as session:
            return await self._store.jwks(session)

    def keys_changed(self) -> None:
        """This replica rotated keys: the next unknown key id refetches at once."""
        self._last_refresh = 0.0
