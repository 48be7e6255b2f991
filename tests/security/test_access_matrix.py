"""The authorization matrix, generated: every route of every service (from its access
declaration, ``yingshang.auth.route_access``) × every kind of caller → the outcome the declaration
promises, proven by a real request against the service in-process.

Callers: a position the rule names (own department), the same role in another department, a role
the rule leaves out, no token, an expired / tampered / ``alg: none`` token, a client with the
wrong scope, a client with the right scope, a client on a staff-only route. A refusal is an RFC
9457 problem (401 or 403); an allowed call passes the declaration (any answer but 401, the
declaration's 403, or a 5xx: ids and bodies are dummies, so 404/422/428 are expected there).
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from seckit import alg_none, bearer, expired, is_problem, tampered

from yingshang.auth import ROLES, AccessRule, route_access
from yingshang.testing import TestIssuer, a_client, a_person
from yingshang.testing.services import Service, load_services

ROOT = Path(__file__).resolve().parents[2]
SERVICES = load_services(ROOT)
DECLARATION_REFUSAL = "您当前的岗位无权进行此操作"
OTHER_DEPT = "TOWN_ELSEWHERE"  # a department no declaration names
HOME = {  # a service's own center, for rules open to every department
    "gateway": "BUREAU",
    "approvals": "HALL",
    "hotline": "HOTLINE_CENTER",
    "complaints": "COMPLAINTS_CENTER",
    "visits": "ENTERPRISE_CENTER",
    "ratings": "BUREAU",
}
ALL_SCOPES = ("hotline:write", "approvals:write", "complaints:write", "ratings:read")
ALL_SCOPES += ("ratings:write", "events:subscribe", "visits:write")
SKIPPED_PATHS = {"/docs", "/openapi.json", "/metrics"}  # documents, no data


@dataclass(frozen=True)
class Case:
    caller: str
    headers: dict[str, str]
    allowed: bool
    refusal: int = 403  # the status when not allowed


def callers(rule: AccessRule, service: str, issuer: TestIssuer) -> Iterator[Case]:
    """Every caller of the matrix for one rule, with the outcome the declaration promises."""
    public = rule.kind == "public"
    yield Case("no token", {}, public, 401)
    valid = a_person("BUREAU", "admin").also("BUREAU", "head").token(issuer)
    yield Case("expired", bearer(expired(issuer)), public, 401)
    yield Case("tampered", bearer(tampered(valid)), public, 401)
    yield Case("alg none", bearer(alg_none(valid)), public, 401)
    stranger = a_client("stranger", scopes=["nothing:here"]).headers(issuer)
    yield Case("client, wrong scope", stranger, rule.kind in {"public", "authenticated"})
    if public:
        return
    if rule.kind == "authenticated":
        yield Case("any staff", a_person(OTHER_DEPT, "clerk").headers(issuer), True)
        return
    if rule.kind in {"scope", "any"}:
        assert rule.scope
        yield Case("client, right scope", a_client("province", [rule.scope]).headers(issuer), True)
    if rule.kind == "scope":
        everything = a_person("BUREAU", "admin")
        for role in ROLES:
            everything = everything.also(HOME[service], role)
        yield Case("staff on a client route", everything.headers(issuer), False)
        return
    if rule.kind == "staff":
        mighty = a_client("mighty", scopes=ALL_SCOPES).headers(issuer)
        yield Case("client on a staff route", mighty, False)
    own = rule.depts[0] if rule.depts else HOME[service]
    role = rule.roles[0]
    yield Case(f"{role} in {own}", a_person(own, role).headers(issuer), True)
    yield Case(
        f"{role} in another department",
        a_person(OTHER_DEPT, role).headers(issuer),
        not rule.depts,
    )
    for missing in [r for r in ROLES if r not in rule.roles]:
        yield Case(f"{missing} in {own}", a_person(own, missing).headers(issuer), False)


def concrete(path: str) -> str:
    """Dummy values for path parameters: the declaration is checked before the object."""
    return re.sub(r"\{[^}]+\}", "1", path)


async def call(sut: Any, method: str, path: str, headers: dict[str, str]) -> Any:
    kwargs: dict[str, Any] = {"headers": dict(headers)}
    if method in {"POST", "PUT", "PATCH"}:
        kwargs["json"] = {}
    if method == "POST":  # as every client sends it (some routes require the key)
        kwargs["headers"]["Idempotency-Key"] = str(uuid.uuid4())
    return await sut.client.request(method, concrete(path), **kwargs)


def verdict(case: Case, response: Any) -> str | None:
    """None when the answer is what the declaration promises, else what went wrong."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}: {response.text[:160]}"
    if case.allowed:
        refused = status == 401 or (status == 403 and DECLARATION_REFUSAL in response.text)
        return f"refused ({status})" if refused else None
    if status != case.refusal or not is_problem(response):
        return f"expected {case.refusal} problem, got {status}: {response.text[:120]}"
    return None


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
async def test_every_route_enforces_its_declaration(
    service: Service, service_app: Any, issuer: TestIssuer
) -> None:
    sut = await service_app(service.create_app, service.settings_class, service.service_dir)
    table = route_access(sut.app)
    failures: list[str] = []
    checked = 0
    for (method, path), rules in sorted(table.items(), key=lambda item: item[0][::-1]):
        if path in SKIPPED_PATHS:
            continue
        for case in callers(rules[0], service.name, issuer):
            response = await call(sut, method, path, case.headers)
            checked += 1
            problem = verdict(case, response)
            if problem:
                failures.append(f"{method} {path} [{case.caller}]: {problem}")
    print(f"{service.name}: {len(table)} routes, {checked} calls checked")
    assert failures == []
