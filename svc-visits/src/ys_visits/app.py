"""Enterprise service center: visits, problem hand-off, hall duty (非公经济服务).

Run: ``uvicorn --factory ys_visits.app:create_app``."""

from pathlib import Path

from fastapi import FastAPI

from yingshang.app import create_service_app
from ys_visits.settings import Settings

TITLE = "Yingshang 非公经济服务中心 (visits)"
SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_service_app(
        settings,
        title=TITLE,
    )
