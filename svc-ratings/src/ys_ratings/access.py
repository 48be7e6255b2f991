"""Who may see what in svc-ratings.

* The ratings center (好差评中心, a unit under the bureau) runs ratings: callbacks, classification,
  rater identity. Its staff are positions at ``RATINGS_CENTER`` when ``county.yaml`` declares
  that unit; otherwise the bureau's ``clerk``/``staff`` positions act for ratings. Settings
  (``YS_RATINGS_CENTER_DEPT`` / ``YS_RATINGS_CENTER_ROLES``) override both.
* Overseers (the bureau, the committee, the ratings center) see every department.
* Anyone else sees only the departments where they hold a position; an object of another
  department answers 404. The hall (政务服务中心; a town for its 便民服务中心) manages the
  windows and the clerks it seats: its head and staff (:data:`HALL_ROLES`) also see every
  rating, and every rectification, that names one of its windows (``hall_department``), whichever
  department owns the matter — and nothing else of that department.
* The rater's identity is shown to the ratings center only; overseers may unmask it with a
  reason (audited); the rated department never sees it (DOMAIN.md, Ratings).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Protocol

import yaml
from fastapi import Depends, Request
from sqlalchemy import ColumnElement, or_

from yingshang.auth import BUREAU, COMMITTEE, ROLES, CurrentPrincipal, Principal
from yingshang.problems import NotFound

RATINGS_CENTER = "RATINGS_CENTER"
FALLBACK_ROLES = ("clerk", "staff")
# The hall's management reads and co-handles its windows' ratings; a window clerk (``clerk``)
# is the one rated, not the one who reads the colleagues' ratings.
HALL_ROLES = ("head", "staff")


class Rated(Protocol):
    """A rating or a rectification: the matter's department and the hall whose window it names."""

    department: str
    hall_department: str | None


def rated_units(row: Rated) -> tuple[str, ...]:
    """The units that answer for a rating: the matter's department, and the hall's unit when
    the rating names a hall window (好差评 on every window and person is the hall's)."""
    return (row.department, row.hall_department) if row.hall_department else (row.department,)


@dataclass(frozen=True)
class RatingsCenter:
    dept: str
    roles: tuple[str, ...]

    def includes(self, principal: Principal) -> bool:
        return not principal.is_client and principal.has(self.roles, self.dept)


def declared_departments(county_file: Path) -> set[str]:
    """Department codes of ``county.yaml`` (empty when the file is absent)."""
    if not county_file.exists():
        return set()
    document = yaml.safe_load(county_file.read_text(encoding="utf-8")) or {}
    return {str(d["code"]) for d in document.get("departments") or [] if "code" in d}


def resolve_center(
    county_file: Path, dept: str | None = None, roles: list[str] | None = None
) -> RatingsCenter:
    """The ratings center's positions (explicit settings win; see the module docstring)."""
    if dept is None:
        dept = RATINGS_CENTER if RATINGS_CENTER in declared_departments(county_file) else BUREAU
    if roles is None:
        roles = list(ROLES) if dept != BUREAU else list(FALLBACK_ROLES)
    return RatingsCenter(dept, tuple(roles))


@dataclass(frozen=True)
class Viewer:
    """A principal as svc-ratings sees it."""

    principal: Principal
    center: RatingsCenter

    @property
    def is_center(self) -> bool:
        return self.center.includes(self.principal)

    @property
    def is_overseer(self) -> bool:
        p = self.principal
        return self.is_center or (
            not p.is_client and (p.has(None, BUREAU) or p.has(None, COMMITTEE))
        )

    @property
    def may_unmask(self) -> bool:
        """Overseers outside the center may unmask with a reason (see :meth:`may_unmask_for`)."""
        return self.is_overseer and not self.is_center

    def may_unmask_for(self, *units: str) -> bool:
        """The center, or an overseer who holds no post in a rated unit: the rated party never
        learns who rated it, whatever other posts it holds (交叉挂职)."""
        return self.is_center or (self.may_unmask and not self.acts_for(*units))

    def rated_party(self, *units: str) -> bool:
        """Sees the rating as a rated unit: no part of the rater's identity."""
        return not self.is_center and self.acts_for(*units)

    def departments(self) -> set[str] | None:
        """Departments this viewer may see (None: all)."""
        if self.is_overseer or self.principal.is_client:
            return None
        return self.principal.depts()

    def halls(self) -> set[str]:
        """The units whose halls' window ratings this viewer reads as the hall's management."""
        return set() if self.principal.is_client else self.principal.depts(HALL_ROLES)

    def sees(self, department: str, hall_department: str | None = None) -> bool:
        depts = self.departments()
        return depts is None or department in depts or hall_department in self.halls()

    def scope(self, department: Any, hall_department: Any) -> ColumnElement[bool] | None:
        """:meth:`sees` as a query condition on the two columns (None: everything)."""
        depts = self.departments()
        if depts is None:
            return None
        halls = self.halls()
        own = department.in_(sorted(depts))
        return or_(own, hall_department.in_(sorted(halls))) if halls else own

    def require(self, department: str, what: str = "object") -> None:
        """Object-level check: an object you may not see does not exist for you."""
        if not self.sees(department):
            raise NotFound("未找到，或无权查看")

    def acts_for(self, *units: str) -> bool:
        """Holds a post in a rated unit itself (not merely oversight), whichever post
        ``X-Acting-Position`` names: the rated party stays the rated party."""
        held = set() if self.principal.is_client else self.principal.held_depts()
        return not held.isdisjoint(units)


async def current_viewer(request: Request, principal: CurrentPrincipal) -> Viewer:
    return Viewer(principal, request.app.state.ratings_center)


ViewerDep = Annotated[Viewer, Depends(current_viewer)]
"""Route parameter: the caller with the county's ratings-center definition."""

# Route-level declarations (the service then checks each object).
OVERSIGHT_DEPTS = (BUREAU, COMMITTEE, RATINGS_CENTER)
MONTH_CLOSERS = (BUREAU, RATINGS_CENTER)
