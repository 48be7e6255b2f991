"""Gateway: identity, tokens, routing, webhooks, console.

Run: ``uvicorn --factory ys_gateway.app:create_app``."""

from pathlib import Path

from fastapi import FastAPI

from yingshang.app import create_service_app
from ys_gateway.settings import Settings

TITLE = "Yingshang 网关 (gateway)"
SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_service_app(settings, title=TITLE)
