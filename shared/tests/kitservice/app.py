"""The sample service's app factory (same shape as every service's ``app.py``)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kitservice.router import api
from yingshang.app import create_service_app
from yingshang.attachments import LocalDiskStore
from yingshang.audit_routes import audit_router
from yingshang.settings import ServiceSettings

TITLE = "Yingshang case-kit sample"
SERVICE_DIR = Path(__file__).resolve().parent  # holds alembic.ini and migrations/


class Settings(ServiceSettings):
    service: str = "kit"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = create_service_app(settings, title=TITLE, routers=[api, audit_router("kit")])
    app.state.attachments = LocalDiskStore(settings.var_dir)
    return app
