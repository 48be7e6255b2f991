"""Hostile input never breaks a service: deep JSON, invalid UTF-8, a huge ``limit``, path
traversal in ids, injection strings — every answer is a 4xx problem or a normal answer, never a
5xx; injection strings are stored and returned as plain text."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from seckit import is_problem

from yingshang.auth import route_access
from yingshang.testing import TestIssuer, a_person
from yingshang.testing.services import Service, load_services
from ys_hotline.seed import seed as seed_hotline

ROOT = Path(__file__).resolve().parents[2]
SERVICES = load_services(ROOT)
DEEP = b'{"a":' * 5000 + b"1" + b"}" * 5000
INVALID_UTF8 = b'{"title": "\xff\xfe\xfa", "content": "\xc3\x28"}'
TRAVERSAL = ["..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc", "1%00.pdf", "..\\..\\win.ini"]
INJECTIONS = [
    "'; DROP TABLE hotline_tickets; --",
    "<script>alert('x')</script>",
    '" onmouseover="alert(1)',
    "{{7*7}} ${7*7}",
]


def everyone(issuer: TestIssuer) -> dict[str, str]:
    person = a_person("BUREAU", "admin")
    for dept in ("HOTLINE_CENTER", "HALL", "COMPLAINTS_CENTER", "ENTERPRISE_CENTER"):
        person = person.also(dept, "head")
    return person.headers(issuer)


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
async def test_hostile_requests_get_problems_never_server_errors(
    service: Service, service_app: Any, issuer: TestIssuer
) -> None:
    sut = await service_app(service.create_app, service.settings_class, service.service_dir)
    headers = everyone(issuer)
    table = route_access(sut.app)
    posts = sorted(p for m, p in table if m == "POST" and "{" not in p)
    lists = sorted(p for m, p in table if m == "GET" and "{" not in p and p.startswith("/api/"))
    objects = sorted(p for m, p in table if m == "GET" and "{" in p)
    failures = []

    async def check(label: str, response: Any) -> None:
        # /auth/ answers RFC 6749 error objects, as OAuth2 clients expect.
        oauth = label.split(" ")[1].startswith("/auth/")
        refused = response.status_code >= 400 and not oauth
        if response.status_code >= 500 or (refused and not is_problem(response)):
            failures.append(f"{label}: {response.status_code} {response.text[:120]}")

    for path in posts:
        for name, body in (("deep JSON", DEEP), ("invalid UTF-8", INVALID_UTF8)):
            answer = await sut.client.post(
                path, content=body, headers={**headers, "Content-Type": "application/json"}
            )
            await check(f"POST {path} [{name}]", answer)
    for path in lists:
        for limit in ("1000000000", "-1", "99999999999999999999999", "abc"):
            await check(f"GET {path}?limit={limit}", await sut.client.get(
                path, params={"limit": limit}, headers=headers))  # fmt: skip
    for path in objects:
        for hostile in TRAVERSAL:
            url = path.split("{", 1)[0] + hostile
            await check(f"GET {url}", await sut.client.get(url, headers=headers))
    assert failures == []


async def test_injection_strings_are_stored_and_returned_as_text(
    service_app: Any, issuer: TestIssuer
) -> None:
    hotline = next(s for s in SERVICES if s.name == "hotline")
    sut = await service_app(hotline.create_app, hotline.settings_class, hotline.service_dir)
    async with sut.app.state.db.write() as session:
        await seed_hotline(session)
    operator = a_person("HOTLINE_CENTER", "clerk").headers(issuer)
    for injection in INJECTIONS:
        body = {
            "type": "consult",
            "title": injection,
            "content": f"内容 {injection}",
            "location": injection,
        }
        made = await sut.client.post("/api/v1/hotline/tickets", json=body, headers=operator)
        assert made.status_code == 201, made.text
        read = await sut.client.get(f"/api/v1/hotline/tickets/{made.json()['id']}",
                                    headers=operator)  # fmt: skip
        assert read.json()["title"] == injection
        assert read.json()["location"] == injection
    listed = await sut.client.get("/api/v1/hotline/tickets", headers=operator)
    assert listed.status_code == 200
    assert len(listed.json()["items"]) == len(INJECTIONS)  # the DROP TABLE did nothing
