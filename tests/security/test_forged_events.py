"""Forged CloudEvents published straight onto the subjects consumers read (a test's own
nats-server, the services' real consumers): malformed, failing the catalogue's schema, without
an id, from the wrong ``source`` or of an unknown type — each becomes a dead letter (listed by
the dead-letter admin API) and has no effect; the genuine event afterwards does have its effect,
so "no effect" is not for want of a working consumer."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import pytest

from yingshang.events import ensure_stream, make_event
from yingshang.events.deadletters import redacted
from yingshang.testing import NatsProcess, TestIssuer, a_person
from yingshang.testing.apps import ServiceUnderTest
from ys_hotline.app import SERVICE_DIR as HOTLINE_DIR
from ys_hotline.app import create_app as hotline_app
from ys_hotline.seed import seed as seed_hotline
from ys_hotline.settings import Settings as HotlineSettings
from ys_ratings.app import SERVICE_DIR as RATINGS_DIR
from ys_ratings.app import create_app as ratings_app
from ys_ratings.seed import seed_database as seed_ratings
from ys_ratings.settings import Settings as RatingsSettings

pytestmark = pytest.mark.nats
REVISITED, COMPLAINT_CLOSED = "ys.hotline.ticket.revisited", "ys.complaints.case.closed"
HOTLINE_TRANSFERS = "hotline-complaints-transfers"
RATINGS_OVERSIGHT, RATINGS_RATINGS = "ratings-complaints-oversight", "ratings-hotline-ratings"
ENTERPRISE = {"name": "王五", "phone": "13512345678", "enterprise_name": "凤冈县绿源茶业有限公司",
              "enterprise_uscc": "91520327MA6DM8Q41N"}  # fmt: skip


async def eventually(check: Callable[[], Awaitable[Any]], what: str, timeout: float = 60) -> Any:
    """Poll until ``check`` returns something truthy (bounded; names the state on failure)."""
    deadline = time.monotonic() + timeout
    while not (found := await check()):
        if time.monotonic() > deadline:
            pytest.fail(f"never reached: {what}")
        await asyncio.sleep(0.2)
    return found


def forgeries(genuine: dict[str, Any], broken_data: dict[str, Any]) -> dict[str, tuple[bytes, str]]:
    """Variants of a genuine event → (raw message, the dead letter's reason prefix)."""
    _, service, kind, _ = genuine["type"].split(".")

    def variant(**changes: Any) -> bytes:
        document = {**genuine, "id": str(uuid.uuid4()), **changes}
        return orjson.dumps({k: v for k, v in document.items() if v is not None})

    return {
        "not JSON": (b'{"specversion": "1.0", "id": ', "malformed: not JSON"),
        "not a CloudEvent": (orjson.dumps({"hello": "world"}), "malformed: not a CloudEvent"),
        "no id": (variant(id=None), "malformed: not a CloudEvent: no id"),
        "schema": (variant(data={**genuine["data"], **broken_data}), "invalid: invalid payload"),
        "source": (variant(source="/yingshang/visits"), "forged: source /yingshang/visits"),
        "type": (variant(type=f"ys.{service}.{kind}.vanished"), "unknown: unknown event type"),
    }


async def publish(sut: ServiceUnderTest, subject: str, raw: bytes) -> None:
    await sut.app.state.nats.js.publish(subject, raw)


async def dead_letters(sut: ServiceUnderTest, consumer: str, admin: dict[str, str]) -> list[Any]:
    """The dead letters of one durable consumer, through the admin API."""
    service = consumer.split("-")[0]
    listed = await sut.client.get(f"/api/v1/{service}/admin/dead-letters", headers=admin)
    assert listed.status_code == 200, listed.text
    return [letter for letter in listed.json()["items"] if letter["consumer"] == consumer]


async def subscribed(sut: ServiceUnderTest) -> bool:
    checks = (await sut.client.get("/readyz")).json().get("checks", {})
    consumers = [c for c in checks.values() if "subscribed" in c]
    return bool(consumers) and all(c["subscribed"] for c in consumers)


async def assert_dead_lettered(
    sut: ServiceUnderTest,
    consumer: str,
    subject: str,
    forged: dict[str, tuple[bytes, str]],
    admin: dict[str, str],
) -> None:
    async def all_there() -> list[Any] | None:
        letters = await dead_letters(sut, consumer, admin)
        return letters if len(letters) >= len(forged) else None

    letters = await eventually(all_there, f"{consumer}: every forged event dead-lettered")
    assert len(letters) == len(forged)
    assert {letter["subject"] for letter in letters} == {subject}
    reasons = sorted(letter["reason"] for letter in letters)
    for name, (raw, says) in forged.items():
        assert [r for r in reasons if r.startswith(says)], (name, reasons)
        # listed as stored, with the texts that could name a person masked
        assert redacted(raw.decode()) in {letter["payload"] for letter in letters}, name


async def test_forged_events_are_dead_lettered_and_have_no_effect(
    nats_process: NatsProcess, service_app: Any, issuer: TestIssuer
) -> None:
    # (nats_process first: it must outlive the apps, which stop their consumers cleanly)
    hotline: ServiceUnderTest = await service_app(
        hotline_app, HotlineSettings, HOTLINE_DIR, nats=nats_process.url
    )
    async with hotline.app.state.db.write() as session:
        await seed_hotline(session)
    ratings: ServiceUnderTest = await service_app(
        ratings_app, RatingsSettings, RATINGS_DIR, nats=nats_process.url
    )
    await seed_ratings(ratings.app.state.db, ratings.settings.county_file)  # type: ignore[attr-defined]
    await ensure_stream(hotline.app.state.nats.js, "complaints")
    await eventually(lambda: subscribed(hotline), "hotline's consumers subscribed")
    await eventually(lambda: subscribed(ratings), "ratings' consumers subscribed")
    admin = a_person("BUREAU", "admin").headers(issuer)
    center = a_person("BUREAU", "staff").headers(issuer)  # the ratings center (no RATINGS_CENTER)

    # A ticket waiting for its complaints case: ys.complaints.case.closed would close it.
    operator = a_person("HOTLINE_CENTER", "clerk").headers(issuer)
    body = {"type": "complaint", "category_code": "YS_INFRINGE", "title": "指定购买",
            "content": "某局要求企业购买指定产品。", "requester": ENTERPRISE}  # fmt: skip
    made = await hotline.client.post("/api/v1/hotline/tickets", json=body, headers=operator)
    assert made.status_code == 201, made.text
    ticket = made.json()
    moved = await hotline.client.post(
        f"/api/v1/hotline/tickets/{ticket['id']}/transfer",
        json={"respondent_department": "SCJGJ"},
        headers={**operator, "If-Match": f'"ticket-{ticket["id"]}-{ticket["version"]}"'},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "transferred"

    case_id = str(uuid.uuid4())
    closed = make_event("complaints", COMPLAINT_CLOSED, {
        "case_id": case_id, "case_number": "TS20261126-00002", "department": "COMPLAINTS_CENTER",
        "origin": {"ticket_id": ticket["id"]}, "outcome": "resolved",
        "received_at": "2026-10-09T08:00:00Z", "closed_at": "2026-10-10T08:00:00Z",
    }, subject=f"case/{case_id}")  # fmt: skip
    rated_case = str(uuid.uuid4())
    revisited = make_event("hotline", REVISITED, {
        "case_id": rated_case, "case_number": "RX20261126-00009", "department": "SCJGJ",
        "level": 1, "staff_no": "RX1001", "comment": "没人联系我",
        "revisited_at": "2026-10-10T08:00:00Z", "rater_type": "person",
    }, subject=f"ticket/{rated_case}")  # fmt: skip

    to_hotline = forgeries(
        orjson.loads(closed.to_json()), {"case_id": "../etc", "origin": {"ticket_id": "../etc"}}
    )
    to_ratings = forgeries(orjson.loads(revisited.to_json()), {"level": 9})
    for raw, _ in to_hotline.values():
        await publish(hotline, COMPLAINT_CLOSED, raw)
    for raw, _ in to_ratings.values():
        await publish(hotline, REVISITED, raw)
    # Both readers of case.closed (hotline's transfers, ratings' oversight) refuse each forgery.
    await assert_dead_lettered(hotline, HOTLINE_TRANSFERS, COMPLAINT_CLOSED, to_hotline, admin)
    await assert_dead_lettered(ratings, RATINGS_OVERSIGHT, COMPLAINT_CLOSED, to_hotline, admin)
    await assert_dead_lettered(ratings, RATINGS_RATINGS, REVISITED, to_ratings, admin)

    # No effect: the ticket still waits, ratings holds no rating.
    ticket_url = f"/api/v1/hotline/tickets/{ticket['id']}"
    still = await hotline.client.get(ticket_url, headers=operator)
    assert still.json()["status"] == "transferred"
    listed = await ratings.client.get("/api/v1/ratings/ratings", headers=center)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == []

    # The genuine events, on the same subjects, through the same consumers, do take effect.
    await publish(hotline, COMPLAINT_CLOSED, closed.to_json())
    await publish(hotline, REVISITED, revisited.to_json())

    async def ticket_closed() -> bool:
        seen = await hotline.client.get(ticket_url, headers=operator)
        return bool(seen.json()["status"] == "closed")

    async def rated() -> list[Any]:
        seen = await ratings.client.get("/api/v1/ratings/ratings", headers=center)
        items: list[Any] = seen.json()["items"]
        return items

    await eventually(ticket_closed, "the genuine case.closed closed the ticket")
    [rating] = await eventually(rated, "the genuine revisit became a rating")
    assert (rating["case_id"], rating["level"], rating["channel"]) == (rated_case, 1, "hotline")
    assert len(await dead_letters(hotline, HOTLINE_TRANSFERS, admin)) == len(to_hotline)
    assert len(await dead_letters(ratings, RATINGS_OVERSIGHT, admin)) == len(to_hotline)
    assert len(await dead_letters(ratings, RATINGS_RATINGS, admin)) == len(to_ratings)
