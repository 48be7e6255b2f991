"""Builders for the deadline engine's tests: migrated databases, a frozen clock, the app."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import time as deadlines
from yingshang.app import create_service_app
from yingshang.clock import FrozenClock, get_clock, set_clock
from yingshang.db import Database
from yingshang.events.outbox import OutboxEvent
from yingshang.migrate import upgrade
from yingshang.settings import ServiceSettings
from yingshang.testing.tokens import TestIssuer

SERVICE = "timesample"
SERVICE_DIR = Path(__file__).resolve().parent
DATA = SERVICE_DIR.parent / "data"
FIXTURE_2027 = DATA / "holiday-cn-2027-fixture.json"
_templates: dict[str, Path] = {}

SECONDS_LADDER = [
    {
        "level": 1,
        "after": {"amount": 0, "unit": "natural_seconds"},
        "target": "responsible_head",
        "action": "notify_head",
    },
    {
        "level": 2,
        "after": {"amount": 1, "unit": "natural_seconds"},
        "target": "bureau",
        "action": "urge",
    },
    {
        "level": 3,
        "after": {"amount": 2, "unit": "natural_seconds"},
        "target": "committee",
        "action": "written_notice",
    },
]

POLICIES: list[dict[str, Any]] = [
    {"case_kind": "application", "stage": "review", "amount": 10, "unit": "working_days"},
    {"case_kind": "ticket", "stage": "handle", "amount": 5, "unit": "working_days"},
    {
        "case_kind": "ticket",
        "stage": "sign_for",
        "urgency": "urgent",
        "amount": 4,
        "unit": "working_hours",
    },
    {"case_kind": "ticket", "stage": "contact", "amount": 2, "unit": "natural_hours"},
    {
        "case_kind": "ticket",
        "stage": "quick",
        "amount": 2,
        "unit": "natural_seconds",
        "warning_fraction": 0.5,
        "ladder": SECONDS_LADDER,
    },
]


class Settings(ServiceSettings):
    service: str = SERVICE


def create_app(settings: Settings, **sweeper: Any) -> FastAPI:
    return create_service_app(
        settings,
        title="time sample",
        routers=[deadlines.policies_router(SERVICE), deadlines.calendar_router(SERVICE)],
        components=[deadlines.sweeper_component(**sweeper)],
    )


def _template() -> Path:
    """A migrated SQLite file, built once per test process and copied for every test."""
    if "sqlite" not in _templates:
        directory = Path(tempfile.mkdtemp(prefix="ys-time-template-"))
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        path = directory / "template.sqlite3"
        upgrade(SERVICE_DIR, f"sqlite:///{path}")
        _templates["sqlite"] = path
    return _templates["sqlite"]


def migrated_sqlite(directory: Path, name: str = "time.sqlite3") -> str:
    target = directory / name
    shutil.copyfile(_template(), target)
    return f"sqlite:///{target}"


@contextmanager
def frozen_clock(at: datetime) -> Iterator[FrozenClock]:
    previous = get_clock()
    clock = FrozenClock(at)
    set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)


@asynccontextmanager
async def database(directory: Path, *, seed: bool = True) -> AsyncIterator[Database]:
    db = Database(migrated_sqlite(directory))
    try:
        if seed:
            async with db.write() as session:
                await deadlines.seed_policies(session, SERVICE, POLICIES)
        yield db
    finally:
        await db.dispose()


async def start(
    session: AsyncSession, stage: str = "review", case_kind: str = "application", **kwargs: Any
) -> deadlines.DeadlineStage:
    """Start a stage of a fresh case."""
    case_id = kwargs.pop("case_id", None) or uuid.uuid4()
    return await deadlines.start_stage(
        session,
        service=SERVICE,
        case_kind=case_kind,
        case_id=case_id,
        case_number=kwargs.pop("case_number", f"TS-{case_id.hex[:8]}"),
        department=kwargs.pop("department", "HALL"),
        stage=stage,
        actor=kwargs.pop("actor", "user:clerk"),
        **kwargs,
    )


async def outbox(db: Database, suffix: str | None = None) -> list[Any]:
    """Outbox rows (subject, case_key, payload) in order; ``suffix`` keeps one event type."""
    columns = (OutboxEvent.subject, OutboxEvent.case_key, OutboxEvent.payload)
    async with db.read() as session:
        rows = (await session.execute(select(*columns).order_by(OutboxEvent.seq))).all()
    return [r for r in rows if suffix is None or r.subject.endswith(f".{suffix}")]


@asynccontextmanager
async def running_app(
    directory: Path, *, calendar_files: Sequence[Path] = (), **sweeper: Any
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, TestIssuer]]:
    """The sample app on a migrated SQLite file, lifespan started, with an HTTP client."""
    settings = Settings(
        database_url=migrated_sqlite(directory),
        calendar_files=list(calendar_files),
        sweep_interval_seconds=0.02,
    )
    app = create_app(settings, **sweeper)
    issuer = TestIssuer()
    app.state.verifier = issuer.verifier()
    async with app.router.lifespan_context(app):
        async with app.state.db.write() as session:
            await deadlines.seed_policies(session, SERVICE, POLICIES)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield app, client, issuer
