"""Who is who at the complaints center (ARCHITECTURE.md, "Auth and access"; DOMAIN.md).

* center staff = any position at COMPLAINTS_CENTER: they alone see the complainant's identity;
* oversight = the bureau and the committee: every case, identity masked; unmasking needs a
  recorded reason and is audited;
* a unit (the respondent body, or the responsible unit it was handed to) sees its cases only
  once assigned, redacted: no enterprise name, USCC, contact or identifying evidence unless
  the enterprise consented;
* an integration client (provincial platform) sees only the cases it pushed, masked;
* a person of the unit complained about or handling a case is that unit for the case,
  whatever other posts they hold (交叉挂职): the unit's view, none of the center's decisions
  on it, no unmasking.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from yingshang.auth import BUREAU, COMMITTEE, COMPLAINTS_CENTER, Position, Principal
from yingshang.cases.rules import Rule, describe_rule
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


def parties(case: ComplaintCase) -> set[str]:
    """The units a case is against or handled by: the respondent (被投诉单位) and the
    responsible unit once handed over. The center is never one: it holds every case until
    交办 (``department`` is the center then) and decides them all."""
    return {u for u in (case.respondent, case.department) if u and u != CENTER}


def is_party(principal: Principal, case: ComplaintCase) -> bool:
    """Holds any post at a unit the case is against or handled by (交叉挂职 included)."""
    return not principal.is_client and bool(principal.held_depts() & parties(case))


@dataclass(frozen=True)
class NotPartyTo:
    """``rule``, but never for a person of the unit the case is against or handled by: the
    center decides and reviews, the bureau unmasks — a cross-posted unit member does
    neither on its own unit's case (no one judges their own cause)."""

    rule: Rule[Any]

    def __call__(self, principal: Principal, case: ComplaintCase) -> Position | None:
        if is_party(principal, case):
            return None
        return self.rule(principal, case)

    def describe(self) -> str:
        return f"{describe_rule(self.rule)}, not of case.respondent|case.department"


def not_party_to(rule: Rule[Any]) -> NotPartyTo:
    return NotPartyTo(rule)


def may_see(principal: Principal, case: ComplaintCase) -> bool:
    if principal.is_client:
        return case.origin_client is not None and case.origin_client == principal.client_id
    return is_center(principal) or is_oversight(principal) or is_unit_of(principal, case)


def audience(principal: Principal, case: ComplaintCase) -> Audience:
    """The view a caller who may see ``case`` gets. A person of the unit complained about or
    handling the case gets the unit's view even when also posted to the center or the bureau
    (交叉挂职): no other post opens the complainant's identity to the respondent. Only
    :data:`Audience.CENTER` and :data:`Audience.MASKED` may unmask (``/identity``)."""
    if principal.is_client:
        return Audience.MASKED
    if not is_party(principal, case):
        if is_center(principal):
            return Audience.CENTER
        if is_oversight(principal):
            return Audience.MASKED
    return Audience.CONSENTED if case.disclose_to_respondent else Audience.REDACTED


UNMASKING = frozenset({Audience.CENTER, Audience.MASKED})


def may_unmask(principal: Principal, case: ComplaintCase) -> bool:
    """The center (which sees it anyway) and oversight, never a party to the case."""
    return not principal.is_client and audience(principal, case) in UNMASKING


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


def not_a_party(principal: Principal) -> ColumnElement[bool]:
    """The SQL form of ``not is_party``: an identity search by a center member cross-posted to
    a unit never finds that unit's cases (it would name who complains about it)."""
    depts = sorted(principal.held_depts() - {CENTER})
    if principal.is_client or not depts:
        return true()
    return and_(
        or_(ComplaintCase.respondent.is_(None), ComplaintCase.respondent.not_in(depts)),
        ComplaintCase.department.not_in(depts),
    )
