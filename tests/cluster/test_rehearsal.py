"""Acceptance of the scale-out shape (issue 13): the 12345 → 好差评 flow on the rehearsal —
PostgreSQL, three JetStream nodes with R3 streams, two replicas of each service behind the
gateway — loses one NATS node and one replica of each service in the middle, and every ticket
still ends with exactly one rating.

Only the services the flow needs run (gateway, hotline, ratings), to fit the cluster budget;
``make rehearse`` starts every service the same way.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import nats
import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.nats]

BEFORE, AFTER = 4, 3  # tickets opened before the failures; more opened after them


async def ratings_per_ticket(url: str) -> Counter[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT case_id::text AS case_id, count(*) AS n FROM ratings_ratings"
            " WHERE service = 'hotline' GROUP BY case_id"
        )
    finally:
        await conn.close()
    return Counter({r["case_id"]: int(r["n"]) for r in rows})


async def unsent_outbox(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM ys_outbox WHERE sent_at IS NULL"))
    finally:
        await conn.close()


async def stream_state(urls: list[str], stream: str, subject: str) -> tuple[int, int]:
    """(replicas, messages on ``subject``) of ``stream``, asked of the surviving nodes."""
    nc = await nats.connect(servers=urls, connect_timeout=2, max_reconnect_attempts=3)
    try:
        info = await nc.jetstream(timeout=5).stream_info(stream, subjects_filter=subject)
        return info.config.num_replicas or 0, int((info.state.subjects or {}).get(subject, 0))
    finally:
        await nc.close()


def wait_for(check: Any, what: str, timeout: float = 60.0) -> Any:
    """Poll ``check()`` until it returns something truthy (events arrive asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached within {timeout:.0f} s")
        time.sleep(0.5)


def test_every_ticket_gets_exactly_one_rating_through_node_and_replica_loss(
    rehearsal: Any, desk: Any
) -> None:
    # The brokers fsync before acknowledging (deploy/nats/nats.conf).
    jetstream = rehearsal.nats_varz(1)["jetstream"]
    assert jetstream["config"]["sync_always"] is True

    # Before: some tickets rated, some half-way, through both replicas of each service.
    opened = [desk.create() for _ in range(BEFORE)]
    halfway = [desk.to_replied(t) for t in opened]
    done = [desk.to_revisited(t, level=5) for t in halfway[:2]]

    # Mid-flow: a JetStream node and one replica of each service die without any shutdown.
    rehearsal.nats.nodes[0].kill()
    for service in ("hotline", "ratings"):
        rehearsal.replicas_of(service)[0].kill()

    # After: the rest through the surviving replicas and two nodes; the gateway skips the dead.
    done += [desk.to_revisited(t, level=4) for t in halfway[2:]]
    done += [desk.to_revisited(desk.to_replied(desk.create()), level=2) for _ in range(AFTER)]
    tickets = {t["id"] for t in done}
    assert len(tickets) == BEFORE + AFTER

    ratings_db = rehearsal.database_url("ratings")

    def all_rated() -> Counter[str] | None:
        counts = asyncio.run(ratings_per_ticket(ratings_db))
        return counts if set(counts) >= tickets else None

    counts = wait_for(all_rated, "a rating for every ticket")
    assert counts == Counter(dict.fromkeys(tickets, 1))

    # The API agrees: one hotline rating per ticket, with the level of its 回访.
    listed = desk.ratings()
    assert sorted(r["case_id"] for r in listed) == sorted(tickets)
    levels = Counter(r["level"] for r in listed)
    assert levels == Counter({5: 2, 4: BEFORE - 2, 2: AFTER})

    # Two relays, one stream: every hotline event published once, none left behind, on an R3
    # stream that kept working with a node gone.
    assert asyncio.run(unsent_outbox(rehearsal.database_url("hotline"))) == 0
    survivors = rehearsal.nats_urls[1:]
    replicas, revisits = asyncio.run(
        stream_state(survivors, "YS_HOTLINE", "ys.hotline.ticket.revisited")
    )
    assert (replicas, revisits) == (3, BEFORE + AFTER)
    # The surviving replicas still serve; the dead ones stay dead (nothing restarted them).
    assert [r.running for r in rehearsal.replicas_of("hotline")] == [False, True]
    assert [r.running for r in rehearsal.replicas_of("ratings")] == [False, True]
