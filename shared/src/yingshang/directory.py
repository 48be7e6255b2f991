"""Each service's copy of the county's organisation directory, kept current by the gateway.

The gateway owns the live directory and publishes ``ys.gateway.department.*`` and
``ys.gateway.user.*``; every service keeps the departments (code, name, kind, active) and,
where it names people, the users (username, 工号 ``staff_no``, name, active), seeded from
``deploy/seed/county.yaml`` at start and kept current from the events (ARCHITECTURE.md, "Auth
and access" and the event contract). The plumbing is here once; a service declares::

    class Department(DirectoryDepartment, Base):
        __tablename__ = "hotline_departments"

    DEPARTMENTS = Departments(Department)
    directory = directory_consumer(SERVICE, DEPARTMENTS, catalogue=EVENTS)

and checks the codes a request names with :meth:`Departments.require` and
:meth:`People.require` (422 problems in Chinese: ``unknown-department``,
``inactive-department``, ``unknown-staff``).

Seeding adds what is missing and never overwrites: after the first start the events are the
source (a department renamed or deactivated at the gateway stays so across restarts). A
deactivated department or person is kept (``active`` false) for history: old cases still show
its name, new work may not name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Boolean, String, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import UTCDateTime
from yingshang.events.catalogue import EventCatalogue
from yingshang.events.consumer import ConsumerSpec
from yingshang.events.envelope import CloudEvent
from yingshang.events.inbox import Handler
from yingshang.problems import Invalid

CHANGES = ("created", "updated", "deactivated")
DEPARTMENT_EVENTS = tuple(f"ys.gateway.department.{c}" for c in CHANGES)
USER_EVENTS = tuple(f"ys.gateway.user.{c}" for c in CHANGES)
PURPOSE = "directory"  # the durable consumer: ``<service>-gateway-directory``


# --- the rows each service keeps -------------------------------------------------------------
class DirectoryDepartment:
    """Columns of a service's department table (mixed into the service's own ``Base``)."""

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # coordinating | department | town | federation
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now, onupdate=now)

    if TYPE_CHECKING:  # the declarative constructor of the class it is mixed into

        def __init__(self, **kwargs: Any) -> None: ...


class DirectoryUser:
    """Columns of a service's user table. Keyed by the gateway's username: a person's 工号 may
    change (``ys.gateway.user.updated`` names only the new one)."""

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_no: Mapped[str | None] = mapped_column(String(40), index=True)  # 工号
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now, onupdate=now)

    if TYPE_CHECKING:

        def __init__(self, **kwargs: Any) -> None: ...


# --- problems (shown to staff as they are: Chinese) ------------------------------------------
class UnknownDepartment(Invalid):
    code, title = "unknown-department", "组织机构目录中没有该单位"


class InactiveDepartment(Invalid):
    code, title = "inactive-department", "该单位已停用"


class UnknownStaff(Invalid):
    code, title = "unknown-staff", "人员目录中没有该工号，或其账号已停用"


# --- lookups ---------------------------------------------------------------------------------
D = TypeVar("D", bound=DirectoryDepartment)
U = TypeVar("U", bound=DirectoryUser)


@dataclass(frozen=True)
class Departments(Generic[D]):
    """A service's departments (``model``: its table, built on :class:`DirectoryDepartment`)."""

    model: type[D]

    async def get(self, session: AsyncSession, code: str) -> D | None:
        return await session.get(self.model, code)

    async def require(self, session: AsyncSession, code: str, *, field: str) -> D:
        """The active department ``code``, or a 422 naming ``field`` (unknown or deactivated)."""
        dept = await self.get(session, code)
        if dept is None:
            raise UnknownDepartment(f"组织机构目录中没有单位代码 {code}", field=field)
        if not dept.active:
            raise InactiveDepartment(
                f"{dept.name}（{code}）已停用，不能再指定为承办或责任单位", field=field
            )
        return dept

    async def listing(self, session: AsyncSession) -> list[D]:
        rows = await session.scalars(select(self.model).order_by(self.model.code))
        return list(rows.all())

    async def names(self, session: AsyncSession) -> dict[str, str]:
        """``{code: name}`` of every department, deactivated ones included (history)."""
        rows = await session.execute(select(self.model.code, self.model.name))
        return dict(rows.all())

    async def upsert(
        self, session: AsyncSession, code: str, name: str, kind: str, *, active: bool = True
    ) -> D:
        """The gateway's word: create or overwrite."""
        dept = await self.get(session, code)
        if dept is None:
            dept = self.model(code=code, name=name, kind=kind, active=active)
            session.add(dept)
        else:
            dept.name, dept.kind, dept.active = name, kind, active
        await session.flush()
        return dept

    async def add_missing(self, session: AsyncSession, rows: list[dict[str, Any]]) -> int:
        """Seed: add the departments not known yet; never overwrite the live directory."""
        known = set((await session.scalars(select(self.model.code))).all())
        new = [r for r in rows if str(r["code"]) not in known]
        session.add_all(
            self.model(code=str(r["code"]), name=str(r["name"]), kind=str(r["kind"]), active=True)
            for r in new
        )
        await session.flush()
        return len(new)


@dataclass(frozen=True)
class People(Generic[U]):
    """The users of one service (``model``: its table, built on :class:`DirectoryUser`)."""

    model: type[U]

    async def require(self, session: AsyncSession, staff_no: str, *, field: str) -> U:
        """The active person holding 工号 ``staff_no``, or a 422 ``unknown-staff``."""
        rows = await session.scalars(select(self.model).where(self.model.staff_no == staff_no))
        found = sorted(rows.all(), key=lambda u: not u.active)  # an active holder first
        if not found:
            raise UnknownStaff(f"人员目录中没有工号 {staff_no}", field=field)
        if not found[0].active:
            raise UnknownStaff(f"工号 {staff_no}（{found[0].name}）的账号已停用", field=field)
        return found[0]

    async def names(self, session: AsyncSession) -> dict[str, str]:
        """``{staff_no: name}`` of everyone with a 工号."""
        rows = await session.execute(
            select(self.model.staff_no, self.model.name).where(self.model.staff_no.isnot(None))
        )
        return {str(staff_no): name for staff_no, name in rows}

    async def upsert(
        self,
        session: AsyncSession,
        username: str,
        name: str,
        staff_no: str | None,
        *,
        active: bool = True,
    ) -> U:
        """The gateway's word: create or overwrite. The gateway keeps 工号 unique, so any other
        row still holding ``staff_no`` is out of date (its person got another one): cleared."""
        if staff_no:
            await session.execute(
                update(self.model)
                .where(self.model.staff_no == staff_no, self.model.username != username)
                .values(staff_no=None)
            )
        user = await session.get(self.model, username)
        if user is None:
            user = self.model(username=username, name=name, staff_no=staff_no, active=active)
            session.add(user)
        else:
            user.name, user.staff_no, user.active = name, staff_no, active
        await session.flush()
        return user

    async def add_missing(self, session: AsyncSession, rows: list[dict[str, Any]]) -> int:
        """Seed: add the people not known yet (by username); never overwrite."""
        known = set((await session.scalars(select(self.model.username))).all())
        new = [r for r in rows if str(r["username"]) not in known]
        session.add_all(
            self.model(
                username=str(r["username"]),
                name=str(r["name"]),
                staff_no=str(r["staff_no"]) if r.get("staff_no") else None,
                active=True,
            )
            for r in new
        )
        await session.flush()
        return len(new)


# --- the county file -------------------------------------------------------------------------
@dataclass(frozen=True)
class County:
    """The directory part of ``county.yaml``: departments, and the demo people."""

    departments: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)


def read_county(path: Path, fallback: County | None = None) -> County:
    """The county file's departments and demo people (blocking: call it in a thread), or
    ``fallback`` when a bare checkout of a service lacks the file."""
    if not path.is_file():
        return fallback or County()
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    departments = list(document.get("departments") or [])
    people = [u for u in document.get("demo_users") or [] if u.get("username")]
    if not departments and fallback is not None:
        return County(fallback.departments, people or fallback.people)
    return County(departments, people)


async def seed_directory(
    session: AsyncSession,
    county: County,
    departments: Departments[Any],
    people: People[Any] | None = None,
) -> int:
    """Add the county's missing departments and (``people``: outside production only, a real
    工号 must never carry a demo name) its demo people; the number of rows added."""
    added = await departments.add_missing(session, county.departments)
    if people is not None:
        added += await people.add_missing(session, county.people)
    return added


# --- the gateway's events --------------------------------------------------------------------
class DepartmentChanged(BaseModel):
    """``ys.gateway.department.*`` as a service reads it (validated like external input)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    code: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=120)
    kind: str = Field(min_length=1, max_length=20)
    active: bool = True


class UserChanged(BaseModel):
    """``ys.gateway.user.*`` as a service reads it: who, their 工号 and name."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    username: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=120)
    staff_no: str | None = Field(None, max_length=40)
    active: bool = True


def _active(event: CloudEvent, flag: bool) -> bool:
    return flag and not event.type.endswith(".deactivated")


def directory_consumer(
    service: str,
    departments: Departments[Any],
    people: People[Any] | None = None,
    *,
    catalogue: EventCatalogue | None = None,
) -> ConsumerSpec:
    """The durable consumer ``<service>-gateway-directory``: department events (and user
    events when ``people``) applied once each through the inbox. ``catalogue``: the service's
    own, so its AsyncAPI document lists what it reads (a new one by default)."""
    catalogue = catalogue or EventCatalogue(f"{service} reads the gateway's directory")
    spec = ConsumerSpec(service, "gateway", PURPOSE, catalogue=catalogue)

    async def on_department(session: AsyncSession, event: CloudEvent, p: DepartmentChanged) -> None:
        await departments.upsert(session, p.code, p.name, p.kind, active=_active(event, p.active))

    _register(spec, DEPARTMENT_EVENTS, DepartmentChanged, on_department)
    if people is not None:

        async def on_user(session: AsyncSession, event: CloudEvent, p: UserChanged) -> None:
            await people.upsert(
                session, p.username, p.name, p.staff_no, active=_active(event, p.active)
            )

        _register(spec, USER_EVENTS, UserChanged, on_user)
    return spec


def _register(
    spec: ConsumerSpec, types: tuple[str, ...], model: type[BaseModel], handler: Handler
) -> None:
    for type_ in types:
        if type_ not in spec.catalogue:
            change = type_.rsplit(".", 1)[1]
            spec.catalogue.register(
                type_,
                model,
                description=f"the gateway's directory: {change}",
                consumers=(spec.service,),
            )
        spec.add(type_, handler)
