"""svc-approvals tables (its own database). Plumbing tables come from yingshang.

Domain models live in their packages (``catalog.models``, ``applications.models`` ...) and all
derive from :class:`Base`; :mod:`ys_approvals.tables` imports every one of them so the metadata
seen by migrations and tests is complete.
"""

from sqlalchemy.orm import DeclarativeBase

from yingshang.db import TYPE_MAP, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_MAP
