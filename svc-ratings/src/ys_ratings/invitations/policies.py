"""Rating policies as rows (DOMAIN.md: *defaults* are data an admin can change)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ys_ratings.invitations.models import RatingPolicy

INVITATION_EXPIRY = "invitation_expiry"
DEFAULT_RATING = "default_rating"

DEFAULTS: dict[str, dict[str, object]] = {
    # How long a rating link stays valid after the node completes.
    INVITATION_EXPIRY: {
        "enabled": True,
        "natural_days": 30,
        "level": None,
        "note": "评价链接有效期(自然日)",
    },
    # 默认评价: off by default; Guangdong's practice is 7 natural days → level 3.
    DEFAULT_RATING: {
        "enabled": False,
        "natural_days": 7,
        "level": 3,
        "note": "超期未评价的默认评价(默认关闭)",
    },
}


async def get_policy(session: AsyncSession, key: str) -> RatingPolicy:
    """The stored policy, or its documented default when not seeded yet."""
    row = await session.get(RatingPolicy, key)
    return row if row is not None else RatingPolicy(key=key, **DEFAULTS[key])


async def seed_policies(session: AsyncSession) -> int:
    added = 0
    for key, values in DEFAULTS.items():
        if await session.get(RatingPolicy, key) is None:
            session.add(RatingPolicy(key=key, updated_by="seed", **values))
            added += 1
    await session.flush()
    return added
