"""Enterprise service center: visits, problem hand-off, hall duty (非公经济服务): the FastAPI app (``uvicorn --factory ys_visits.app:create_app``)."""

from pathlib import Path

from fastapi import FastAPI

from ys_visits.settings import Settings
from yingshang.app import create_service_app

SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_service_app(settings, title="Yingshang 走访挂帮 — Enterprise service center: visits, problem hand-off, hall duty (非公经济服务)")
