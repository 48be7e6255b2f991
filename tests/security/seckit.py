"""Helpers of the security suite: hostile credentials and problem-details checks."""

from __future__ import annotations

import base64
import json
from typing import Any

from yingshang.testing import TestIssuer, a_head


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims_of(token: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    return body


def alg_none(token: str) -> str:
    """The same claims with ``alg: none`` and no signature."""
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims_of(token))}."


def tampered(token: str) -> str:
    """A signed token whose payload was edited to claim the bureau's admin position."""
    header, _, signature = token.split(".")
    claims = claims_of(token)
    claims["positions"] = [{"dept": "BUREAU", "role": "admin"}]
    claims["scope"] = "hotline:write approvals:write complaints:write ratings:read ratings:write"
    return f"{header}.{b64(claims)}.{signature}"


def expired(issuer: TestIssuer) -> str:
    return a_head("BUREAU").also("BUREAU", "admin").token(issuer, ttl=-120)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def is_problem(response: Any) -> bool:
    body = response.text
    return (
        response.headers.get("content-type", "").startswith("application/problem+json")
        and "Traceback" not in body
        and 'File "' not in body
    )
