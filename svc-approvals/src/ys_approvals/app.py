"""Government service hall (政务服务中心).

Run: ``uvicorn --factory ys_approvals.app:create_app``."""

from pathlib import Path

from fastapi import FastAPI

from yingshang.app import ComponentFactory, create_service_app
from yingshang.audit_routes import audit_router
from yingshang.events import dead_letter_router, event_components
from yingshang.seeding import seed_component
from yingshang.time.policies import policies_router
from yingshang.time.sweeper import sweeper_component
from yingshang.time.years import calendar_router
from ys_approvals import consumers, tables
from ys_approvals.applications.router import api as applications_api
from ys_approvals.appointments.router import api as appointments_api
from ys_approvals.catalog.router import api as catalog_api
from ys_approvals.disclosure.router import api as disclosure_api
from ys_approvals.halls.router import api as halls_api
from ys_approvals.packages.router import api as packages_api
from ys_approvals.public import api as public_api
from ys_approvals.ratelimit import TokenBucket
from ys_approvals.seed import seed_on_start
from ys_approvals.settings import Settings
from ys_approvals.stats.router import api as stats_api

TITLE = "Yingshang 政务服务中心 (approvals)"
SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/
DESCRIPTION = (
    "The government service hall: catalog of items (事项), 四公开 disclosure, applications "
    "(办件) from intake to 办结 with committed limits, integrated packages (一件事一次办), "
    "halls and windows, appointments, hall duty, statistics."
)
METADATA = tables.Base.metadata  # every table registered before the app starts
CONSUMERS = tuple(consumers.specs())


def components() -> list[ComponentFactory]:
    """Seed first; then NATS, the outbox relay, the consumers (rating invitations, hall duty)
    and the notification sender (SMS to applicants); the deadline sweeper last."""
    return [
        seed_component(seed_on_start, in_production=True),
        *event_components(*CONSUMERS),
        sweeper_component(),
    ]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = create_service_app(
        settings,
        title=TITLE,
        description=DESCRIPTION,
        routers=[
            applications_api,
            catalog_api,
            packages_api,
            halls_api,
            appointments_api,
            disclosure_api,
            stats_api,
            public_api,
            policies_router("approvals"),
            calendar_router("approvals"),
            dead_letter_router("approvals", list(CONSUMERS)),
            audit_router("approvals"),
        ],
        components=components(),
    )
    app.state.lookup_limiter = TokenBucket(rate_per_minute=settings.lookup_rate_per_minute)
    return app
