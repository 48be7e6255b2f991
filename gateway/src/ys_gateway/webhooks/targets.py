"""Where webhooks may be sent: the receiver's address, checked at registration and at sending.

The gateway sits inside the county's network next to the services, their databases and the
cloud's metadata endpoint; a webhook URL must not turn it into a proxy towards them (SSRF).
Refused:

* link-local (``169.254.0.0/16``, cloud metadata; ``fe80::/10``), multicast, unspecified,
  reserved and every other non-public address (documentation, shared/CGN ranges, ...);
* loopback and private ranges (RFC 1918, ``fc00::/7``), unless ``YS_WEBHOOK_ALLOW_PRIVATE``
  (receivers on the county's own network; local receivers in development and tests);
* always: the host:port of a service replica (``YS_UPSTREAMS``), of NATS and of the gateway
  itself.

Names are resolved and every address must pass. At sending, the request goes to the very
address that was checked (the name is resolved once: a DNS answer that changes between the
check and the connection cannot redirect it), with the name in ``Host`` and for TLS (SNI,
certificate check). Redirects are never followed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from ys_gateway.settings import Settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
DEFAULT_PORTS = {"http": 80, "https": 443}


class TargetRefused(Exception):
    """The URL's host is not a permitted webhook receiver (``str`` says why)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``address``) and what to call the host."""

    url: httpx.URL
    host: str
    address: Address

    def pinned_url(self) -> httpx.URL:
        """The URL with the checked address in place of the name."""
        return self.url.copy_with(host=str(self.address))


def address_refusal(address: Address, allow_private: bool) -> str | None:
    """Why a webhook may not go to ``address`` (None: it may)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_unspecified:
        return "未指定的地址"
    if address.is_multicast:
        return "组播地址"
    if address.is_link_local:
        return "链路本地地址"
    if address.is_loopback:
        return None if allow_private else "a loopback address"
    if address.is_global:
        return None
    if allow_private and address.is_private and not address.is_reserved:
        return None
    return "私有或保留地址"


class TargetPolicy:
    """The rule above for one gateway's settings."""

    def __init__(self, settings: Settings) -> None:
        self.allow_private = settings.webhook_private_allowed()
        own = [u for urls in settings.upstream_map().values() for u in urls]
        # a NATS cluster is a comma-separated list of servers (deploy/, make rehearse)
        own += [u.strip() for u in settings.nats_url.split(",") if u.strip()]
        own += [f"http://127.0.0.1:{settings.port}"]
        self._own = {_host_port(u) for u in own}

    async def check(self, url: str) -> Target:
        """The target of ``url`` if a webhook may go there; else :class:`TargetRefused`."""
        parsed = httpx.URL(url)
        if parsed.scheme not in DEFAULT_PORTS or not parsed.host:
            raise TargetRefused("只接受带主机名的 http 或 https 地址")
        port = parsed.port or DEFAULT_PORTS[parsed.scheme]
        addresses = await resolve(parsed.host, port)
        for address in addresses:
            reason = address_refusal(address, self.allow_private)
            if reason:
                raise TargetRefused(f"{parsed.host} 是{reason}")
        own = await self._own_addresses(port)
        if (parsed.host.lower(), port) in self._own or own.intersection(addresses):
            raise TargetRefused(f"{parsed.host}:{port} 是本平台自己的地址")
        return Target(parsed, parsed.host, addresses[0])

    async def _own_addresses(self, port: int) -> set[Address]:
        found: set[Address] = set()
        for host, own_port in self._own:
            if own_port != port:
                continue
            try:
                found.update(await resolve(host, own_port))
            except TargetRefused:
                continue
        return found


async def resolve(host: str, port: int) -> list[Address]:
    """Every address of ``host`` (an IP literal is its own)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise TargetRefused(f"无法解析主机名 {host}") from exc
    addresses: list[Address] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise TargetRefused(f"无法解析主机名 {host}")
    return addresses


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    default = DEFAULT_PORTS.get(parts.scheme, 4222 if parts.scheme == "nats" else 80)
    return (parts.hostname or "").lower(), parts.port or default
