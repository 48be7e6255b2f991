"""Bodies of the integrated-package endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ys_approvals.catalog.schemas import MAX_MATERIALS, ItemCodeRef, Material


class FeeWaiver(BaseModel):
    item_code: str = Field(min_length=1, max_length=40)
    waiver: str = Field(min_length=1, max_length=200)


class PackageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,39}$")
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=4000)
    lead_department: str = Field(min_length=1, max_length=40)
    item_codes: list[ItemCodeRef] = Field(min_length=2, max_length=30)
    committed_limit: int | None = Field(None, ge=1, le=3650)
    materials: list[Material] = Field(
        default_factory=list,
        max_length=MAX_MATERIALS,
        description="the package's one set (一表申请: its own form, and what replaces the "
        "items' papers); empty: the items' materials, each name once",
    )
    fee_waivers: list[FeeWaiver] = Field(default_factory=list, max_length=30)


class PackageUpdate(BaseModel):
    """A change of a package (BUREAU/admin): what is sent changes; every change is versioned.
    ``active: false`` retires it (no new applications), ``true`` offers it again."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=4000)
    lead_department: str | None = Field(None, min_length=1, max_length=40)
    item_codes: list[ItemCodeRef] | None = Field(None, min_length=2, max_length=30)
    committed_limit: int | None = Field(
        None,
        ge=1,
        le=3650,
        description="the package's own 承诺时限; null: back to the default (40% of the slowest "
        "item's statutory limit). Left out while the items change: a package on the default "
        "follows it, a package's own commitment stays",
    )
    materials: list[Material] | None = Field(None, max_length=MAX_MATERIALS)
    fee_waivers: list[FeeWaiver] | None = Field(None, max_length=30)
    active: bool | None = None

    @model_validator(mode="after")
    def _no_null_for_what_a_package_must_have(self) -> PackageUpdate:
        for name in ("name", "lead_department", "item_codes", "materials", "fee_waivers", "active"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name}: 可以不填，但不能为 null")
        return self


class PackageMaterial(Material):
    """A material of the package's one set (一次告知): asked once, however many items need it."""

    item_codes: list[str] = Field(
        default_factory=list,
        description="the package's items whose own lists name this material (none: the "
        "package's own, such as its one application form 一表申请)",
    )


class PackageItemOut(BaseModel):
    """One item (事项) of the package, decided by its department in parallel."""

    code: str
    name: str
    department: str


class PackageOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    description: str | None
    lead_department: str
    statutory_limit: int
    committed_limit: int
    departments: list[str]
    item_codes: list[str]
    items: list[PackageItemOut]
    materials: list[PackageMaterial] = Field(
        description="the one set asked at intake: the set the package lists, or else every "
        "material of its items, each name once"
    )
    own_materials: bool = Field(
        description="whether the package lists its own set (else its items' materials, merged)"
    )
    fee_waivers: list[FeeWaiver]
    active: bool
    version: int
    updated_at: datetime
