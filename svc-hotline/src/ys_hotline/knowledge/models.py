"""Knowledge-base entries. ``search_tokens`` holds the bigram text indexed for search
(an FTS5 table on SQLite, a ``simple`` tsvector GIN index on PostgreSQL)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ColumnElement, Index, String, Text, and_, or_
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import IdMixin, TimestampMixin, VersionMixin
from ys_hotline.models import Base


class EntryStatus(StrEnum):
    """Where an entry stands at an instant. Search and direct answers use ``valid`` only."""

    VALID = "valid"  # 有效: active, inside its validity window
    PENDING = "pending"  # 未生效: active, valid_from still ahead
    EXPIRED = "expired"  # 已过期: active, valid_to reached
    RETIRED = "retired"  # 已停用: retired by hand (DELETE), whatever its window


class KnowledgeEntry(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "hotline_kb_entries"
    # The management listing pages newest first (yingshang.cases.pagination).
    __table_args__ = (Index("ix_hotline_kb_entries_created", "created_at", "id"),)

    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    category_code: Mapped[str | None] = mapped_column(String(60), index=True)
    department: Mapped[str | None] = mapped_column(String(60))
    valid_from: Mapped[datetime | None]
    valid_to: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    search_tokens: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str | None] = mapped_column(String(120))

    def status_at(self, at: datetime) -> EntryStatus:
        """The entry's status at ``at``; :func:`status_clause` is the same rule in SQL."""
        if not self.active:
            return EntryStatus.RETIRED
        if self.valid_from is not None and self.valid_from > at:
            return EntryStatus.PENDING
        if self.valid_to is not None and self.valid_to <= at:
            return EntryStatus.EXPIRED
        return EntryStatus.VALID

    @property
    def status(self) -> EntryStatus:
        """Where the entry stands now (``EntryOut.status``)."""
        return self.status_at(now())


def status_clause(status: EntryStatus, at: datetime) -> ColumnElement[bool]:
    """SQL for "the entry has ``status`` at ``at``" (the rule of ``KnowledgeEntry.status_at``;
    ``valid_to`` is after ``valid_from`` (EntryIn), so an expired entry is never pending)."""
    e = KnowledgeEntry
    if status is EntryStatus.RETIRED:
        return e.active.is_(False)
    if status is EntryStatus.PENDING:
        return and_(e.active.is_(True), e.valid_from > at)
    if status is EntryStatus.EXPIRED:
        return and_(e.active.is_(True), e.valid_to <= at)
    return and_(
        e.active.is_(True),
        or_(e.valid_from.is_(None), e.valid_from <= at),
        or_(e.valid_to.is_(None), e.valid_to > at),
    )
