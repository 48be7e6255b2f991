"""The whole county as ``make run`` starts it, driven through the gateway's public API.

One supervised stack serves a module's flows (starting it is most of a module's time); every
flow makes its own cases, so the flows share no data. Staff log in with the demo users of
``deploy/seed/county.yaml`` (password grant), integration clients with client credentials.
Webhook receivers are small HTTP servers on free ports, owned by the test.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from yingshang.processes import free_port, wait_for_http
from yingshang.settings import DEMO_PASSWORD
from yingshang.testing.stack import FAST_PASSWORDS, SupervisedStack, alive, running_stack

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 300.0  # a loaded CI machine migrates and seeds six services slowly
WAIT_SECONDS = 60.0  # relays, consumers and sweepers on a loaded machine
# Test settings: a cheap password hash (each login verifies one) and a quicker SMS outbox.
FAST = {
    **FAST_PASSWORDS,
    "YS_NOTIFY_POLL_SECONDS": "0.5",
    "YS_WEBHOOK_POLL_SECONDS": "0.5",
}
T = TypeVar("T")


def eventually(check: Callable[[], T | None], what: str, timeout: float = WAIT_SECONDS) -> T:
    """Poll ``check`` until it returns something truthy (events travel asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.25)


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (response.request.url, response.text)
    return response.json()


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return dict(json.loads(self.body))


@dataclass
class Receiver:
    """A client's webhook endpoint: records every POST; answers 204."""

    deliveries: list[Delivery] = field(default_factory=list)
    port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        received = self.deliveries

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                received.append(Delivery({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def events(self, secret: str) -> list[dict[str, Any]]:
        """Every event received so far, each signature verified (Standard Webhooks)."""
        hook = Webhook(secret)
        for delivery in list(self.deliveries):
            hook.verify(delivery.body, delivery.headers)  # raises on a bad signature
        return [d.event for d in list(self.deliveries)]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class County:
    """The running system as integrators and staff see it: the gateway and the SMS outbox."""

    stack: SupervisedStack
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return self.stack.url("gateway")

    def staff(self, username: str) -> httpx.Client:
        """A client logged in as a demo user (password grant)."""
        if username not in self.tokens:
            form = {"grant_type": "password", "username": username, "password": DEMO_PASSWORD}
            self.tokens[username] = ok(httpx.post(f"{self.base}/auth/token", data=form))[
                "access_token"
            ]
        headers = {"Authorization": f"Bearer {self.tokens[username]}"}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30)

    def integration(self, client_id: str, secret: str = DEMO_PASSWORD) -> httpx.Client:
        """An integration client (client credentials), e.g. the provincial platform."""
        form = {"grant_type": "client_credentials", "client_id": client_id}
        response = httpx.post(f"{self.base}/auth/token", data={**form, "client_secret": secret})
        headers = {"Authorization": f"Bearer {ok(response)['access_token']}"}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30)

    def public(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=30)

    def sms(self, number: str, template: str, **match: str) -> dict[str, Any]:
        """The parameters of the SMS ``template`` sent about ``number`` (file channel)."""

        def sent() -> dict[str, Any] | None:
            for line in self.sent_sms():
                params = line.get("params") or {}
                wanted = {"number": number, **match}
                if line["template"] == template and wanted.items() <= params.items():
                    return dict(params)
            return None

        return eventually(sent, f"SMS {template} about {number}")

    def texts(self, number: str) -> Counter[tuple[str, str]]:
        """How many SMS of each template went to each number about case ``number`` so far."""
        return Counter(
            (line["recipient"], line["template"])
            for line in self.sent_sms()
            if (line.get("params") or {}).get("number") == number
        )

    def sent_sms(self) -> list[dict[str, Any]]:
        """Every message the services and the gateway sent so far (one file channel)."""
        outbox = self.stack.var_dir / "notifications.jsonl"
        lines = outbox.read_text(encoding="utf-8").splitlines() if outbox.exists() else []
        return [json.loads(line) for line in lines]

    def seconds_policy(
        self, service: str, stage: str, urgency: str, amount: int, ladder: list[int]
    ) -> None:
        """The admin makes a time limit ``amount`` seconds, its 督办 levels ``ladder`` seconds
        after the due time (the policies admin API; applies to stages started from now)."""
        admin = self.staff("admin")
        rows = ok(admin.get(f"/api/v1/{service}/policies", params={"stage": stage}))
        [policy] = [p for p in rows if p["urgency"] == urgency]
        targets = ["responsible_head", "bureau", "committee"]
        levels = [
            {
                "level": n,
                "after": {"amount": after, "unit": "natural_seconds"},
                "target": targets[n - 1],
                "action": "notify",
            }
            for n, after in enumerate(ladder, start=1)
        ]
        body = {"amount": amount, "unit": "natural_seconds", "ladder": levels}
        ok(admin.patch(f"/api/v1/{service}/policies/{policy['id']}", json=body))

    def restart(self, service: str) -> None:
        """Kill one service outright (SIGKILL: no shutdown at all); the supervisor starts it
        again on the same port and database. Returns once it answers again."""
        pid = self.stack.child_pids()[service]
        os.kill(pid, signal.SIGKILL)
        eventually(lambda: not alive(pid), f"{service} gone")
        eventually(lambda: self.stack.child_pids()[service] != pid, f"{service} restarted")
        wait_for_http(f"{self.stack.url(service)}/healthz", timeout=STARTUP_SECONDS)


def act(
    api: httpx.Client, path: str, case: dict[str, Any], action: str, body: Any = None
) -> dict[str, Any]:
    """POST an action with the case's ETag (``If-Match``); returns the new view."""
    read = api.get(f"{path}/{case['id']}")
    etag = ok(read) and read.headers["ETag"]
    response = api.post(
        f"{path}/{case['id']}/{action}", json=body or {}, headers={"If-Match": etag}
    )
    return dict(ok(response))


@pytest.fixture(scope="module")
def county() -> Iterator[County]:
    """The supervised stack for the module, in a directory of its own (not pytest's numbered
    tmp: concurrent pytest sessions prune those, and this one lives for the whole module)."""
    with running_stack(ROOT, prefix="ys-e2e-", extra_env=FAST, timeout=STARTUP_SECONDS) as stack:
        yield County(stack)


@pytest.fixture(scope="module")
def receivers() -> Iterator[Callable[[], Receiver]]:
    """Webhook receivers on free ports, closed with the module."""
    made: list[Receiver] = []

    def make() -> Receiver:
        made.append(Receiver())
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()
