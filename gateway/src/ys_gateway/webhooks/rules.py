"""Who receives what: type patterns, scope and ownership, and masking of payloads.

Payloads go out masked, and without the fields a producer sealed for one consumer service
(``yingshang.events.sealed``: the 12345 transfer's complainant and content, for the complaints
center): an integrator holds no key to them, and their ciphertext is no business of its own.

Ownership: an event goes to a client only when its payload names that client as the origin,
``data.origin_client`` (the provincial platform gets the events of the tickets and
applications it pushed). Producers MUST copy the creating client's id into ``origin_client``
of every event about an object a client created. Directory events (``ys.gateway.*``) carry no
owner; clients holding ``directory:read`` receive them.
"""

from __future__ import annotations

import re
from typing import Any

from yingshang.events.sealed import without_sealed
from yingshang.masking import mask_numbers

SUBSCRIBE_SCOPE = "events:subscribe"
DIRECTORY_SCOPE = "directory:read"
PATTERN = re.compile(r"^ys(\.([a-z_]+|\*)){0,3}(\.>)?$")


def masked(data: dict[str, Any]) -> Any:
    """A payload as an integrator receives it: sealed fields left out, phone and ID numbers
    masked wherever they appear (``mask_numbers``, the one masker of JSON-like data, shared
    with the audit log's listing; payloads should carry none)."""
    return mask_numbers(without_sealed(data))


def matches(patterns: list[str], event_type: str) -> bool:
    """NATS-style patterns: ``*`` one segment, a final ``>`` the rest."""
    parts = event_type.split(".")
    return any(_match(p.split("."), parts) for p in patterns)


def _match(pattern: list[str], parts: list[str]) -> bool:
    for i, segment in enumerate(pattern):
        if segment == ">":
            return len(parts) > i
        if i >= len(parts) or (segment != "*" and segment != parts[i]):
            return False
    return len(pattern) == len(parts)


def may_receive(client_id: str, scopes: list[str], event_type: str, data: dict[str, Any]) -> bool:
    if SUBSCRIBE_SCOPE not in scopes:
        return False
    if event_type.startswith("ys.gateway."):
        return DIRECTORY_SCOPE in scopes
    return data.get("origin_client") == client_id
