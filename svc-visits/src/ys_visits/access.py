"""Who is who for the enterprise service center (ARCHITECTURE.md, "Auth and access").

* the center (非公有制经济服务中心) = any position at ENTERPRISE_CENTER: runs the registry, the
  pairings, the hand-off (交办) of problems and the enterprise's confirmation (销号);
* oversight = the bureau and the committee: see everything; the bureau may close a problem
  without the enterprise's confirmation, giving a reason (override);
* a department sees the pairings it answers for and the problems handed to it;
* a leader (by 工号) sees their own pairings and visits, and checks in to their duty sittings;
* the bureau keeps the indicators (指标长) and records the joint meetings (联席会议), whose
  decisions it hands to departments; any staff reads both.
"""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import InstrumentedAttribute

from yingshang.auth import BUREAU, COMMITTEE, ENTERPRISE_CENTER, HALL, Principal, staff
from yingshang.problems import Forbidden

CENTER = ENTERPRISE_CENTER
OVERSIGHT = (BUREAU, COMMITTEE)
MANAGER_ROLES = ("staff", "head", "admin")  # 交办, pairings: not a front-line clerk alone

# Route-level declarations (object-level checks follow in the services).
REGISTRARS = staff(depts=[CENTER, BUREAU])  # enterprise registry, problems raised directly
MANAGERS = staff(*MANAGER_ROLES, depts=[CENTER, BUREAU])  # pairings
SCHEDULERS = staff(*MANAGER_ROLES, depts=[CENTER, BUREAU, HALL])  # duty schedule
UNMASKERS = staff(depts=[CENTER, *OVERSIGHT])  # enterprise contacts, with a reason
ANALYSTS = staff(depts=[CENTER, *OVERSIGHT])  # statistics
STEERING = staff(*MANAGER_ROLES, depts=[BUREAU])  # indicators, joint meetings
ANY_STAFF = staff()


def is_center(principal: Principal) -> bool:
    return not principal.is_client and principal.has(None, CENTER)


def is_oversight(principal: Principal) -> bool:
    return not principal.is_client and any(principal.has(None, d) for d in OVERSIGHT)


def steers(principal: Principal) -> bool:
    """The bureau's staff, head or admin (``STEERING``), as an object-level check."""
    return not principal.is_client and principal.has(MANAGER_ROLES, BUREAU)


def sees_all(principal: Principal) -> bool:
    return is_center(principal) or is_oversight(principal)


def is_leader(principal: Principal, staff_no: str | None) -> bool:
    """The leader named on a pairing or sitting, recognised by 工号 (staff number)."""
    return bool(staff_no) and not principal.is_client and principal.staff_no == staff_no


def in_depts(principal: Principal, dept: str | None) -> bool:
    return dept is not None and not principal.is_client and dept in principal.depts()


def scoped(
    principal: Principal,
    dept_col: InstrumentedAttribute[str | None] | InstrumentedAttribute[str],
    extra: Iterable[ColumnElement[bool]] = (),
) -> ColumnElement[bool]:
    """SQL filter: everything for the center and oversight, else the caller's departments
    (plus ``extra`` conditions, e.g. the caller's own pairings as a leader)."""
    if principal.is_client:
        return false()
    if sees_all(principal):
        return true()
    return or_(dept_col.in_(sorted(principal.depts())), *extra)


def refuse_own_unit(principal: Principal, dept: str | None, what: str, code: str) -> None:
    """403 for a person of ``dept`` whatever other post they hold (交叉挂职): the bureau's
    second pair of eyes is never the unit's own (``what`` says what it may not do)."""
    if dept and dept in principal.held_depts():
        raise Forbidden(what, code=code)
