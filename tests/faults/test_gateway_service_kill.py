"""A service SIGKILLed under load behind the gateway, on the stack ``make run`` starts (the
supervisor restarts what dies): every answer of the burst is a 201 or a clean 502/503 problem;
no half-written rows (every stored ticket has its timeline entry and its outbox event, every
acknowledged ticket is stored); creation works again once the supervisor has restarted the
service; and ratings consumes every stored ticket once. Prints the reconciliation line.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pipeline import TICKET, eventually, fault_size

from yingshang.settings import DEMO_PASSWORD
from yingshang.testing.stack import FAST_PASSWORDS, SupervisedStack, alive, running_stack

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = "application/problem+json"


@pytest.fixture
def stack() -> Iterator[SupervisedStack]:
    with running_stack(ROOT, prefix="ys-faults-", extra_env=FAST_PASSWORDS) as stack:
        yield stack


@dataclass
class Burst:
    """Ticket creations through the gateway; what came back."""

    base: str
    headers: dict[str, str]
    sent: int = 0
    acknowledged: set[str] = field(default_factory=set)
    refused: Counter[int] = field(default_factory=Counter)
    unclean: list[tuple[int, str, str]] = field(default_factory=list)

    async def run(self, count: int, kill_after: int | None = None, kill: object = None) -> None:
        queue = iter(range(count))
        answered = 0
        async with self.client() as api:

            async def worker() -> None:
                nonlocal answered
                for _ in queue:
                    await self.create(api)
                    answered += 1
                    if kill_after is not None and answered == kill_after and callable(kill):
                        kill()

            await asyncio.gather(*[worker() for _ in range(8)])

    async def create(self, api: httpx.AsyncClient) -> int:
        """One creation; its answer sorted into acknowledged, refused cleanly, or unclean."""
        self.sent += 1
        answer = await api.post("/api/v1/hotline/tickets", json=TICKET)
        kind = answer.headers.get("content-type", "")
        if answer.status_code == 201:
            self.acknowledged.add(answer.json()["id"].replace("-", ""))
        elif answer.status_code in {502, 503} and kind.startswith(PROBLEM):
            self.refused[answer.status_code] += 1
            assert "Traceback" not in answer.text
        else:
            self.unclean.append((answer.status_code, kind, answer.text[:200]))
        return answer.status_code

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base, headers=self.headers, timeout=60)


def rows(database: Path, sql: str) -> set[str]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        return {str(r[0]).replace("-", "").lower() for r in conn.execute(sql)}
    finally:
        conn.close()


def login(stack: SupervisedStack, username: str) -> dict[str, str]:
    form = {"grant_type": "password", "username": username, "password": DEMO_PASSWORD}
    answer = httpx.post(f"{stack.url('gateway')}/auth/token", data=form, timeout=30)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def test_hotline_killed_under_load_behind_the_gateway(stack: SupervisedStack) -> None:
    size = fault_size(150)
    burst = Burst(stack.url("gateway"), login(stack, "operator"))
    pid = stack.child_pids()["hotline"]

    await burst.run(size, kill_after=size // 3, kill=lambda: os.kill(pid, signal.SIGKILL))
    assert burst.unclean == []  # only 201s and 502/503 problem details
    assert burst.refused, "the kill landed mid-burst: some creations were refused"

    # The supervisor restarts the service on its database; creation works again.
    await eventually(lambda: asyncio.to_thread(lambda: not alive(pid)), "the old hotline gone")
    await eventually(
        lambda: asyncio.to_thread(lambda: stack.child_pids()["hotline"] != pid),
        "the supervisor restarted the hotline",
    )
    recovering = Burst(burst.base, burst.headers)  # one at a time until a 201
    async with recovering.client() as api:

        async def creates_again() -> bool:
            return await recovering.create(api) == 201

        await eventually(creates_again, "ticket creation through the gateway works again")
    assert recovering.unclean == []
    after = Burst(burst.base, burst.headers)
    await after.run(20)
    assert after.unclean == []
    assert after.refused == Counter()

    # No half-written rows: ticket, timeline entry and outbox event together, or none of them.
    hotline_db, ratings_db = stack.var_dir / "hotline.sqlite3", stack.var_dir / "ratings.sqlite3"
    tickets = rows(hotline_db, "SELECT id FROM hotline_tickets")
    timeline = rows(hotline_db, "SELECT case_id FROM ys_timeline WHERE case_kind = 'ticket'")
    created = rows(
        hotline_db,
        "SELECT substr(case_key, 8) FROM ys_outbox WHERE subject = 'ys.hotline.ticket.created'",
    )
    acknowledged = burst.acknowledged | recovering.acknowledged | after.acknowledged
    half_written = (tickets ^ timeline) | (tickets ^ created)
    assert acknowledged <= tickets
    assert half_written == set()

    # Every stored ticket (acknowledged or not) reaches ratings once.
    facts = "SELECT case_id FROM ratings_case_facts WHERE service = 'hotline'"

    async def consumed() -> bool:
        return await asyncio.to_thread(lambda: tickets <= rows(ratings_db, facts))

    await eventually(consumed, "every stored ticket consumed by ratings")
    conn = sqlite3.connect(f"file:{ratings_db}?mode=ro", uri=True, timeout=30)
    try:
        [(fact_rows, distinct)] = conn.execute(
            "SELECT count(*), count(DISTINCT case_id) FROM ratings_case_facts"
            " WHERE service = 'hotline'"
        ).fetchall()
    finally:
        conn.close()
    counts = {
        "sent": burst.sent + recovering.sent + after.sent,
        "acknowledged": len(acknowledged),
        "refused_502": burst.refused[502] + recovering.refused[502],
        "refused_503": burst.refused[503] + recovering.refused[503],
        "stored": len(tickets),
        "stored_unacknowledged": len(tickets - acknowledged),
        "consumed": distinct,
        "duplicates": fact_rows - distinct,
        "half_written": len(half_written),
        "lost": len(acknowledged - tickets),
    }
    line = " ".join(f"{k}={v}" for k, v in counts.items())
    print(f"hotline SIGKILL behind the gateway: {line}", flush=True)
    assert counts["duplicates"] == 0
    assert counts["lost"] == 0
