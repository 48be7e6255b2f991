"""svc-visits tables (its own database). Plumbing tables come from yingshang."""

from sqlalchemy.orm import DeclarativeBase

from yingshang.db import TYPE_MAP, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_MAP


def load_models() -> None:
    """Import every domain model so ``Base.metadata`` is complete (migrations env, tests)."""
    import ys_visits.directory.models
    import ys_visits.duty.models
    import ys_visits.enterprises.models
    import ys_visits.indicators.models
    import ys_visits.meetings.models
    import ys_visits.pairings.models
    import ys_visits.problems.models
    import ys_visits.visits.models  # noqa: F401
