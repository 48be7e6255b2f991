"""Request and response bodies of the catalog."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ys_approvals.catalog.models import Channel, CrossProvinceMode, HandlingKind, ItemType

# 申请材料: an item (or package) lists at most MAX_MATERIALS materials, each named in at most
# MATERIAL_NAME_MAX characters (a long name such as "法定代表人（负责人）身份证明及其委托代理人
# 身份证明" is 25). What an applicant hands in, or a clerk finds missing, is matched against
# these names exactly, so the same bounds apply there.
MAX_MATERIALS = 100
MATERIAL_NAME_MAX = 200
MaterialName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MATERIAL_NAME_MAX,
        description=f"name of a material (申请材料), 1-{MATERIAL_NAME_MAX} characters",
    ),
]
# 办理流程 step: one sentence or two ("窗口受理，审核材料并当场出具受理通知书").
STEP_MAX = 500
Step = Annotated[str, Field(min_length=1, max_length=STEP_MAX)]
# A fee in fen (分). 10^12 fen = 100 亿 yuan is beyond any administrative fee, and keeps the
# number exact in JSON clients (2^53) and inside SQLite's 64-bit integer.
FEE_CENTS_MAX = 10**12
# Item code as the catalogue takes it in lists (实施编码 is 31 characters; 40 as elsewhere).
ItemCodeRef = Annotated[str, Field(min_length=1, max_length=40)]
REGISTERS_ENTERPRISE = (
    "the item creates the legal person (企业设立登记): a legal-person applicant may apply "
    "without a 统一社会信用代码, which it has not been given yet"
)


class Material(BaseModel):
    """One required material (申请材料)."""

    name: MaterialName
    required: bool = True
    copies: int = Field(1, ge=0, le=20)
    original: bool = False  # 原件 needed for inspection
    note: str | None = Field(None, max_length=500)


class ItemFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    department: str = Field(min_length=1, max_length=40)
    item_type: ItemType
    handling_kind: HandlingKind = HandlingKind.promised
    statutory_limit: int = Field(ge=0, le=3650, description="法定时限, working days")
    committed_limit: int | None = Field(
        None, ge=0, le=3650, description="承诺时限; default 40% of statutory (min 1)"
    )
    trips_needed: int = Field(1, ge=0, le=1)
    fee_free: bool = True
    fee_cents: int = Field(0, ge=0, le=FEE_CENTS_MAX, description="fee in fen (分)")
    fee_basis: str | None = Field(None, max_length=1000)
    materials: list[Material] = Field(default_factory=list, max_length=MAX_MATERIALS)
    steps: list[Step] = Field(
        default_factory=list, max_length=50, description=f"at most 50, each ≤ {STEP_MAX} chars"
    )
    online_depth: int = Field(1, ge=1, le=4)
    channels: list[Channel] = Field(default_factory=lambda: [Channel.window], max_length=4)
    cross_province_mode: CrossProvinceMode | None = None
    contact_phone: str | None = Field(None, max_length=40)
    supervision_phone: str | None = Field(None, max_length=40)
    registers_enterprise: bool = Field(False, description=REGISTERS_ENTERPRISE)


class ItemCreate(ItemFields):
    code: str = Field(min_length=31, max_length=31, description="实施编码 (31 chars)")


NULLABLE_ON_UPDATE = frozenset(
    {"committed_limit", "fee_basis", "cross_province_mode", "contact_phone", "supervision_phone"}
)


class ItemUpdate(BaseModel):
    """Partial update; every change is versioned (history kept)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    item_type: ItemType | None = None
    handling_kind: HandlingKind | None = None
    statutory_limit: int | None = Field(None, ge=0, le=3650)
    committed_limit: int | None = Field(
        None,
        ge=0,
        le=3650,
        description="the item's own 承诺时限; null: back to the default (40% of statutory). "
        "Left out while statutory_limit changes: an item on the default follows it, an item's "
        "own commitment stays",
    )
    trips_needed: int | None = Field(None, ge=0, le=1)
    fee_free: bool | None = None
    fee_cents: int | None = Field(None, ge=0, le=FEE_CENTS_MAX)
    fee_basis: str | None = Field(None, max_length=1000)
    materials: list[Material] | None = Field(None, max_length=MAX_MATERIALS)
    steps: list[Step] | None = Field(None, max_length=50)
    online_depth: int | None = Field(None, ge=1, le=4)
    channels: list[Channel] | None = Field(None, max_length=4)
    cross_province_mode: CrossProvinceMode | None = None
    contact_phone: str | None = Field(None, max_length=40)
    supervision_phone: str | None = Field(None, max_length=40)
    registers_enterprise: bool | None = Field(None, description=REGISTERS_ENTERPRISE)
    active: bool | None = None

    @model_validator(mode="after")
    def _no_null_for_what_an_item_must_have(self) -> ItemUpdate:
        """Null clears only what an item may lack (fee basis, phones, cross-province mode) or
        sets back to its default (committed limit); the rest may be left out, not nulled."""
        for name in sorted(self.model_fields_set - NULLABLE_ON_UPDATE):
            if getattr(self, name) is None:
                raise ValueError(f"{name}: 可以不填，但不能为 null")
        return self


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    department: str
    item_type: str
    handling_kind: str
    statutory_limit: int
    committed_limit: int
    compression: float = Field(description="1 - committed/statutory (承诺压缩比)")
    trips_needed: int
    fee_free: bool
    fee_cents: int
    fee_basis: str | None
    materials: list[Material]
    steps: list[str]
    online_depth: int
    channels: list[str]
    cross_province_mode: str | None
    contact_phone: str | None
    supervision_phone: str | None
    registers_enterprise: bool = Field(description=REGISTERS_ENTERPRISE)
    active: bool
    version: int
    updated_at: datetime


class RevisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    change: str
    changed_by: str
    changed_at: datetime
    snapshot: dict[str, object]
