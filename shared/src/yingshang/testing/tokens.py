"""A test token issuer with its own key and JWKS: mints tokens for any positions or scopes."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet, OKPKey

from yingshang.auth import TokenVerifier


class TestIssuer:
    """Signs tokens the services accept when configured with :meth:`jwks` / :meth:`verifier`."""

    __test__ = False  # not a pytest class

    def __init__(self, issuer: str = "yingshang-gateway", audience: str = "yingshang") -> None:
        self.issuer, self.audience = issuer, audience
        self.key = OKPKey.generate_key("Ed25519", parameters={"kid": secrets.token_hex(4)})
        self.keys = KeySet([self.key])

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    def write_jwks(self, path: Path) -> Path:
        path.write_text(json.dumps(self.jwks()))
        return path

    def verifier(self, jwks_file: Path | None = None) -> TokenVerifier:
        """A verifier trusting this issuer; from ``jwks_file`` (as written by :meth:`write_jwks`)
        it also re-reads keys on an unknown key id, as services do with the gateway's JWKS."""
        if jwks_file is not None:
            return TokenVerifier(issuer=self.issuer, audience=self.audience, jwks_file=jwks_file)
        return TokenVerifier(issuer=self.issuer, audience=self.audience, jwks=self.jwks())

    def mint(
        self,
        *positions: tuple[str, str],
        sub: str | None = None,
        name: str = "测试用户",
        staff_no: str | None = None,
        scopes: Iterable[str] = (),
        client_id: str | None = None,
        ttl: int = 900,
        **extra: Any,
    ) -> str:
        """``mint(("HOTLINE_CENTER", "clerk"), ("BUREAU", "staff"))`` → signed JWT."""
        issued = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "iat": issued,
            "exp": issued + ttl,
            "jti": uuid.uuid4().hex,
            "sub": sub or (f"client:{client_id}" if client_id else f"user:{uuid.uuid4().hex[:8]}"),
            "name": name,
            "staff_no": staff_no,
            "positions": [{"dept": d, "role": r} for d, r in positions],
            "scope": " ".join(scopes),
        }
        if client_id:
            claims["client_id"] = client_id
        claims.update(extra)
        return jwt.encode(
            {"alg": "Ed25519", "kid": self.key.kid}, claims, self.keys, algorithms=["Ed25519"]
        )

    def headers(self, *positions: tuple[str, str], **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.mint(*positions, **kwargs)}"}
