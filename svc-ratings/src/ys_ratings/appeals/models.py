"""Appeals. An upheld appeal excludes the rating from statistics; nothing is deleted."""

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin, VersionMixin
from ys_ratings.models import Base

PENDING, UPHELD, REJECTED = "pending", "upheld", "rejected"


class Appeal(IdMixin, VersionMixin, Base):
    __tablename__ = "ratings_appeals"
    __table_args__ = (
        # At most one pending appeal per rating.
        Index(
            "uq_ratings_appeals_pending",
            "rating_id",
            unique=True,
            sqlite_where=text("state = 'pending'"),
            postgresql_where=text("state = 'pending'"),
        ),
        Index("ix_ratings_appeals_filed", "filed_at", "id"),
    )

    rating_id: Mapped[uuid.UUID] = mapped_column(Uuid(), index=True)
    department: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(20), default=PENDING)
    reason: Mapped[str] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(120))
    filed_by_name: Mapped[str | None] = mapped_column(String(120))
    filed_at: Mapped[datetime] = mapped_column(default=now)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_note: Mapped[str | None] = mapped_column(Text)
