"""Fixtures of the cluster suite: the rehearsal of ``scripts/rehearse.py`` (a script, not a
package: loaded by path) and a desk of demo users walking 12345 tickets through the gateway."""

from __future__ import annotations

import importlib.util
import secrets
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from yingshang.settings import DEMO_PASSWORD
from yingshang.testing.databases import postgres_admin_url

ROOT = Path(__file__).resolve().parents[2]


def load_rehearse() -> ModuleType:
    name = "ys_rehearse_script"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "rehearse.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# Demo users of deploy/seed/county.yaml, by the part they play in a ticket's loop.
ROLES = {
    "operator": "operator",  # 话务员: intake, dispatch, 回访
    "head": "scjg_head",  # the department head signs
    "staff": "scjg_staff",  # the department's staff reply
    "center": "hotline_head",  # the center reviews
    "bureau": "bureau",  # reads the ratings
}
TICKET = {
    "type": "complaint",
    "category_code": "SCJG_FOOD",  # the catalogue sends it to SCJGJ
    "title": "餐馆卫生问题",
    "content": "某餐馆后厨卫生条件差，存在食品安全隐患，请相关部门核查处理。",
    "requester": {"name": "张三", "phone": "13812345678"},
}


class Desk:
    """The people of a 12345 loop, logged in through the gateway."""

    def __init__(self, gateway: str) -> None:
        self.http = httpx.Client(base_url=gateway, timeout=30)
        self.headers: dict[str, dict[str, str]] = {}
        for role, username in ROLES.items():
            response = self.http.post(
                "/auth/token",
                data={"grant_type": "password", "username": username, "password": DEMO_PASSWORD},
            )
            assert response.status_code == 200, response.text
            self.headers[role] = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def close(self) -> None:
        self.http.close()

    def create(self) -> dict[str, Any]:
        headers = {**self.headers["operator"], "Idempotency-Key": uuid.uuid4().hex}
        response = self.http.post("/api/v1/hotline/tickets", json=TICKET, headers=headers)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def step(
        self, ticket: dict[str, Any], action: str, role: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        etag = f'"ticket-{ticket["id"]}-{ticket["version"]}"'
        response = self.http.post(
            f"/api/v1/hotline/tickets/{ticket['id']}/{action}",
            json=body or {},
            headers={**self.headers[role], "If-Match": etag},
        )
        assert response.status_code == 200, (action, response.status_code, response.text)
        return dict(response.json())

    def to_replied(self, ticket: dict[str, Any]) -> dict[str, Any]:
        ticket = self.step(ticket, "dispatch", "operator")
        ticket = self.step(ticket, "sign", "head")
        ticket = self.step(ticket, "contact", "staff", {"note": "已电话联系"})
        return self.step(ticket, "reply", "staff", {"body": "经核查，已责令该餐馆停业整改。"})

    def to_revisited(self, ticket: dict[str, Any], level: int) -> dict[str, Any]:
        ticket = self.step(ticket, "review", "center", {"approve": True})
        ticket = self.step(ticket, "revisit", "operator", {"level": level})
        assert ticket["status"] == "revisited"
        return ticket

    def ratings(self) -> list[dict[str, Any]]:
        """Every hotline rating, as the bureau reads them through the gateway."""
        items: list[dict[str, Any]] = []
        params: dict[str, str] = {"service": "hotline", "limit": "100"}
        while True:
            response = self.http.get(
                "/api/v1/ratings/ratings", params=params, headers=self.headers["bureau"]
            )
            assert response.status_code == 200, response.text
            page = response.json()
            items += page["items"]
            if not page["next_cursor"]:
                return items
            params["cursor"] = page["next_cursor"]


@pytest.fixture
def pg_url() -> str:
    url = postgres_admin_url()
    if url is None:
        pytest.skip("the rehearsal needs PostgreSQL: set YS_TEST_POSTGRES_URL (see README)")
    return url


@pytest.fixture
def rehearsal(tmp_path: Path, pg_url: str) -> Iterator[Any]:
    """Gateway + 2 replicas of hotline and ratings (the services of the 12345 → rating flow)
    on PostgreSQL and a 3-node JetStream cluster; cheap password hashing for the logins."""
    module = load_rehearse()
    run = module.Rehearsal(
        tmp_path / "rehearsal",
        pg_url,
        services=["hotline", "ratings"],
        replicas=2,
        prefix=f"ys_rt_{secrets.token_hex(3)}",
        extra_env={"YS_PASSWORD_TIME_COST": "1", "YS_PASSWORD_MEMORY_KIB": "8192"},
    )
    try:
        yield run.start()
    finally:
        run.stop()
        run.drop_databases()


@pytest.fixture
def desk(rehearsal: Any) -> Iterator[Desk]:
    desk = Desk(rehearsal.gateway_url)
    yield desk
    desk.close()
