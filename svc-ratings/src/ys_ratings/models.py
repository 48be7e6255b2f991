"""svc-ratings tables (its own database). Plumbing tables come from yingshang."""

from sqlalchemy.orm import DeclarativeBase

from yingshang.db import TYPE_MAP, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_MAP


def load_models() -> None:
    """Import every domain model so ``Base.metadata`` is complete (migrations env, tests)."""
    import ys_ratings.appeals.models
    import ys_ratings.bulletin.models
    import ys_ratings.directory.models
    import ys_ratings.indicators.models
    import ys_ratings.invitations.models
    import ys_ratings.oversight.models
    import ys_ratings.ratings.models
    import ys_ratings.rectifications.models  # noqa: F401
