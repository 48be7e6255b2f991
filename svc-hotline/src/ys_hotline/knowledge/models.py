"""Knowledge-base entries. ``search_tokens`` holds the bigram text indexed for search
(an FTS5 table on SQLite, a ``simple`` tsvector GIN index on PostgreSQL)."""

from datetime import datetime

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, VersionMixin
from ys_hotline.models import Base


class KnowledgeEntry(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "hotline_kb_entries"

    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    category_code: Mapped[str | None] = mapped_column(String(60), index=True)
    department: Mapped[str | None] = mapped_column(String(60))
    valid_from: Mapped[datetime | None]
    valid_to: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    search_tokens: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str | None] = mapped_column(String(120))
