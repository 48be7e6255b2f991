"""Zero trust at every service: only a token from the trusted issuer, for this audience, unexpired
and untampered, gets in; every refusal is an RFC 9457 problem without internals."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from yingshang.testing import TestIssuer, a_head
from yingshang.testing.services import Service, load_services

ROOT = Path(__file__).resolve().parents[2]
SERVICES = load_services(ROOT)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned(issuer: TestIssuer) -> str:
    """``alg: none``: a token that claims a head position and carries no signature."""
    body = json.loads(base64.urlsafe_b64decode(a_head("HALL").token(issuer).split(".")[1] + "=="))
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(body)}."


def tampered(issuer: TestIssuer) -> str:
    """A valid clerk token whose payload was edited to say head."""
    header, body, signature = (
        a_head("HALL").with_(positions=(("HALL", "clerk"),)).token(issuer).split(".")
    )
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["positions"] = [{"dept": "BUREAU", "role": "admin"}]
    return f"{header}.{_b64(claims)}.{signature}"


BAD_CREDENTIALS: dict[str, Callable[[TestIssuer], str | None]] = {
    "no token": lambda issuer: None,
    "not a JWT": lambda issuer: "Bearer not-a-jwt",
    "basic auth": lambda issuer: "Basic YWRtaW46YWRtaW4=",
    "foreign key": lambda issuer: f"Bearer {a_head('HALL').token(TestIssuer())}",
    "expired": lambda issuer: f"Bearer {a_head('HALL').token(issuer, ttl=-120)}",
    "other audience": lambda issuer: f"Bearer {a_head('HALL').token(issuer, aud='elsewhere')}",
    "other issuer": lambda issuer: f"Bearer {a_head('HALL').token(issuer, iss='impostor')}",
    "alg none": lambda issuer: f"Bearer {unsigned(issuer)}",
    "tampered payload": lambda issuer: f"Bearer {tampered(issuer)}",
}


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
async def test_only_trusted_tokens_get_in(
    service: Service, service_app: Any, issuer: TestIssuer
) -> None:
    sut = await service_app(service.create_app, service.settings_class, service.service_dir)
    path = f"/api/v1/{sut.settings.service}/me"
    accepted = await sut.client.get(path, headers=a_head("HALL").headers(issuer))
    assert accepted.status_code == 200  # the control: the trusted issuer's token works
    let_in = {}
    for case, make in BAD_CREDENTIALS.items():
        credential = make(issuer)
        headers = {"Authorization": credential} if credential else {}
        response = await sut.client.get(path, headers=headers)
        if response.status_code != 401 or not _is_problem(response):
            let_in[case] = (response.status_code, response.text[:200])
    assert let_in == {}


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
async def test_errors_are_problem_details_without_internals(
    service: Service, service_app: Any, issuer: TestIssuer
) -> None:
    sut = await service_app(service.create_app, service.settings_class, service.service_dir)
    headers = a_head("HALL").headers(issuer)
    missing = await sut.client.get(f"/api/v1/{sut.settings.service}/no-such-thing", headers=headers)
    assert missing.status_code == 404
    assert _is_problem(missing)
    wrong_method = await sut.client.delete("/healthz")
    assert wrong_method.status_code == 405
    assert _is_problem(wrong_method)


def _is_problem(response: Any) -> bool:
    body = response.text
    return (
        response.headers.get("content-type", "").startswith("application/problem+json")
        and "Traceback" not in body
        and 'File "' not in body
    )
