"""The directory: seeded from ``deploy/seed/county.yaml``, then kept current by the gateway's
``ys.gateway.department.*`` and ``ys.gateway.user.*`` events (the gateway owns the live
directory; ARCHITECTURE.md, "Auth and access")."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ys_ratings.directory.models import DEPARTMENT, STAFF, WINDOW, DirectoryEntry

Labels = dict[str, dict[str, str]]


async def upsert(
    session: AsyncSession,
    kind: str,
    code: str,
    name: str,
    *,
    active: bool = True,
    keep: bool = False,
) -> None:
    """Set the label of ``code`` (``keep``: only if unknown, as seeding does)."""
    entry = await session.get(DirectoryEntry, (kind, code))
    if entry is None:
        session.add(DirectoryEntry(kind=kind, code=code, name=name, active=active))
    elif not keep:
        entry.name, entry.active = name, active
    await session.flush()


async def labels(session: AsyncSession) -> Labels:
    """``{"department": {"SCJGJ": "市场监督管理局"}, "window": {...}, "staff": {...}}``."""
    found: Labels = defaultdict(dict)
    rows = await session.execute(
        select(DirectoryEntry.kind, DirectoryEntry.code, DirectoryEntry.name)
    )
    for kind, code, name in rows:
        found[kind][code] = name
    return dict(found)


def _county_entries(document: dict[str, Any], demo: bool) -> list[tuple[str, str, str]]:
    entries = [
        (DEPARTMENT, str(d["code"]), str(d["name"])) for d in document.get("departments") or []
    ]
    for hall in document.get("halls") or []:
        for window in hall.get("windows") or []:
            # Approvals names a window "<hall>/<window>" (e.g. HALL_COUNTY/W05).
            code = f"{hall['code']}/{window['code']}"
            entries.append((WINDOW, code, f"{hall['name']} {window['name']}"))
    if demo:  # the demo people's 工号 (a production county names its staff through the gateway)
        entries += [
            (STAFF, str(u["staff_no"]), str(u["name"]))
            for u in document.get("demo_users") or []
            if u.get("staff_no")
        ]
    return entries


def read_county(county_file: Path, *, demo: bool = True) -> list[tuple[str, str, str]]:
    """Names of the county file's departments and windows, and its demo people's when
    ``demo`` (never in production: a real 工号 must not show a demo name in a bulletin)."""
    if not county_file.exists():
        return []
    document = yaml.safe_load(county_file.read_text(encoding="utf-8")) or {}
    return _county_entries(document, demo)


async def seed_directory(session: AsyncSession, entries: list[tuple[str, str, str]]) -> int:
    for kind, code, name in entries:
        await upsert(session, kind, code, name, keep=True)
    return len(entries)
