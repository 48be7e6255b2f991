"""Typed test-data builders: a dataclass with defaults, ``.with_(**changes)`` and ``.build()``.

Builders say what a test cares about and default the rest::

    headers = a_head("HALL").also("BUREAU", "staff").headers(issuer)
    principal = a_client("province", scopes=["hotline:write"]).build()
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, Self, TypeVar

from yingshang.auth import BUREAU, COMMITTEE, Position, Principal
from yingshang.testing.tokens import TestIssuer

T = TypeVar("T")


@dataclass(frozen=True)
class Builder(Generic[T]):
    """Base of every builder: immutable, so a builder can be shared and varied safely."""

    def with_(self, **changes: object) -> Self:
        return dataclasses.replace(self, **changes)

    def build(self) -> T:
        raise NotImplementedError(f"{type(self).__name__}.build")


def _staff_no() -> str:
    return f"T{secrets.randbelow(10**6):06d}"  # 工号 staff number


@dataclass(frozen=True)
class PrincipalBuilder(Builder[Principal]):
    """A person (positions) or an integration client (scopes), and the token for it."""

    name: str = "测试用户"
    positions: tuple[tuple[str, str], ...] = ()
    scopes: tuple[str, ...] = ()
    client_id: str | None = None
    staff_no: str | None = field(default_factory=_staff_no)
    sub: str | None = None

    def also(self, dept: str, role: str) -> Self:
        """One more position: people hold several at once (交叉挂职 cross-posting)."""
        return self.with_(positions=(*self.positions, (dept, role)))

    def subject(self) -> str:
        if self.sub:
            return self.sub
        return f"client:{self.client_id}" if self.client_id else f"user:{self.staff_no}"

    def build(self) -> Principal:
        return Principal(
            sub=self.subject(),
            name=self.name,
            staff_no=None if self.client_id else self.staff_no,
            positions=tuple(Position(d, r) for d, r in self.positions),
            scopes=frozenset(self.scopes),
            client_id=self.client_id,
        )

    def token(self, issuer: TestIssuer, **claims: Any) -> str:
        return issuer.mint(
            *self.positions,
            sub=self.subject(),
            name=self.name,
            staff_no=None if self.client_id else self.staff_no,
            scopes=self.scopes,
            client_id=self.client_id,
            **claims,
        )

    def headers(self, issuer: TestIssuer, **claims: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(issuer, **claims)}"}


def a_person(dept: str, role: str, name: str = "测试用户") -> PrincipalBuilder:
    return PrincipalBuilder(name=name, positions=((dept, role),))


def a_clerk(dept: str) -> PrincipalBuilder:
    """Front line: a window clerk (HALL) or a hotline operator (HOTLINE_CENTER)."""
    return a_person(dept, "clerk", "测试办事员")


def a_staff(dept: str) -> PrincipalBuilder:
    return a_person(dept, "staff", "测试工作人员")


def a_head(dept: str) -> PrincipalBuilder:
    """The department's head (一把手)."""
    return a_person(dept, "head", "测试负责人")


def an_admin(dept: str = BUREAU) -> PrincipalBuilder:
    return a_person(dept, "admin", "测试管理员")


def the_bureau(role: str = "staff") -> PrincipalBuilder:
    """Someone at the business-environment bureau (营商环境建设局)."""
    return a_person(BUREAU, role, "营商局测试")


def the_committee(role: str = "head") -> PrincipalBuilder:
    """Someone at the committee (营商环境建设委员会)."""
    return a_person(COMMITTEE, role, "营商委测试")


def a_client(client_id: str, scopes: Iterable[str] = ()) -> PrincipalBuilder:
    """An integration client (provincial platform, agency) with OAuth2 scopes."""
    return PrincipalBuilder(
        name=client_id, scopes=tuple(scopes), client_id=client_id, staff_no=None
    )
