"""A window's pad (评价器) is bound only to a client the gateway has: the approvals service
cannot tell a client from a typo, so the gateway refuses the relayed binding of a client it
does not have, has stopped, or that lacks scope approvals:pad (422, never reaching the
service); unbinding, and callers who may not bind, pass to the service unchanged."""

from __future__ import annotations

from collections.abc import Callable

from ys_gateway.settings import Settings

from .kit import Echo, gateway_on_uvicorn, served, upstreams

PAD = "/api/v1/approvals/halls/HALL_COUNTY/windows/W01/pad"
CLIENTS = "/api/v1/admin/clients"


async def test_a_pad_is_bound_only_to_a_client_the_gateway_has(
    settings_for: Callable[..., Settings],
) -> None:
    echo = Echo()
    async with served(echo.app()) as upstream:
        settings = settings_for(upstreams=upstreams(approvals=upstream.url))
        async with gateway_on_uvicorn(settings) as gateway:
            admin, head = await gateway.headers("admin"), await gateway.headers("hall_head")
            for client_id, scope in (("pad-w01", "approvals:pad"), ("agency", "hotline:write")):
                body = {"client_id": client_id, "name": client_id, "scopes": [scope]}
                made = await gateway.client.post(CLIENTS, json=body, headers=admin)
                assert made.status_code == 201, made.text

            async def bind(client_id: str | None, headers: dict[str, str]) -> tuple[int, str]:
                r = await gateway.client.put(PAD, json={"client_id": client_id}, headers=headers)
                return r.status_code, r.json().get("type", "").rsplit("/", 1)[-1]

            refused = ("pad-typo", "agency")  # unknown; known but not a pad
            answers = [await bind(client_id, head) for client_id in refused]
            assert answers == [(422, "unknown-pad-client")] * 2
            assert echo.seen == []  # never reached the service
            assert (await bind("pad-w01", head))[0] == 200
            assert (await bind(None, head))[0] == 200  # unbinding
            stopped = await gateway.client.patch(
                f"{CLIENTS}/pad-w01", json={"active": False}, headers=admin
            )
            assert stopped.status_code == 200, stopped.text
            assert await bind("pad-w01", head) == (422, "unknown-pad-client")
            # a clerk may not bind: the service says so, the gateway tells nothing of clients
            assert (await bind("pad-typo", await gateway.headers("clerk")))[0] == 200
            # the window items and other calls pass as they are
            items = await gateway.client.put(
                PAD.replace("/pad", "/items"), json={"client_id": "x"}, headers=head
            )
            assert items.status_code == 200
    assert [s["method"] for s in echo.seen] == ["PUT"] * 4
