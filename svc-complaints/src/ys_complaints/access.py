"""Who is who at the complaints center (ARCHITECTURE.md, "Auth and access"; DOMAIN.md).

* center staff = any position at COMPLAINTS_CENTER: they alone see the complainant's identity;
* oversight = the bureau and the committee: every case, identity masked; unmasking needs a
  recorded reason and is audited;
* a unit (the respondent body, or the responsible unit it was handed to) sees its cases only
  once assigned, redacted: no enterprise name, USCC, contact or identifying evidence unless
  the enterprise consented;
* an integration client (provincial platform) sees only the cases it pushed, masked.
"""

from enum import StrEnum

from sqlalchemy import ColumnElement, and_, false, or_, true

from yingshang.auth import BUREAU, COMMITTEE, COMPLAINTS_CENTER, Principal
from ys_complaints.cases.models import ComplaintCase

CENTER = COMPLAINTS_CENTER
OVERSIGHT = (BUREAU, COMMITTEE)
DECIDERS = ("staff", "head")  # 受理决定, 交办, 审核: not the front-line clerk alone
WRITE_SCOPE = "complaints:write"  # the provincial platform pushes complaints with it


class Audience(StrEnum):
    """How much of a complainant's identity a caller may see."""

    CENTER = "center"  # everything (personal data reads audited)
    MASKED = "masked"  # oversight and clients: masked; unmask with a reason
    REDACTED = "redacted"  # the respondent / responsible unit: nothing identifying
    CONSENTED = "consented"  # a unit, where the enterprise consented to disclosure


def is_center(principal: Principal) -> bool:
    return not principal.is_client and principal.has(None, CENTER)


def is_oversight(principal: Principal) -> bool:
    return not principal.is_client and any(principal.has(None, d) for d in OVERSIGHT)


def is_unit_of(principal: Principal, case: ComplaintCase) -> bool:
    """Staff of the respondent or of the responsible unit, once the case was assigned."""
    if principal.is_client or case.assigned_at is None:
        return False
    return bool(principal.depts() & {case.department, case.respondent})


def may_see(principal: Principal, case: ComplaintCase) -> bool:
    if principal.is_client:
        return case.origin_client is not None and case.origin_client == principal.client_id
    return is_center(principal) or is_oversight(principal) or is_unit_of(principal, case)


def audience(principal: Principal, case: ComplaintCase) -> Audience:
    """The view a caller who may see ``case`` gets (center staff first: a person cross-posted
    to the center and a unit acts as center staff). A person of the unit complained about or
    handling the case gets the unit's view even when also posted to the bureau (交叉挂职):
    a bureau post never opens the complainant's identity to the respondent."""
    if is_center(principal):
        return Audience.CENTER
    units = {u for u in (case.respondent, case.department) if u}
    if principal.is_client or (is_oversight(principal) and not units & principal.depts()):
        return Audience.MASKED
    return Audience.CONSENTED if case.disclose_to_respondent else Audience.REDACTED


def visible(principal: Principal) -> ColumnElement[bool]:
    """The SQL form of :func:`may_see` for lists and exports."""
    if principal.is_client:
        if not principal.client_id:
            return false()
        return ComplaintCase.origin_client == principal.client_id
    if is_center(principal) or is_oversight(principal):
        return true()
    depts = sorted(principal.depts())
    return and_(
        ComplaintCase.assigned_at.is_not(None),
        or_(ComplaintCase.department.in_(depts), ComplaintCase.respondent.in_(depts)),
    )


def sees_identity(principal: Principal) -> bool:
    """May search and sort by the complainant's identity (USCC, name, phone, free text)."""
    return is_center(principal)
