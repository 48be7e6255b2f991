"""The broker dies under a running service: the service stays up, says so in /readyz, and
reconnects and resubscribes every consumer when the broker is back (nats-io/nats.py#504)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from yingshang.testing import NatsProcess
from yingshang.testing.services import Service, load_services

ROOT = Path(__file__).resolve().parents[2]
# Services that consume events: each must come back by itself after a broker outage.
CONSUMERS = [s for s in load_services(ROOT) if s.name in {"hotline", "approvals", "ratings"}]


def readiness(base_url: str) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"{base_url}/readyz", timeout=5).json()
    return body.get("checks", {})


def eventually(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Wait (bounded) for a state to be reached; failing names the state, not a duration."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never reached: {what}")
        time.sleep(0.25)


def broker_connected(base_url: str) -> bool:
    return any(c.get("connected") is True for c in readiness(base_url).values())


def broker_down_reported(base_url: str) -> bool:
    return any(c.get("connected") is False for c in readiness(base_url).values())


def all_subscribed(base_url: str) -> bool:
    consumers = [c for c in readiness(base_url).values() if "subscribed" in c]
    return bool(consumers) and all(c["subscribed"] for c in consumers)


@pytest.mark.nats
@pytest.mark.parametrize("service", CONSUMERS, ids=lambda s: s.name)
def test_service_survives_a_broker_crash_and_resubscribes(
    service: Service, service_process: Any, nats_process: NatsProcess
) -> None:
    proc = service_process(
        service.create_app, service.settings_class, service.service_dir, nats=nats_process.url
    )
    eventually(lambda: all_subscribed(proc.base_url), "every consumer subscribed")

    nats_process.kill()
    eventually(lambda: broker_down_reported(proc.base_url), "/readyz reports the broker down")
    assert httpx.get(f"{proc.base_url}/healthz").status_code == 200

    nats_process.restart()
    eventually(lambda: broker_connected(proc.base_url), "reconnected to the broker")
    eventually(lambda: all_subscribed(proc.base_url), "every consumer subscribed again")
