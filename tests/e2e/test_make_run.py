"""``make run`` end to end: the whole system on free ports, a demo login through the gateway
reaching every service, Ctrl-C leaving no process behind, and the data kept for the next run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

from yingshang.settings import DEMO_PASSWORD
from yingshang.testing.stack import SupervisedStack, alive

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["approvals", "hotline", "complaints", "visits", "ratings"]


def demo_token(stack: SupervisedStack) -> str:
    response = httpx.post(
        f"{stack.url('gateway')}/auth/token",
        data={"grant_type": "password", "username": "bureau", "password": DEMO_PASSWORD},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def mark(database: Path) -> None:
    """Leave a row the next run must still find (the run keeps var/ as it is)."""
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE e2e_marker (note TEXT)")
        conn.execute("INSERT INTO e2e_marker VALUES ('from the first run')")
    conn.close()


def marker(database: Path) -> list[str]:
    conn = sqlite3.connect(database)
    try:
        return [r[0] for r in conn.execute("SELECT note FROM e2e_marker")]
    finally:
        conn.close()


@pytest.fixture
def stack(tmp_path: Path):
    stack = SupervisedStack(ROOT, tmp_path / "var")
    yield stack
    stack.stop()


def assert_login_reaches_every_service(stack: SupervisedStack) -> None:
    headers = {"Authorization": f"Bearer {demo_token(stack)}"}
    for service in SERVICES:
        via_gateway = httpx.get(f"{stack.url('gateway')}/api/v1/{service}/me", headers=headers)
        assert via_gateway.status_code == 200, (service, via_gateway.text)
        assert {"dept": "BUREAU", "role": "head"} in via_gateway.json()["positions"]


def test_a_day_with_make_run(stack: SupervisedStack) -> None:
    """Start, log in through the gateway, Ctrl-C, start again on the same var/."""
    stack.start()
    assert_login_reaches_every_service(stack)
    children = stack.child_pids()
    assert set(children) == {"nats", "gateway", *SERVICES}

    assert stack.interrupt() == 0
    assert [name for name, pid in children.items() if alive(pid)] == []

    mark(stack.var_dir / "hotline.sqlite3")
    stack.start()
    assert marker(stack.var_dir / "hotline.sqlite3") == ["from the first run"]
    for service in ["gateway", *SERVICES]:  # every service up again on the kept databases
        assert httpx.get(f"{stack.url(service)}/healthz").status_code == 200
    assert stack.interrupt() == 0
