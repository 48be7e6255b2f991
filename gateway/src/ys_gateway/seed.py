"""First-start seed from ``deploy/seed/county.yaml`` (only when the directory is empty).

The organisation (departments, towns, halls, windows) is seeded in every mode; demo people
and the provincial-platform client only outside production, all with the documented demo
password (``YS_DEMO_PASSWORD``, default ``yingshang.settings.DEMO_PASSWORD``) and, where the
file gives one, a (fictional) 工作手机 so the deadline ladder's SMS show in the file channel.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.validators import normalise_mobile
from ys_gateway.crypto import Passwords, SecretBox, shared_hash
from ys_gateway.directory.mobiles import set_mobile
from ys_gateway.models import Client, Department, Hall, Position, User, Window

log = logging.getLogger("ys_gateway.seed")


async def load_county(path: Path) -> dict[str, Any]:
    text = await asyncio.to_thread(path.read_text, "utf-8")
    document = yaml.safe_load(text)
    if not isinstance(document, dict) or "departments" not in document:
        raise ValueError(f"{path} is not a county seed file (no 'departments')")
    return document


async def seed_if_empty(
    session: AsyncSession,
    county: dict[str, Any],
    *,
    demo: bool,
    passwords: Passwords,
    demo_password: str,
    box: SecretBox,
) -> bool:
    """Seed everything when no department exists yet; returns whether it seeded."""
    if await session.scalar(select(func.count()).select_from(Department)):
        return False
    await _departments(session, county["departments"])
    await _halls(session, county.get("halls") or [])
    if demo:
        hashed = await asyncio.to_thread(shared_hash, passwords, demo_password)
        await _people(session, county.get("demo_users") or [], hashed, box)
        await _clients(session, county.get("demo_clients") or [], hashed)
    log.info("seeded the directory from the county file (demo=%s)", demo)
    return True


async def _departments(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    # One batch, in file order: the file lists parents before their children.
    session.add_all(
        Department(
            code=row["code"], name=row["name"], kind=row["kind"], parent_code=row.get("parent")
        )
        for row in rows
    )
    await session.flush()


async def _halls(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    session.add_all(Hall(code=row["code"], name=row["name"], dept_code=row["dept"]) for row in rows)
    await session.flush()
    session.add_all(
        Window(hall_code=row["code"], code=w["code"], name=w["name"], kind=w["kind"])
        for row in rows
        for w in row.get("windows") or []
    )
    await session.flush()


async def _people(
    session: AsyncSession, rows: list[dict[str, Any]], hashed: str, box: SecretBox
) -> None:
    users = [
        User(
            id=uuid.uuid4(),
            username=row["username"],
            name=row["name"],
            staff_no=row.get("staff_no"),
            password_hash=hashed,
            # The documented demo password: the demo and the test suites sign in with it.
            password_change_required=False,
        )
        for row in rows
    ]
    for user, row in zip(users, rows, strict=True):
        set_mobile(user, normalise_mobile(str(row["mobile"])) if row.get("mobile") else None, box)
    session.add_all(users)
    await session.flush()
    heads: dict[str, uuid.UUID] = {}
    for user, row in zip(users, rows, strict=True):
        for p in row.get("positions") or []:
            session.add(
                Position(user_id=user.id, dept_code=p["dept"], role=p["role"], title=p.get("title"))
            )
            if p["role"] == "head":
                heads.setdefault(p["dept"], user.id)  # the first head seeded is the 一把手
    await session.flush()
    await _make_heads(session, heads)


async def _make_heads(session: AsyncSession, heads: dict[str, uuid.UUID]) -> None:
    depts = await session.scalars(select(Department).where(Department.code.in_(heads)))
    for dept in depts:
        dept.head_user_id = heads[dept.code]
    await session.flush()


async def _clients(session: AsyncSession, rows: list[dict[str, Any]], hashed: str) -> None:
    session.add_all(
        Client(
            client_id=row["client_id"],
            name=row["name"],
            secret_hash=hashed,
            scopes=list(row.get("scopes") or []),
            rate_limit_per_minute=int(row.get("rate_limit_per_minute") or 600),
            allowed_cidrs=list(row.get("allowed_cidrs") or []),
        )
        for row in rows
    )
    await session.flush()
