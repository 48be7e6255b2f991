"""The one relayed call checked against what only the gateway knows: binding a window's pad
(评价器) to a client (svc-approvals ``PUT /api/v1/approvals/halls/{h}/windows/{w}/pad``).

The service cannot tell an integration client from a typo: the gateway holds the clients. A
binding names a client the gateway has, active and with scope ``approvals:pad`` (what the pad
signs in with), or it is refused here (422) and never reaches the service. Unbinding (null)
and a body the service will refuse itself pass unchanged.
"""

from __future__ import annotations

import re

import orjson

PAD_BINDING = re.compile(r"^/api/v1/approvals/halls/[^/]+/windows/[^/]+/pad$")
PAD_SCOPE = "approvals:pad"


def bound_client(method: str, path: str, body: bytes | None) -> str | None:
    """The client id a pad binding names; None for any other request (or an unbinding)."""
    if method != "PUT" or not PAD_BINDING.match(path) or not body:
        return None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    client_id = data.get("client_id") if isinstance(data, dict) else None
    return client_id if isinstance(client_id, str) else None
