"""Notifications outbox: written with the change, sent after commit, retried, masked in logs."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from alembic import command
from fastapi import FastAPI, Request, Response
from pydantic import ValidationError
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).parent / "eventprocs"))

import sample
from kit import eventually

from yingshang import notify, sealing
from yingshang.app import allow, create_service_app, router
from yingshang.auth import staff
from yingshang.db import Database, SessionDep, UTCDateTime
from yingshang.migrate import alembic_config
from yingshang.notify import Notification, NotificationSender, SmsHttpChannel
from yingshang.problems import Invalid
from yingshang.settings import ServiceSettings
from yingshang.testing.sealed import assert_sealed, stored
from yingshang.testing.tokens import TestIssuer

MigratedDb = Callable[..., str]
PHONE = "13812345678"


def app_with_notifications(settings: ServiceSettings) -> FastAPI:
    """A service whose routes queue a message; one of them then fails (rolled back)."""
    api = router("/api/v1/sample")

    @api.post("/committed", dependencies=[allow(staff())])
    async def committed(session: SessionDep) -> dict[str, str]:
        await notify.enqueue(session, recipient=PHONE, template="committed", params={"n": 1})
        return {"status": "ok"}

    @api.post("/rolled-back", dependencies=[allow(staff())])
    async def rolled_back(session: SessionDep) -> dict[str, str]:
        await notify.enqueue(session, recipient=PHONE, template="rolled_back")
        raise Invalid("the change is refused", field="body")

    return create_service_app(
        settings, title="sample", routers=[api], components=[NotificationSender.for_app]
    )


async def counts(db: Database) -> dict[str, int]:
    async with db.read() as session:
        return await notify.counts(session)


async def test_the_file_channel_gets_committed_changes_and_not_rolled_back_ones(
    migrated_db: MigratedDb, tmp_path: Path, issuer: TestIssuer
) -> None:
    outbox_file = tmp_path / "var" / "notifications.jsonl"
    settings = ServiceSettings(
        service="sample",
        database_url=migrated_db(sample.SERVICE_DIR),
        notify_channel="file",
        notify_file=outbox_file,
        notify_poll_seconds=0.2,
    )
    app = app_with_notifications(settings)
    app.state.verifier = issuer.verifier()
    headers = issuer.headers(("HALL", "staff"))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        refused = await client.post("/api/v1/sample/rolled-back", headers=headers)
        accepted = await client.post("/api/v1/sample/committed", headers=headers)
        db: Database = app.state.db
        await eventually(lambda: _sent(db, 1), "the message is sent")
        async with db.read() as session:
            row = (await session.execute(select(Notification))).scalar_one()
            status, attempts = row.status, row.attempts
            stored = await session.scalar(text("SELECT recipient FROM ys_notifications"))
    assert (refused.status_code, accepted.status_code) == (422, 200)
    assert stored.startswith(sealing.PREFIX)
    assert PHONE not in stored
    lines = [json.loads(line) for line in outbox_file.read_text().splitlines()]
    assert [(m["template"], m["recipient"], m["params"]) for m in lines] == [
        ("committed", PHONE, {"n": 1})
    ]
    assert (status, attempts) == ("sent", 1)


async def _sent(db: Database, count: int) -> bool:
    return await counts(db) == {"sent": count}


class FakeSmsGateway:
    """The county SMS gateway as a real ASGI app: fails ``failures`` times, then accepts."""

    def __init__(self, failures: int, status: int = 503) -> None:
        self.failures, self.status = failures, status
        self.received: list[dict[str, object]] = []
        self.app = FastAPI()
        self.app.post("/sms/send")(self.send)

    async def send(self, request: Request) -> Response:
        self.received.append(await request.json())
        if len(self.received) <= self.failures:
            return Response(status_code=self.status)
        return Response(status_code=202)

    def channel(self) -> SmsHttpChannel:
        return SmsHttpChannel(
            "http://sms.county/sms/send",
            {"rating_invitation": "SMS_0001"},
            transport=httpx.ASGITransport(app=self.app),
        )


async def send_one(url: str, gateway: FakeSmsGateway, **options: float) -> Notification:
    db = Database(url)
    async with db.write() as session:
        await notify.enqueue(
            session, recipient=PHONE, template="rating_invitation", params={"link": "https://x/1"}
        )
    sender = NotificationSender(db, gateway.channel(), poll_seconds=0.1, **options)  # type: ignore[arg-type]
    await sender.start()
    try:
        await eventually(lambda: _settled(db), "the notification is settled")
    finally:
        await sender.stop()
    async with db.read() as session:
        row = (await session.execute(select(Notification))).scalar_one()
        session.expunge(row)
    await db.dispose()
    return row


async def _settled(db: Database) -> bool:
    return "pending" not in await counts(db)


async def test_sms_gateway_failures_are_retried_with_backoff(
    migrated_db: MigratedDb, caplog: pytest.LogCaptureFixture
) -> None:
    gateway = FakeSmsGateway(failures=2)
    with caplog.at_level(logging.WARNING, logger="yingshang.notify"):
        row = await send_one(migrated_db(sample.SERVICE_DIR), gateway, base_backoff=0.05)
    assert (row.status, row.attempts) == ("sent", 3)
    assert [r["template_id"] for r in gateway.received] == ["SMS_0001"] * 3
    assert {r["message_id"] for r in gateway.received} == {str(row.id)}, "one id: dedupe"
    assert gateway.received[0]["phone"] == PHONE
    assert gateway.received[0]["params"] == {"link": "https://x/1"}
    assert "138****5678" in caplog.text
    assert PHONE not in caplog.text, "a phone number is never logged in full"


async def test_a_message_the_gateway_never_accepts_ends_failed(migrated_db: MigratedDb) -> None:
    gateway = FakeSmsGateway(failures=99, status=500)
    row = await send_one(
        migrated_db(sample.SERVICE_DIR), gateway, base_backoff=0.05, max_attempts=2
    )
    assert (row.status, row.attempts, len(gateway.received)) == ("failed", 2, 2)
    assert row.last_error == "RuntimeError: SMS gateway answered 500"


class StallingSmsGateway(FakeSmsGateway):
    """Holds the first message unanswered (until its sender gives up on it); accepts the
    rest."""

    def __init__(self) -> None:
        super().__init__(failures=0)
        self.holding = asyncio.Event()

    async def send(self, request: Request) -> Response:
        response = await super().send(request)
        if len(self.received) == 1:
            self.holding.set()
            await asyncio.Event().wait()  # never answered: ends when the sender is stopped
        return response


async def test_a_sender_stopped_mid_send_hands_the_message_back(migrated_db: MigratedDb) -> None:
    """A sender stopping while a message is on its way lets go of it: the sender that comes
    next sends it at once, not when the claim's lease (an hour here) ends, and the cut-short
    try is not counted as an attempt."""
    gateway, db = StallingSmsGateway(), Database(migrated_db(sample.SERVICE_DIR))
    async with db.write() as session:
        await notify.enqueue(session, recipient=PHONE, template="rating_invitation")
    try:
        stopped = NotificationSender(db, gateway.channel(), poll_seconds=0.1, lease_seconds=3600)
        await stopped.start()
        try:
            await asyncio.wait_for(gateway.holding.wait(), 10)
        finally:
            await stopped.stop()
        sender = NotificationSender(db, gateway.channel(), poll_seconds=0.1, lease_seconds=3600)
        await sender.start()
        try:
            await eventually(lambda: _settled(db), "the message sent again", seconds=10)
        finally:
            await sender.stop()
        async with db.read() as session:
            row = (await session.execute(select(Notification))).scalar_one()
            session.expunge(row)
    finally:
        await db.dispose()
    assert (row.status, row.attempts, row.claimed_by) == ("sent", 1, None)
    assert [r["message_id"] for r in gateway.received] == [str(row.id)] * 2, "one id: dedupe"


async def test_channel_choice_follows_the_settings(tmp_path: Path) -> None:
    file_channel = notify.channel_from_settings(
        ServiceSettings(notify_channel="file", var_dir=tmp_path)
    )
    assert isinstance(file_channel, notify.FileChannel)
    assert file_channel.path == tmp_path / "notifications.jsonl"
    sms = notify.channel_from_settings(
        ServiceSettings(notify_channel="sms_http", sms_gateway_url="http://sms.county/send")
    )
    assert isinstance(sms, SmsHttpChannel)
    assert notify.channel_from_settings(ServiceSettings(notify_channel="off")) is None
    with pytest.raises(ValueError, match="YS_SMS_GATEWAY_URL"):
        notify.channel_from_settings(ServiceSettings(notify_channel="sms_http"))
    off = NotificationSender(Database("sqlite:///unused.sqlite3"), None)
    await off.start()
    assert off.readiness()["warnings"] == ["notifications are off"]


def test_production_refuses_the_file_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file channel writes each recipient's phone in clear on disk (dev and tests only):
    production starts only with the SMS gateway or with notifications off."""
    real = {"demo_password": "a-real-password-of-the-county", "data_secret": "s" * 40}
    monkeypatch.delenv("YS_NOTIFY_CHANNEL", raising=False)
    with pytest.raises(ValidationError, match="file notification channel"):
        ServiceSettings(env="production", **real)  # the default channel is the file
    with pytest.raises(ValidationError, match="YS_NOTIFY_CHANNEL=sms_http"):
        ServiceSettings(env="production", notify_channel="file", **real)
    url = "https://sms.county/send"
    sms = ServiceSettings(env="production", notify_channel="sms_http", sms_gateway_url=url, **real)
    assert isinstance(notify.channel_from_settings(sms), SmsHttpChannel)
    off = ServiceSettings(env="production", notify_channel="off", **real)
    assert notify.channel_from_settings(off) is None
    assert ServiceSettings(notify_channel="file").notify_channel == "file"  # outside production


@pytest.mark.parametrize(
    ("recipient", "shown"), [("13812345678", "138****5678"), ("12345", "*****")]
)
def test_phone_numbers_are_masked_for_logs(recipient: str, shown: str) -> None:
    assert notify.mask(recipient) == shown


AT = datetime(2026, 11, 28, tzinfo=UTC)
BEFORE_SEALING = sa.table(  # ys_notifications as ys_events_0001 made it (recipient in clear)
    "ys_notifications",
    sa.column("id", sa.Uuid()),
    *(sa.column(c, sa.String()) for c in ("channel", "recipient", "template", "status")),
    sa.column("params", sa.JSON()),
    sa.column("attempts", sa.Integer()),
    *(sa.column(c, UTCDateTime()) for c in ("created_at", "next_attempt_at")),
)


async def test_the_migration_seals_the_recipients_queued_before_it(migrated_db: MigratedDb) -> None:
    """ys_events_0002: an outbox row written in clear before it is sealed, and still sent to
    the same phone; a downgrade gives it back in clear."""
    url = migrated_db(sample.SERVICE_DIR)
    config = alembic_config(sample.SERVICE_DIR, url)
    await asyncio.to_thread(command.downgrade, config, "ys_events@ys_events_0001")
    db = Database(url)
    try:
        async with db.write() as session:
            await session.execute(
                sa.insert(BEFORE_SEALING).values(
                    id=uuid.uuid4(), channel="sms", recipient=PHONE, template="committed",
                    params={}, status="pending", attempts=0, created_at=AT, next_attempt_at=AT,
                )
            )  # fmt: skip
        await asyncio.to_thread(command.upgrade, config, "heads")
        assert_sealed(await stored(url, "ys_notifications", "recipient"), PHONE)
        async with db.read() as session:
            assert await session.scalar(select(Notification.recipient)) == PHONE
        await asyncio.to_thread(command.downgrade, config, "ys_events@ys_events_0001")
        assert await stored(url, "ys_notifications", "recipient") == [(PHONE,)]
    finally:
        await db.dispose()
