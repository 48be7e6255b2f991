"""Request and response bodies of the enterprise registry."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yingshang.validators import USCC, Phone

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20,
                                       pattern=r"^[^|]+$")]  # fmt: skip


class Scale(StrEnum):
    ABOVE_SCALE = "above_scale"  # 规模以上工业企业 (规上)
    ABOVE_LIMIT = "above_limit"  # 限额以上批零住餐企业 (限上)
    OTHER = "other"


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
    title: str | None = Field(None, max_length=50, description="e.g. 总经理, 办公室主任")
    phone: Phone


# A phone as a read masked it (``138****5678``, ``0851-****8888``): sent back in an edit, it
# keeps the number the registry holds for it, so a contact list is edited without revealing it.
MaskedPhone = Annotated[str, StringConstraints(pattern=r"^[0-9-]*\*+[0-9-]*$", max_length=30)]


class ContactEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
    title: str | None = Field(None, max_length=50, description="e.g. 总经理, 办公室主任")
    phone: Phone | MaskedPhone = Field(
        description="a new number, or the number masked as a read showed it: the stored one is kept"
    )


class ContactOut(BaseModel):
    name: str
    title: str | None = None
    phone: str = Field(description="masked unless read through /contacts with a reason")


class EnterpriseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, StringConstraints(max_length=200)]
    uscc: USCC
    industry: Annotated[Text, StringConstraints(max_length=60)]
    park: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    scale: Scale = Scale.OTHER
    address: str | None = Field(None, max_length=300)
    tags: list[Tag] = Field(default_factory=list, max_length=10, examples=[["龙头企业"]])
    contacts: list[ContactIn] = Field(default_factory=list, max_length=10)


class EnterprisePatch(BaseModel):
    """What may change; the USCC identifies the enterprise and never changes."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, StringConstraints(max_length=200)] | None = None
    industry: Annotated[Text, StringConstraints(max_length=60)] | None = None
    park: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    scale: Scale | None = None
    address: str | None = Field(None, max_length=300)
    tags: list[Tag] | None = Field(None, max_length=10)
    contacts: list[ContactEdit] | None = Field(
        None, max_length=10, description="the whole list; a phone sent back masked is kept"
    )


class EnterpriseOut(BaseModel):
    id: uuid.UUID
    name: str
    uscc: str
    industry: str
    park: str | None
    scale: Scale
    address: str | None
    tags: list[str]
    contacts: list[ContactOut]
    created_at: datetime
    updated_at: datetime
    version: int


class EnterprisePage(BaseModel):
    items: list[EnterpriseOut]
    next_cursor: str | None = None


class ContactsOut(BaseModel):
    enterprise_id: uuid.UUID
    contacts: list[ContactOut]
