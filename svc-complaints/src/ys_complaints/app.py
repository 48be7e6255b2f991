"""Enterprise infringement complaints center (侵权投诉中心).

Run: ``uvicorn --factory ys_complaints.app:create_app``."""

from pathlib import Path

from fastapi import FastAPI

from yingshang.app import ComponentFactory, create_service_app
from yingshang.audit_routes import audit_router
from yingshang.events import dead_letter_router, event_components
from yingshang.seeding import seed_component
from yingshang.time.policies import policies_router
from yingshang.time.sweeper import sweeper_component
from yingshang.time.years import calendar_router
from ys_complaints.cases.actions_router import api as steps_api
from ys_complaints.cases.public import api as public_api
from ys_complaints.cases.router import api as cases_api
from ys_complaints.consumers import CONSUMERS
from ys_complaints.enforcement.router import api as enforcement_api
from ys_complaints.inspections.router import api as inspections_api
from ys_complaints.models import load_models
from ys_complaints.seed import seed_on_start
from ys_complaints.settings import Settings
from ys_complaints.stats.router import api as stats_api

TITLE = "Yingshang 侵权投诉中心 (complaints)"
SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/
DESCRIPTION = (
    "Enterprises' complaints of infringement by public bodies (涉企侵权投诉): intake, the "
    "acceptance decision, handling by the responsible unit, the enterprise's confirmation, "
    "督办 and the anti-retaliation check-back, with the complainant's identity kept at the "
    "center; undercover inspections (暗访); enforcement oversight (三为主); statistics."
)


def components() -> list[ComponentFactory]:
    """Seed first; then NATS, the outbox relay, the consumers, notifications; the sweeper."""
    return [
        seed_component(seed_on_start, in_production=True),
        *event_components(*CONSUMERS),
        sweeper_component(),
    ]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    load_models()
    return create_service_app(
        settings,
        title=TITLE,
        description=DESCRIPTION,
        routers=[
            cases_api,
            steps_api,
            public_api,
            inspections_api,
            enforcement_api,
            stats_api,
            policies_router("complaints"),
            calendar_router("complaints"),
            dead_letter_router("complaints", list(CONSUMERS)),
            audit_router("complaints"),
        ],
        components=components(),
    )
