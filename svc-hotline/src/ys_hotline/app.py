"""12345 hotline center (12345热线).

Run: ``uvicorn --factory ys_hotline.app:create_app``."""

from pathlib import Path

from fastapi import FastAPI

from yingshang.app import ComponentFactory, create_service_app
from yingshang.attachments import LocalDiskStore
from yingshang.audit_routes import audit_router
from yingshang.events import dead_letter_router, event_components
from yingshang.seeding import seed_component
from yingshang.time.policies import policies_router
from yingshang.time.sweeper import sweeper_component
from yingshang.time.years import calendar_router
from ys_hotline.catalogue.router import api as catalogue_api
from ys_hotline.consumers import directory, transfers
from ys_hotline.knowledge.router import api as knowledge_api
from ys_hotline.models import load_models
from ys_hotline.public.router import api as public_api
from ys_hotline.seed import seed_on_start
from ys_hotline.settings import Settings
from ys_hotline.stats.router import api as stats_api
from ys_hotline.tickets.actions_router import api as actions_api
from ys_hotline.tickets.attachments_router import api as attachments_api
from ys_hotline.tickets.router import api as tickets_api

TITLE = "Yingshang 12345热线 (hotline)"
SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/
DESCRIPTION = (
    "12345 hotline tickets (工单): intake, dispatch catalogue, the closed loop with 五限时, "
    "knowledge base, public submission and tracking, statistics."
)
CONSUMERS = (transfers, directory)


def components() -> list[ComponentFactory]:
    """Seed first; then NATS, the outbox relay, the consumers; the sweeper. The hotline sends
    no notifications of its own (回访 is a phone call), so no notification sender runs."""
    return [
        seed_component(seed_on_start, in_production=True),
        *event_components(*CONSUMERS, notifications=False),
        sweeper_component(),
    ]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    load_models()
    app = create_service_app(
        settings,
        title=TITLE,
        description=DESCRIPTION,
        routers=[
            tickets_api,
            actions_api,
            attachments_api,
            catalogue_api,
            knowledge_api,
            public_api,
            stats_api,
            policies_router("hotline"),
            calendar_router("hotline"),
            dead_letter_router("hotline", list(CONSUMERS)),
            audit_router("hotline"),
        ],
        components=components(),
    )
    app.state.attachments = LocalDiskStore(settings.var_dir)
    return app
