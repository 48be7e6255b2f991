"""Ratings (好差评), rectification and the bureau's oversight.

Run: ``uvicorn --factory ys_ratings.app:create_app``."""

from pathlib import Path

from fastapi import FastAPI

from yingshang.app import create_service_app
from ys_ratings.settings import Settings

TITLE = "Yingshang 好差评与考核 (ratings)"
SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_service_app(
        settings,
        title=TITLE,
    )
