"""Invitations: created from ``*.completed`` events; the token is stored only as a hash."""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, SmallInteger, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin
from ys_ratings.models import Base


class Invitation(IdMixin, Base):
    __tablename__ = "ratings_invitations"
    __table_args__ = (
        # One invitation per evaluation node (受理/办结) per 办件 (国办发〔2019〕51号).
        UniqueConstraint("service", "case_id", "node", name="uq_ratings_invitations_case_node"),
        Index("ix_ratings_invitations_open", "used_at", "completed_at"),
    )

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    service: Mapped[str] = mapped_column(String(40))
    case_kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    case_number: Mapped[str] = mapped_column(String(80))
    node: Mapped[str] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(60))
    item_code: Mapped[str | None] = mapped_column(String(64))
    item_name: Mapped[str | None] = mapped_column(String(200))
    window: Mapped[str | None] = mapped_column(String(60))
    staff_no: Mapped[str | None] = mapped_column(String(40))
    service_channel: Mapped[str] = mapped_column(String(30))
    rater_type: Mapped[str] = mapped_column(String(20))
    origin_client: Mapped[str | None] = mapped_column(String(120))
    completed_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    rating_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    event_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now)


class RatingPolicy(Base):
    """Rating rules as data: invitation lifetime and the default rating (默认评价)."""

    __tablename__ = "ratings_policies"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    natural_days: Mapped[int] = mapped_column(Integer)
    level: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    updated_by: Mapped[str | None] = mapped_column(String(120))
