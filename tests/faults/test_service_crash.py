"""A service killed with SIGKILL (no shutdown at all) comes back on the same database."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from yingshang.processes import port_in_use
from yingshang.testing import TestIssuer, the_bureau
from yingshang.testing.services import Service, load_services

ROOT = Path(__file__).resolve().parents[2]
# The gateway and two domain services: start-up after a crash is platform code they share.
SERVICES = [s for s in load_services(ROOT) if s.name in {"gateway", "hotline", "ratings"}]


def answers(proc: Any, service: str, headers: dict[str, str]) -> bool:
    if httpx.get(f"{proc.base_url}/healthz").status_code != 200:
        return False
    if service == "gateway":  # the gateway trusts only its own keys, not the test issuer
        return True
    return httpx.get(f"{proc.base_url}/api/v1/{service}/me", headers=headers).status_code == 200


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_killed_service_restarts_on_its_database(
    service: Service, service_process: Any, issuer: TestIssuer
) -> None:
    proc = service_process(service.create_app, service.settings_class, service.service_dir)
    headers = the_bureau().headers(issuer)
    assert answers(proc, service.name, headers)

    proc.kill()
    assert not port_in_use(proc.port)

    proc.start()  # same port, same database file, migrations already applied
    assert answers(proc, service.name, headers)
    database = proc.env[f"YS_{service.name.upper()}_DATABASE_URL"].split(":///", 1)[1]
    if Path(database).exists():  # SQLite: the file survived the crash intact
        conn = sqlite3.connect(database)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            conn.close()
