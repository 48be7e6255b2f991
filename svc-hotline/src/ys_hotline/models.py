"""svc-hotline tables (its own database). Plumbing tables come from yingshang."""

from sqlalchemy.orm import DeclarativeBase

from yingshang.db import TYPE_MAP, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_MAP
