"""An enterprise of the registry, identified by its unified social credit code (USCC)."""

from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.db import IdMixin, TimestampMixin, VersionMixin
from yingshang.sealing import SealedJSON
from ys_visits.models import Base

KIND = "enterprise"  # ETag kind
TAG_SEPARATOR = "|"


class Enterprise(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "visits_enterprises"
    __table_args__ = (
        Index("ix_visits_enterprises_created", "created_at", "id"),
        Index("ix_visits_enterprises_park", "park", "scale"),
    )

    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    industry: Mapped[str] = mapped_column(String(60))
    park: Mapped[str | None] = mapped_column(String(100))  # e.g. 彰教工业园区
    scale: Mapped[str] = mapped_column(String(20))  # above_scale 规上 | above_limit 限上 | other
    address: Mapped[str | None] = mapped_column(String(300))
    # "|龙头企业|配套企业|": searchable with LIKE on every database, shown as a list.
    tags_text: Mapped[str] = mapped_column(String(400), default="")
    # [{name, title, phone}]; the first is the contact the center calls. Phones are personal
    # data: masked in responses, unmasked only with a reason (audited), and the list sealed
    # whole at rest (names and phones; read whole, never searched in SQL).
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(SealedJSON("visits", "contacts"))
    created_by: Mapped[str] = mapped_column(String(120))

    @property
    def tags(self) -> list[str]:
        return [t for t in self.tags_text.split(TAG_SEPARATOR) if t]

    @tags.setter
    def tags(self, values: list[str]) -> None:
        unique = list(dict.fromkeys(values))
        self.tags_text = TAG_SEPARATOR.join(["", *unique, ""]) if unique else ""

    def primary_phone(self) -> str | None:
        for contact in self.contacts or []:
            phone = contact.get("phone")
            if phone:
                return str(phone)
        return None
