"""Audit of every unmasked read of a rater's identity (DOMAIN.md, "Personal data and audit")."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import audit
from yingshang.auth import Principal
from yingshang.db import Database
from ys_ratings.ratings.models import Rating
from ys_ratings.ratings.views import RATER_MASKERS, rater_fields

OBJECT_KIND = "rating"


def revealed_fields(rating: Rating) -> list[str]:
    return [name for name, value in rater_fields(rating).items() if value and name in RATER_MASKERS]


async def audit_reads(db: Database, principal: Principal, ratings: list[Rating]) -> None:
    """GET routes: one entry per response that carried identities unmasked (own transaction)."""
    shown = {str(r.id): revealed_fields(r) for r in ratings}
    shown = {rating_id: fields for rating_id, fields in shown.items() if fields}
    if not shown:
        return
    if len(shown) == 1:
        [(rating_id, fields)] = shown.items()
        await audit.record_unmasked_read(db, principal, (OBJECT_KIND, rating_id), fields)
        return
    async with db.write() as session:
        await audit.record(
            session,
            actor=principal,
            action=audit.READ_UNMASKED,
            object_kind=OBJECT_KIND,
            detail={"ratings": shown},
        )


async def audit_unmask(
    session: AsyncSession, principal: Principal, rating: Rating, reason: str
) -> None:
    """POST unmask: recorded in the request's own transaction, with the reason given."""
    await audit.record(
        session,
        actor=principal,
        action=audit.READ_UNMASKED,
        object_kind=OBJECT_KIND,
        object_id=rating.id,
        detail={"fields": revealed_fields(rating), "reason": reason},
    )
