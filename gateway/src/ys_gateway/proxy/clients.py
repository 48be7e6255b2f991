"""In-memory view of the integration clients the data path needs (rate, ranges, active,
scopes).

Loaded at start, refreshed periodically (other replicas' admin changes) and at once on this
replica's admin changes.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ys_gateway.models import Client

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class ClientLimits:
    per_minute: int
    networks: tuple[Network, ...]
    active: bool
    scopes: frozenset[str] = frozenset()

    def allows_ip(self, ip: str | None) -> bool:
        if not self.networks:
            return True
        try:
            address = ipaddress.ip_address(ip or "")
        except ValueError:
            return False
        return any(address in net for net in self.networks)


def limits_of(client: Client) -> ClientLimits:
    networks = tuple(ipaddress.ip_network(c, strict=False) for c in client.allowed_cidrs)
    return ClientLimits(
        client.rate_limit_per_minute, networks, client.active, frozenset(client.scopes)
    )


class ClientCache:
    def __init__(self) -> None:
        self._limits: dict[str, ClientLimits] = {}

    def get(self, client_id: str) -> ClientLimits | None:
        return self._limits.get(client_id)

    def put(self, client: Client) -> None:
        self._limits[client.client_id] = limits_of(client)

    async def reload(self, session: AsyncSession) -> None:
        rows = await session.scalars(select(Client))
        self._limits = {row.client_id: limits_of(row) for row in rows}

    def grants(self, client_id: str, scope: str) -> bool:
        """Whether ``client_id`` is a known, active client holding ``scope``."""
        limits = self._limits.get(client_id)
        return limits is not None and limits.active and scope in limits.scopes
