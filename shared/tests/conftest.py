"""Fixtures of the shared library's own tests: a throwaway "probe" service for the test kit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from yingshang.app import allow, create_service_app, router
from yingshang.auth import staff
from yingshang.db import SessionDep
from yingshang.settings import ServiceSettings

PROBE_DIR = Path(__file__).parent / "probe_service"


class ProbeSettings(ServiceSettings):
    service: str = "probe"


def create_probe_app(settings: ProbeSettings | None = None) -> FastAPI:
    """A service with one table and two routes, built exactly like the real ones."""
    notes = router("/api/v1/probe")

    @notes.post("/notes", status_code=201, dependencies=[allow(staff())])
    async def add(session: SessionDep, body: str) -> dict[str, str]:
        await session.execute(text("INSERT INTO probe_note (body) VALUES (:b)"), {"b": body})
        return {"body": body}

    @notes.get("/notes", dependencies=[allow(staff())])
    async def list_notes(session: SessionDep) -> list[str]:
        rows = await session.execute(text("SELECT body FROM probe_note ORDER BY id"))
        return [r[0] for r in rows]

    return create_service_app(settings or ProbeSettings(), title="probe", routers=[notes])


@dataclass(frozen=True)
class Probe:
    create_app: Callable[..., FastAPI]
    settings_class: type[ServiceSettings]
    service_dir: Path


@pytest.fixture
def probe() -> Probe:
    return Probe(create_probe_app, ProbeSettings, PROBE_DIR)


@pytest.fixture
def probe_dir() -> Path:
    return PROBE_DIR
