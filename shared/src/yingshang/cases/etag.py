"""ETags on case reads and ``If-Match`` on state changes (optimistic concurrency).

A case's tag is ``"<kind>-<id>-<version>"``; ``version`` is the row's ``VersionMixin`` counter,
bumped by every UPDATE. Rules (ARCHITECTURE.md, "HTTP conventions"):

* a state change without ``If-Match`` → 428 (RFC 6585 §3);
* ``If-Match: *`` → 428 as well: it would match any version and defeat the check, so the
  client must send the tag it read;
* a tag that is not the current one → 412 (RFC 9110 §13.1.1).

Tags are issued strong. They are compared by opaque value, ignoring a ``W/`` prefix: RFC 9110
asks for strong comparison in ``If-Match``, but proxies that compress responses (nginx gzip)
turn strong tags weak, and the tag names one version of one row either way.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Protocol

from fastapi import Header, Response
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from yingshang.problems import PreconditionFailed, PreconditionRequired


class Versioned(Protocol):
    """A row with an id and a ``VersionMixin`` version (a row keyed by a code names the code
    and its own version counter)."""

    @property
    def id(self) -> uuid.UUID | str: ...

    @property
    def version(self) -> int: ...


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag of the case as last read, e.g. `"ticket-<id>-3"`. '
        "Required: 428 when missing (or `*`), 412 when the case changed since.",
    ),
]
"""Route parameter for the ``If-Match`` header: ``if_match: IfMatch = None``."""


def etag_for(case: Versioned, kind: str) -> str:
    """The strong ETag of ``case`` at its current version."""
    return f'"{kind}-{case.id}-{case.version}"'


def set_etag(response: Response, case: Versioned, kind: str) -> str:
    """Put the case's ETag on ``response`` (case reads, and responses to state changes)."""
    tag = etag_for(case, kind)
    response.headers["ETag"] = tag
    return tag


def parse_if_match(header: str) -> list[str]:
    """The entity tags of an ``If-Match`` value, ``W/`` prefixes dropped (see module doc)."""
    tags = []
    for part in header.split(","):
        tag = part.strip().removeprefix("W/")
        if tag:
            tags.append(tag)
    return tags


def check_if_match(header: str | None, case: Versioned, kind: str) -> None:
    """Raise 428 unless a real tag was sent, 412 unless one of them is the current tag."""
    if header is None or not header.strip():
        raise PreconditionRequired(
            "请在 If-Match 请求头中带上读取时得到的 ETag", code="if-match-required"
        )
    tags = parse_if_match(header)
    if "*" in tags:
        raise PreconditionRequired(
            "不接受 If-Match: *，请带上读取时得到的 ETag", code="if-match-required"
        )
    current = etag_for(case, kind)
    if current not in tags:
        raise PreconditionFailed(
            "读取之后已有人修改，请重新读取后再试",
            current_etag=current,
        )


async def flush_versioned(session: AsyncSession) -> None:
    """Flush a change :func:`check_if_match` allowed. The UPDATE names the version that was
    read; another transaction that changed the row in between makes it match nothing
    (``StaleDataError``): that is a stale tag too (412)."""
    try:
        await session.flush()
    except StaleDataError as exc:
        raise PreconditionFailed("处理期间已有人修改，请重新读取后再试") from exc
