"""Enterprise service center: visits, problem hand-off, hall duty (非公经济服务).

Run: ``uvicorn --factory ys_visits.app:create_app``."""

from pathlib import Path

from fastapi import FastAPI

from yingshang.app import ComponentFactory, create_service_app
from yingshang.audit_routes import audit_router
from yingshang.events import dead_letter_router, event_components
from yingshang.seeding import seed_component
from yingshang.time.policies import policies_router
from yingshang.time.sweeper import sweeper_component
from yingshang.time.years import calendar_router
from ys_visits.consumers import CONSUMERS
from ys_visits.directory.router import api as reference_api
from ys_visits.duty.router import api as duty_api
from ys_visits.enterprises.router import api as enterprises_api
from ys_visits.indicators.router import api as indicators_api
from ys_visits.meetings.router import api as meetings_api
from ys_visits.models import load_models
from ys_visits.pairings.router import api as pairings_api
from ys_visits.problems.actions_router import api as problem_steps_api
from ys_visits.problems.router import api as problems_api
from ys_visits.seed import seed_on_start
from ys_visits.settings import Settings
from ys_visits.stats.router import api as stats_api
from ys_visits.visits.router import api as visits_api

TITLE = "Yingshang 非公经济服务中心 (visits)"
SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/
DESCRIPTION = (
    "The enterprise service center: the enterprise registry, leaders' and departments' "
    "pairings (挂帮) with a visit frequency, visits (走访) and the problems found (诉求), each "
    "handed to a department (交办单) until 销号, hall duty (坐班), the indicators and their "
    "owners (指标长), joint meetings (联席会议) whose decisions are 交办单, statistics."
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
            enterprises_api,
            pairings_api,
            visits_api,
            problems_api,
            problem_steps_api,
            duty_api,
            indicators_api,
            meetings_api,
            stats_api,
            reference_api,
            policies_router("visits"),
            calendar_router("visits"),
            dead_letter_router("visits", list(CONSUMERS)),
            audit_router("visits"),
        ],
        components=components(),
    )
