"""The org directory: seed from the county file, admin API, pagination, audit and events."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select

from yingshang.audit import AuditEntry
from yingshang.auth import undeclared_routes
from yingshang.events.outbox import OutboxEvent
from yingshang.settings import COUNTY_FILE

from .kit import Gateway

COUNTY = yaml.safe_load(Path(COUNTY_FILE).read_text("utf-8"))
USERS = "/api/v1/admin/users"
DEPARTMENTS = "/api/v1/admin/departments"


def test_county_file_has_the_fenggang_model() -> None:
    kinds: dict[str, list[str]] = {}
    for dept in COUNTY["departments"]:
        kinds.setdefault(dept["kind"], []).append(dept["code"])
    assert set(kinds["coordinating"]) == {
        "COMMITTEE",
        "BUREAU",
        "HALL",
        "HOTLINE_CENTER",
        "COMPLAINTS_CENTER",
        "ENTERPRISE_CENTER",
    }
    assert len(kinds["department"]) == 28  # the 27 and the tax bureau (垂直管理)
    assert "TAX" in kinds["department"]  # approvals' tax items name it
    assert len(kinds["town"]) >= 14
    assert kinds["federation"] == ["GSL"]
    usernames = {u["username"] for u in COUNTY["demo_users"]}
    assert {
        "admin",
        "bureau",
        "committee",
        "operator",
        "hotline_head",
        "clerk",
        "hall_head",
        "complaints",
        "enterprise",
        "scjg_head",
        "zjj_head",
        "gsl_chair",
    } <= usernames


async def test_every_route_declares_its_access(gateway: Gateway) -> None:
    assert undeclared_routes(gateway.app) == []


async def test_demo_people_are_listed_page_by_page(gateway: Gateway) -> None:
    headers = await gateway.headers("admin")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        page = (await gateway.client.get(USERS, params=params, headers=headers)).json()
        seen += [u["username"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(u["username"] for u in COUNTY["demo_users"])


async def test_people_are_found_by_part_of_username_name_or_staff_number(
    gateway: Gateway,
) -> None:
    headers = await gateway.headers("admin")

    async def found(q: str) -> list[str]:
        page = await gateway.client.get(USERS, params={"q": q}, headers=headers)
        assert page.status_code == 200, page.text
        return [u["username"] for u in page.json()["items"]]

    assert await found("GSL_ch") == ["gsl_chair"]  # any case
    assert await found("S700") == ["gsl_chair"]  # 工号 GS7000
    assert await found("任光明") == ["gsl_chair"]
    assert await found("%") == []  # a LIKE wildcard is a plain character here
    assert "gsl_chair" in await found("")


async def test_cross_posted_chairman_holds_two_positions(gateway: Gateway) -> None:
    headers = await gateway.headers("admin")
    chair = (await gateway.client.get(f"{USERS}/gsl_chair", headers=headers)).json()
    assert {(p["dept"], p["role"]) for p in chair["positions"]} == {
        ("GSL", "head"),
        ("BUREAU", "staff"),
    }


async def test_bad_cursor_and_limit_are_problems(gateway: Gateway) -> None:
    headers = await gateway.headers("admin")
    bad = await gateway.client.get(DEPARTMENTS, params={"cursor": "%%%"}, headers=headers)
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    big = await gateway.client.get(DEPARTMENTS, params={"limit": 201}, headers=headers)
    assert big.status_code == 422


async def test_only_admins_change_the_directory(gateway: Gateway) -> None:
    body = {"code": "KFQ", "name": "经济开发区管委会", "kind": "department"}
    anonymous = await gateway.client.post(DEPARTMENTS, json=body)
    assert anonymous.status_code == 401
    head = await gateway.client.post(
        DEPARTMENTS, json=body, headers=await gateway.headers("bureau")
    )
    assert head.status_code == 403


async def test_new_department_is_audited_and_published(gateway: Gateway) -> None:
    headers = await gateway.headers("admin")
    body = {"code": "KFQ", "name": "经济开发区管委会", "kind": "department", "parent": "BUREAU"}
    created = await gateway.client.post(DEPARTMENTS, json=body, headers=headers)
    assert created.status_code == 201, created.text
    again = await gateway.client.post(DEPARTMENTS, json=body, headers=headers)
    assert again.status_code == 409
    async with gateway.app.state.db.read() as session:
        events = [(e.subject, e.payload) for e in await session.scalars(select(OutboxEvent))]
        actions = [a.action for a in await session.scalars(select(AuditEntry))]
    assert [subject for subject, _ in events] == ["ys.gateway.department.created"]
    assert events[0][1]["data"]["code"] == "KFQ"
    assert actions == ["gateway.department.created"]


async def test_bad_department_input_writes_nothing(gateway: Gateway) -> None:
    headers = await gateway.headers("admin")
    orphan = {"code": "XYZ", "name": "无上级", "kind": "department", "parent": "NOPE"}
    response = await gateway.client.post(DEPARTMENTS, json=orphan, headers=headers)
    assert response.status_code == 422
    assert response.json()["field"] == "parent"
    lower = {"code": "bad code", "name": "x", "kind": "department"}
    assert (await gateway.client.post(DEPARTMENTS, json=lower, headers=headers)).status_code == 422
    async with gateway.app.state.db.read() as session:
        assert (await session.scalars(select(OutboxEvent))).all() == []


async def test_user_lifecycle_publishes_user_events(gateway: Gateway) -> None:
    headers = await gateway.headers("admin")
    body = {
        "username": "kfq_head",
        "name": "开发区主任",
        "staff_no": "KF0001",
        "password": "a-long-password",
        "positions": [{"dept": "ZJJ", "role": "staff"}, {"dept": "BUREAU", "role": "staff"}],
    }
    created = await gateway.client.post(USERS, json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert len(created.json()["positions"]) == 2
    login = await gateway.login("kfq_head", "a-long-password")
    assert login["access_token"]
    patch = {"active": False}
    updated = await gateway.client.patch(f"{USERS}/kfq_head", json=patch, headers=headers)
    assert updated.json()["active"] is False
    async with gateway.app.state.db.read() as session:
        subjects = [e.subject for e in (await session.scalars(select(OutboxEvent))).all()]
    assert subjects == ["ys.gateway.user.created", "ys.gateway.user.deactivated"]


async def test_taken_staff_number_is_a_conflict(gateway: Gateway) -> None:
    headers = await gateway.headers("admin")
    body = {"username": "dup", "name": "重复", "staff_no": "YS0001", "password": "0123456789ab"}
    response = await gateway.client.post(USERS, json=body, headers=headers)
    assert response.status_code == 409


async def test_halls_with_windows(gateway: Gateway) -> None:
    halls = (
        await gateway.client.get("/api/v1/admin/halls", headers=await gateway.headers("clerk"))
    ).json()
    county = next(h for h in halls if h["code"] == "HALL_COUNTY")
    names = {w["name"] for w in county["windows"]}
    assert {"综合受理窗口1", "出件窗口", "税务窗口"} <= names


async def test_new_client_secret_is_shown_once_and_works(gateway: Gateway) -> None:
    headers = await gateway.headers("admin")
    body = {
        "client_id": "agency",
        "name": "市场监管系统",
        "scopes": ["hotline:write"],
        "allowed_cidrs": ["127.0.0.0/8"],
    }
    created = await gateway.client.post("/api/v1/admin/clients", json=body, headers=headers)
    assert created.status_code == 201, created.text
    secret = created.json()["client_secret"]
    listed = await gateway.client.get("/api/v1/admin/clients/agency", headers=headers)
    assert "client_secret" not in listed.json()
    assert await gateway.client_token("agency", secret)
    bad_range = {**body, "client_id": "other", "allowed_cidrs": ["not-a-net"]}
    response = await gateway.client.post("/api/v1/admin/clients", json=bad_range, headers=headers)
    assert response.status_code == 422
