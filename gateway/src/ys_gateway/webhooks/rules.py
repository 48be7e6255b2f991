"""Who receives what: type patterns, scope and ownership, and masking of payloads.

Ownership: an event goes to a client only when its payload names that client as the origin,
``data.origin_client`` (the provincial platform gets the events of the tickets and
applications it pushed). Producers MUST copy the creating client's id into ``origin_client``
of every event about an object a client created. Directory events (``ys.gateway.*``) carry no
owner; clients holding ``directory:read`` receive them.
"""

from __future__ import annotations

import re
from typing import Any

from yingshang.masking import mask_phone, mask_resident_id

SUBSCRIBE_SCOPE = "events:subscribe"
DIRECTORY_SCOPE = "directory:read"
PATTERN = re.compile(r"^ys(\.([a-z_]+|\*)){0,3}(\.>)?$")
# Mobile numbers as people write them: an optional country prefix (+86, 0086, 86), groups
# 3-4-4 separated by a space or hyphen, next to letters ("TEL13912345678"). Never inside a
# longer run of digits or hex digits: item codes, case numbers and UUIDs (a UUID's last group
# can hold 11 digits that look like a mobile, "…-16933277785f") must stay intact.
PHONE = re.compile(
    r"(?<![\dA-Fa-f])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![\dA-Fa-f])"
)
# Fields that identify events and cases: never masked (ids are what a receiver matches on).
IDENTIFIER_KEYS = frozenset({"id", "subject", "source", "type", "time", "traceparent"})
RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE_KEYS = ("phone", "mobile", "tel")
ID_KEYS = ("id_number", "id_no", "resident_id", "id_card")


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


def masked(value: Any, key: str = "") -> Any:
    """Phone and ID numbers masked wherever they appear (payloads should carry none)."""
    if isinstance(value, dict):
        return {k: masked(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v, key) for v in value]
    if not isinstance(value, str):
        return value
    lowered = key.lower()
    if lowered in IDENTIFIER_KEYS or lowered.endswith("_id"):
        return value
    if any(k in lowered for k in ID_KEYS):
        return mask_resident_id(value)
    if any(k in lowered for k in PHONE_KEYS):
        return mask_phone(value)
    value = RESIDENT_ID.sub(lambda m: mask_resident_id(m.group()), value)
    return PHONE.sub(_masked_mobile, value)


def _masked_mobile(match: re.Match[str]) -> str:
    """The 11 digits of the number, masked (prefix and separators dropped)."""
    digits = "".join(c for c in match.group() if c.isdigit())[-11:]
    return mask_phone(digits)
