"""12345 hotline center (12345热线).

Run: ``uvicorn --factory ys_hotline.app:create_app``."""

from pathlib import Path

from fastapi import FastAPI

from yingshang.app import ComponentFactory, create_service_app
from ys_hotline.catalogue.router import api as catalogue_api
from ys_hotline.components import Seeder
from ys_hotline.knowledge.router import api as knowledge_api
from ys_hotline.models import load_models
from ys_hotline.settings import Settings
from ys_hotline.tickets.actions_router import api as actions_api
from ys_hotline.tickets.router import api as tickets_api

TITLE = "Yingshang 12345热线 (hotline)"
SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/
DESCRIPTION = (
    "12345 hotline tickets (工单): intake, dispatch catalogue, the closed loop with 五限时, "
    "knowledge base, public submission and tracking, statistics."
)


def components() -> list[ComponentFactory]:
    return [Seeder]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    load_models()
    return create_service_app(
        settings,
        title=TITLE,
        description=DESCRIPTION,
        routers=[tickets_api, actions_api, catalogue_api, knowledge_api],
        components=components(),
    )
