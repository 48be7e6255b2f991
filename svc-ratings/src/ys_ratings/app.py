"""Ratings (好差评), rectification, the monthly bulletin and the bureau's oversight.

Run: ``uvicorn --factory ys_ratings.app:create_app``."""

from pathlib import Path

from fastapi import FastAPI

from yingshang.app import ComponentFactory, create_service_app
from yingshang.audit_routes import audit_router
from yingshang.events import dead_letter_router, event_components
from yingshang.events.consumer import ConsumerSpec
from yingshang.seeding import seed_component
from yingshang.time.policies import policies_router
from yingshang.time.sweeper import sweeper_component
from yingshang.time.years import calendar_router
from ys_ratings.access import resolve_center
from ys_ratings.appeals.router import api as appeals_api
from ys_ratings.bulletin.router import api as bulletin_api
from ys_ratings.components import DefaultRatings, flag_overdue
from ys_ratings.indicators.router import api as indicators_api
from ys_ratings.intake.consumers import consumer_specs
from ys_ratings.invitations.router import api as invitations_api
from ys_ratings.invitations.router import policies as rating_policies_api
from ys_ratings.models import load_models
from ys_ratings.oversight.router import api as oversight_api
from ys_ratings.ratings.router import api as ratings_api
from ys_ratings.rectifications.router import api as rectifications_api
from ys_ratings.seed import seed_on_start
from ys_ratings.settings import Settings

TITLE = "Yingshang 好差评与考核 (ratings)"
SERVICE_DIR = Path(__file__).resolve().parents[2]  # holds alembic.ini and migrations/
DESCRIPTION = (
    "好差评: invitations and one-time rating links, ratings from every channel, 差评 "
    "rectification, appeals, the monthly bulletin (月通报), upward reporting, and the bureau's "
    "oversight (department scorecards, 督办 ledger)."
)


def components(specs: list[ConsumerSpec]) -> list[ComponentFactory]:
    return [
        seed_component(seed_on_start, in_production=True),
        *event_components(*specs, notifications=False),
        sweeper_component(hooks=[flag_overdue]),
        DefaultRatings,
    ]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    load_models()
    center = resolve_center(
        settings.county_file, settings.ratings_center_dept, settings.ratings_center_roles
    )
    specs = consumer_specs(settings.consumed_kinds, settings.rate_link(), center)
    app = create_service_app(
        settings,
        title=TITLE,
        description=DESCRIPTION,
        routers=[
            invitations_api,
            ratings_api,
            rectifications_api,
            appeals_api,
            bulletin_api,
            oversight_api,
            indicators_api,
            rating_policies_api,
            policies_router("ratings"),
            calendar_router("ratings"),
            dead_letter_router("ratings", specs),
            audit_router("ratings"),
        ],
        components=components(specs),
    )
    app.state.ratings_center = center
    app.state.ratings_consumers = specs  # what the consumers run (tests apply events through them)
    return app
