"""The gateway's own token verifier: same checks as every service, keys read from its DB.

Like every service's, it refuses (403) a token carrying ``password_change_required``
(``yingshang.auth``), on every gateway route and the data path; only ``POST /auth/password``
reads such a token, through ``verify_identity``.
"""

from __future__ import annotations

from typing import Any

from yingshang.auth import TokenVerifier
from yingshang.db import Database
from ys_gateway.oauth.keys import KeyStore
from ys_gateway.settings import Settings


class GatewayVerifier(TokenVerifier):
    """``TokenVerifier`` whose JWKS comes from the key table instead of an HTTP fetch."""

    def __init__(self, db: Database, keys: KeyStore, settings: Settings) -> None:
        super().__init__(
            issuer=settings.jwt_issuer, audience=settings.jwt_audience, refresh_min_seconds=1.0
        )
        self._db, self._store = db, keys

    async def _fetch_jwks(self) -> Any:
        async with self._db.read() as session:
            return await self._store.jwks(session)

    def keys_changed(self) -> None:
        """This replica rotated keys: the next unknown key id refetches at once."""
        self._last_refresh = 0.0
