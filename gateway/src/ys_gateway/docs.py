"""Merged API documentation: ``/openapi.json``, ``/docs`` (a plain listing), the event catalogue.

Each service's spec is fetched from its replicas and cached; a service that is down leaves its
last good copy (or nothing) and is named in ``x-unavailable`` (a partial result, not an error).
Such a partial document is never kept as the whole: the next request asks that service again,
and the answer tells HTTP caches not to store it.
Service schemas are namespaced (``hotline.TicketOut``) so equal names never collide.
"""

from __future__ import annotations

import asyncio
import html
import importlib
import time
from typing import Any

import httpx
import orjson
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse

from yingshang.app import allow, router
from yingshang.auth import public
from yingshang.events.catalogue import EventCatalogue
from ys_gateway.events import catalogue as gateway_catalogue
from ys_gateway.proxy.asgi import Proxy

docs = router(tags=["documentation"])
SCHEMA_REF = '"#/components/schemas/'
METHODS = ("get", "post", "put", "patch", "delete")


class SpecCache:
    """Last good spec per service, refetched when older than ``ttl`` seconds.

    A refresh waits ``timeout`` for a service (its last copy stands in if it is late). A
    service with no copy yet is waited for ``first_timeout``: a service builds its spec on its
    first request, slowly on a busy start. One that does not answer has no copy, so the next
    request asks it again."""

    def __init__(self, ttl: float, timeout: float, first_timeout: float | None = None) -> None:
        self.ttl, self.timeout = ttl, timeout
        self.first_timeout = max(timeout, first_timeout or timeout)
        self._specs: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = asyncio.Lock()

    async def specs(self, proxy: Proxy) -> tuple[dict[str, dict[str, Any]], list[str]]:
        async with self._lock:
            stale = [n for n in proxy.pools if time.monotonic() - self._fetched(n) > self.ttl]
            async with httpx.AsyncClient() as client:
                fetched = await asyncio.gather(*(self._fetch(client, proxy, n) for n in stale))
            missing = [name for name, ok in zip(stale, fetched, strict=True) if not ok]
            return {n: spec for n, (_, spec) in self._specs.items()}, missing

    def _fetched(self, name: str) -> float:
        return self._specs[name][0] if name in self._specs else float("-inf")

    async def _fetch(self, client: httpx.AsyncClient, proxy: Proxy, name: str) -> bool:
        timeout = self.timeout if name in self._specs else self.first_timeout
        for replica in proxy.pools[name].replicas:
            try:
                response = await client.get(replica.base + "/openapi.json", timeout=timeout)
                if response.status_code == 200:
                    self._specs[name] = (time.monotonic(), response.json())
                    return True
            except (httpx.HTTPError, ValueError):
                continue
        return False


def merge(
    own: dict[str, Any], services: dict[str, dict[str, Any]], missing: list[str]
) -> dict[str, Any]:
    merged = dict(own)
    paths = dict(own.get("paths", {}))
    schemas = dict(own.get("components", {}).get("schemas", {}))
    for name, spec in sorted(services.items()):
        spec = _namespaced(spec, name)
        prefix = f"/api/v1/{name}/"
        paths.update({p: ops for p, ops in spec.get("paths", {}).items() if p.startswith(prefix)})
        for key, schema in spec.get("components", {}).get("schemas", {}).items():
            schemas[f"{name}.{key}"] = schema
    merged["paths"] = paths
    merged["components"] = {**own.get("components", {}), "schemas": schemas}
    merged["info"] = {
        **own.get("info", {}),
        "title": "Yingshang 营商 API",
        "x-unavailable": missing,
    }
    return merged


def _namespaced(spec: dict[str, Any], service: str) -> dict[str, Any]:
    """Rename every schema reference ``X`` of a service to ``<service>.X``."""
    raw = orjson.dumps(spec).replace(SCHEMA_REF.encode(), f"{SCHEMA_REF}{service}.".encode())
    loaded: dict[str, Any] = orjson.loads(raw)
    return loaded


@docs.get("/openapi.json", dependencies=[allow(public())], include_in_schema=False)
async def openapi(request: Request) -> JSONResponse:
    spec = await merged_spec(request.app)
    # a document missing a service is for now only: no cache keeps it as the API
    partial = {"Cache-Control": "no-store"} if spec["info"]["x-unavailable"] else None
    return JSONResponse(spec, headers=partial)


async def merged_spec(app: FastAPI) -> dict[str, Any]:
    cache: SpecCache = app.state.spec_cache
    services, missing = await cache.specs(app.state.proxy)
    return merge(app.openapi(), services, missing)


@docs.get("/docs", dependencies=[allow(public())], include_in_schema=False)
async def docs_page(request: Request) -> HTMLResponse:
    spec = await merged_spec(request.app)
    return HTMLResponse(render(spec))


def render(spec: dict[str, Any]) -> str:
    rows = []
    for path, item in sorted(spec["paths"].items()):
        for method in METHODS:
            op = item.get(method)
            if op is not None:
                rows.append(
                    f"<tr><td class=m>{method.upper()}</td><td><code>{html.escape(path)}</code>"
                    f"</td><td>{html.escape(op.get('summary') or '')}</td>"
                    f"<td class=a>{html.escape(access_text(op.get('x-access')))}</td></tr>"
                )
    missing = spec["info"].get("x-unavailable") or []
    note = f"<p class=warn>暂不可用的服务: {html.escape(', '.join(missing))}</p>" if missing else ""
    return PAGE.format(rows="\n".join(rows), note=note, count=len(rows))


def access_text(access: dict[str, Any] | None) -> str:
    """``x-access`` as a reader wants it: who may call the operation."""
    if not access:
        return ""
    kind = access.get("kind", "")
    if kind == "public":
        return "公开 (no token)"
    who = "/".join(access.get("roles") or []) or "any role"
    where = f" @ {', '.join(access['depts'])}" if access.get("depts") else ""
    scope = f" · scope {access['scope']}" if access.get("scope") else ""
    return {"staff": f"staff: {who}{where}", "scope": f"client{scope}"}.get(
        kind, f"{kind}: {who}{where}{scope}"
    )


PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>营商 API 文档</title><style>
body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#222}}
table{{border-collapse:collapse;width:100%}}td{{border-bottom:1px solid #ddd;padding:.3rem .5rem}}
.m{{font-weight:bold;width:5rem}}.a{{color:#555;font-size:.9em}}.warn{{color:#a40}}</style>
</head><body>
<h1>营商 API 文档 (Yingshang API)</h1>
<p>机器可读规范: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3) ·
事件目录: <a href="/events/catalogue">/events/catalogue</a> (AsyncAPI 3.0) ·
令牌: <code>POST /auth/token</code> (OAuth2; send <code>Authorization: Bearer …</code>) ·
密钥: <a href="/.well-known/jwks.json">JWKS</a> · 各服务的 Swagger 页: <code>/docs</code> on each
service's own port</p>
{note}<p>{count} operations</p><table>{rows}</table></body></html>"""


def full_catalogue() -> EventCatalogue:
    """The gateway's events plus every service's (``ys_<svc>.events.catalogue`` if present)."""
    merged = EventCatalogue(title="Yingshang events").include(gateway_catalogue)
    for service in ("approvals", "hotline", "complaints", "visits", "ratings"):
        try:
            module = importlib.import_module(f"ys_{service}.events")
        except ImportError:
            continue
        found = getattr(module, "catalogue", None)
        if isinstance(found, EventCatalogue):
            merged.include(found)
    return merged


@docs.get(
    "/events/catalogue",
    dependencies=[allow(public())],
    summary="Event catalogue (AsyncAPI 3.0): every event type, payload schema, producer",
)
async def events_catalogue(request: Request) -> JSONResponse:
    document = await asyncio.to_thread(full_catalogue().asyncapi)
    return JSONResponse(document)
