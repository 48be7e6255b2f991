"""The first administrator of a county that starts in production.

Production seeds the organisation but no people (``ys_gateway.seed``), and the admin API that
creates people is for an active ``BUREAU/admin`` only (``ys_gateway.access``). So at start-up,
when the directory holds no active ``BUREAU/admin``, the gateway makes one from
``YS_BOOTSTRAP_ADMIN_USERNAME`` / ``YS_BOOTSTRAP_ADMIN_PASSWORD`` (checked by the settings:
production refuses the demo password and weak ones). The account must replace that password
at its first sign-in (``password_change_required``, as for any password an administrator
set), and its creation is audited and published like any new user.

Idempotent: nothing happens while an active ``BUREAU/admin`` exists (a restart, a second
replica). Two replicas starting at once both may see none; the username is unique, so the
second insert fails and that replica does nothing. An existing account of that username that is
not an active ``BUREAU/admin`` (deactivated, demoted) is left alone: reviving an account from a
deployment file would bypass the directory's history; choose another username.

Without the settings and with no administrator, the gateway still starts (public pages, the
services' own tokens keep working) and says why nobody can administer it: a warning in the log
and in ``/readyz``.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.db import Database
from ys_gateway.access import ADMIN_DEPT, ADMIN_ROLE
from ys_gateway.crypto import Passwords, SecretBox
from ys_gateway.directory.schemas import PositionIn, UserIn
from ys_gateway.directory.service import create_user
from ys_gateway.models import Department, Position, User
from ys_gateway.settings import Settings

log = logging.getLogger("ys_gateway.bootstrap")
ACTOR = Principal(sub="system:bootstrap", name="system:bootstrap")
NO_ADMIN = (
    "no active administrator at the bureau (BUREAU/admin): nobody can use the admin API; set "
    "YS_BOOTSTRAP_ADMIN_USERNAME and YS_BOOTSTRAP_ADMIN_PASSWORD and restart the gateway "
    "(deploy/README.md, 'Production first start')"
)


async def has_active_admin(session: AsyncSession) -> bool:
    """Some active person holds ``BUREAU/admin`` in the directory."""
    held = await session.scalar(
        select(Position.id)
        .join(User, User.id == Position.user_id)
        .where(User.active.is_(True), Position.dept_code == ADMIN_DEPT, Position.role == ADMIN_ROLE)
        .limit(1)
    )
    return held is not None


async def admin_missing(db: Database) -> str | None:
    """The readiness warning while the directory has no active ``BUREAU/admin``."""
    async with db.read() as session:
        return None if await has_active_admin(session) else NO_ADMIN


async def ensure_admin(db: Database, settings: Settings, passwords: Passwords) -> str | None:
    """Make the first administrator if there is none; returns the warning to report while the
    directory still has none (``None``: there is an administrator)."""
    missing = await admin_missing(db)
    if missing is None:
        return None
    username, password = settings.bootstrap_admin_username, settings.bootstrap_admin_password
    if username is None or password is None:
        log.warning("%s", missing)
        return missing
    body = UserIn(
        username=username,
        name=settings.bootstrap_admin_name,
        password=password.get_secret_value(),
        positions=[PositionIn(dept=ADMIN_DEPT, role=ADMIN_ROLE)],
    )
    try:
        async with db.write() as session:
            problem = await _create(session, body, passwords, SecretBox(settings.key_secret))
    except IntegrityError:
        # Another replica made it between our look and our insert (unique username).
        log.info("the first administrator %s was made by another replica", username)
        return await admin_missing(db)
    if problem is not None:
        log.warning("%s", problem)
    return problem


async def _create(
    session: AsyncSession, body: UserIn, passwords: Passwords, box: SecretBox
) -> str | None:
    if await has_active_admin(session):  # made meanwhile (SQLite: writes take turns)
        return None
    if await session.get(Department, ADMIN_DEPT) is None:
        return f"{NO_ADMIN}; and the directory has no {ADMIN_DEPT} department (county file?)"
    if await session.scalar(select(User.id).where(User.username == body.username)) is not None:
        return (
            f"{NO_ADMIN}; the account {body.username!r} exists but is not an active "
            f"{ADMIN_DEPT}/{ADMIN_ROLE} and is left as it is: choose another "
            "YS_BOOTSTRAP_ADMIN_USERNAME"
        )
    # As the admin API creates people: password_change_required, audited, published; the
    # unique username makes a concurrent replica's insert fail.
    await create_user(session, body, ACTOR, passwords, box, audit_extra={"bootstrap": True})
    log.warning(
        "made %s the first administrator (%s/%s); the password must be changed at the first "
        "sign-in: remove YS_BOOTSTRAP_ADMIN_PASSWORD from the deployment",
        body.username,
        ADMIN_DEPT,
        ADMIN_ROLE,
    )
    return None
