"""Fixtures of the gateway suite (the shared kit's fixtures come from yingshang's plugin)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from ys_gateway.app import SERVICE_DIR, create_app
from ys_gateway.settings import Settings

from .kit import Gateway, gateway_settings


@pytest.fixture
def settings_for(migrated_db: Callable[..., str]) -> Callable[..., Settings]:
    """``settings_for(**overrides)``: gateway settings on this test's own migrated database."""

    def make(**overrides: Any) -> Settings:
        return gateway_settings(migrated_db(SERVICE_DIR), **overrides)

    return make


@pytest.fixture
async def gateway(settings_for: Callable[..., Settings]) -> AsyncIterator[Gateway]:
    """The gateway in-process (ASGI transport), seeded with the county and the demo people."""
    app = create_app(settings_for())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            yield Gateway(app, "http://gw", client)
