"""The platform health check shows each replica's state to anyone, and the replicas'
internal addresses to administrators at the bureau only."""

from __future__ import annotations

from collections.abc import Callable

from ys_gateway.settings import Settings

from .kit import gateway_on_uvicorn, upstreams

INTERNAL = "http://10.20.30.40:8002"


async def test_anonymous_health_has_no_internal_addresses(
    settings_for: Callable[..., Settings],
) -> None:
    """Without a token (or with a token of someone who is not a bureau administrator) the
    answer carries per-replica status but no upstream URL; the administrator sees them."""
    settings = settings_for(upstreams=upstreams(hotline=INTERNAL), aggregate_timeout_seconds=0.2)
    async with gateway_on_uvicorn(settings) as gateway:
        anonymous = await gateway.client.get("/healthz")
        clerk = await gateway.client.get("/healthz", headers=await gateway.headers("clerk"))
        admin = await gateway.client.get("/healthz", headers=await gateway.headers("admin"))
    for answer in (anonymous, clerk):
        assert answer.status_code == 200
        assert "10.20.30.40" not in answer.text, answer.text
        replicas = answer.json()["services"]["hotline"]["replicas"]
        assert [set(r) & {"url", "ok"} for r in replicas] == [{"ok"}]
    assert admin.json()["services"]["hotline"]["replicas"][0]["url"] == INTERNAL
