"""12345 hotline center (12345热线): the FastAPI app (``uvicorn --factory ys_hotline.app:create_app``)."""

from pathlib import Path

from fastapi import FastAPI

from ys_hotline.settings import Settings
from yingshang.app import create_service_app

SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_service_app(settings, title="Yingshang 12345热线 — 12345 hotline center (12345热线)")
