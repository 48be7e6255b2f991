"""Who is who at the complaints center (ARCHITECTURE.md, "Auth and access"; DOMAIN.md).

* the handling center of a case (:func:`handling_center`) takes the center's part of it: its
  decisions and steps, and the complainant's identity in full (personal data reads audited).
  It is the center (center staff = any position at COMPLAINTS_CENTER) for every case but one
  against the center itself (respondent COMPLAINTS_CENTER, e.g. the center sat on a
  complaint): the bureau takes the center's part of that one, and the center is a party to
  it like any respondent — the rule follows the case's current respondent (named or changed
  at 受理);
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

from sqlalchemy import ColumnElement, and_, false, literal, not_, or_, true
from sqlalchemy import case as when

from yingshang.auth import BUREAU, COMMITTEE, COMPLAINTS_CENTER, Position, Principal
from yingshang.cases.rules import Rule, SystemPrincipal, describe_rule, first_position
from ys_complaints.cases.models import ComplaintCase

CENTER = COMPLAINTS_CENTER
OVERSIGHT = (BUREAU, COMMITTEE)
DECIDERS = ("staff", "head")  # 受理决定, 交办, 审核: not the front-line clerk alone
WRITE_SCOPE = "complaints:write"  # the provincial platform pushes complaints with it
# Who takes the center's part of a case against one of these respondents: no one judges their
# own cause, so a complaint about the center itself is decided by the bureau (营商局), which
# the center answers to. Every other case is the center's.
HANDLERS_BY_RESPONDENT: dict[str, str] = {CENTER: BUREAU}
HANDLING_BODIES = frozenset({CENTER, *HANDLERS_BY_RESPONDENT.values()})


class Audience(StrEnum):
    """How much of a complainant's identity a caller may see."""

    CENTER = "center"  # everything (personal data reads audited): the handling center
    MASKED = "masked"  # oversight and clients: masked; unmask with a reason
    REDACTED = "redacted"  # the respondent / responsible unit: nothing identifying
    CONSENTED = "consented"  # a unit, where the enterprise consented to disclosure


def handling_center(case: ComplaintCase) -> str:
    """The body that takes the center's part of ``case`` (its decisions, steps, clocks and
    the complainant's identity): the center, or the bureau for a case against the center.
    Follows the case's current respondent."""
    return HANDLERS_BY_RESPONDENT.get(case.respondent or "", CENTER)


def _handling_center_sql() -> ColumnElement[str]:
    """The SQL form of :func:`handling_center`."""
    by_respondent = ((ComplaintCase.respondent == r, h) for r, h in HANDLERS_BY_RESPONDENT.items())
    return when(*by_respondent, else_=literal(CENTER))


def is_center(principal: Principal) -> bool:
    return not principal.is_client and principal.has(None, CENTER)


def is_oversight(principal: Principal) -> bool:
    return not principal.is_client and any(principal.has(None, d) for d in OVERSIGHT)


def is_handler(principal: Principal, case: ComplaintCase) -> bool:
    """Holds a post at the case's handling center (party or not: see :func:`audience`)."""
    return not principal.is_client and principal.has(None, handling_center(case))


def is_unit_of(principal: Principal, case: ComplaintCase) -> bool:
    """Staff of the respondent or of the responsible unit, once the case was assigned."""
    if principal.is_client or case.assigned_at is None:
        return False
    return bool(principal.depts() & {case.department, case.respondent})


def parties(case: ComplaintCase) -> set[str]:
    """The units a case is against or handled by: the respondent (被投诉单位) and the
    responsible unit once handed over. The handling center is never one: it holds every case
    until 交办 (``department`` is the center then) and decides it — but the center is a party
    to a case against itself, which the bureau handles."""
    handler = handling_center(case)
    return {u for u in (case.respondent, case.department) if u and u != handler}


def is_party(principal: Principal, case: ComplaintCase) -> bool:
    """Holds any post at a unit the case is against or handled by (交叉挂职 included)."""
    return not principal.is_client and bool(principal.held_depts() & parties(case))


@dataclass(frozen=True)
class AtHandlingCenter:
    """Staff holding one of ``roles`` at the case's handling center (:func:`handling_center`):
    the center's people, or the bureau's on a case against the center."""

    roles: tuple[str, ...]

    def __call__(self, principal: Principal, case: ComplaintCase) -> Position | None:
        if principal.is_client or isinstance(principal, SystemPrincipal):
            return None
        return first_position(principal, self.roles, (handling_center(case),))

    def describe(self) -> str:
        handed = ", ".join(
            f"{h} if case.respondent is {r}" for r, h in HANDLERS_BY_RESPONDENT.items()
        )
        return f"{'|'.join(self.roles)} @ the handling center ({CENTER}; {handed})"


def at_handling_center(*roles: str) -> AtHandlingCenter:
    return AtHandlingCenter(roles)


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
    return is_handler(principal, case) or is_oversight(principal) or is_unit_of(principal, case)


def audience(principal: Principal, case: ComplaintCase) -> Audience:
    """The view a caller who may see ``case`` gets. A person of the unit complained about or
    handling the case gets the unit's view even when also posted to the center or the bureau
    (交叉挂职): no other post opens the complainant's identity to the respondent — on a case
    against the center, the center's people get the respondent's view and the bureau's the
    center's. Only :data:`Audience.CENTER` and :data:`Audience.MASKED` may unmask
    (``/identity``)."""
    if principal.is_client:
        return Audience.MASKED
    if not is_party(principal, case):
        if is_handler(principal, case):
            return Audience.CENTER
        if is_oversight(principal):
            return Audience.MASKED
    return Audience.CONSENTED if case.disclose_to_respondent else Audience.REDACTED


UNMASKING = frozenset({Audience.CENTER, Audience.MASKED})


def may_unmask(principal: Principal, case: ComplaintCase) -> bool:
    """The handling center (which sees it anyway) and oversight, never a party to the case."""
    return not principal.is_client and audience(principal, case) in UNMASKING


def visible(principal: Principal) -> ColumnElement[bool]:
    """The SQL form of :func:`may_see` for lists and exports."""
    if principal.is_client:
        if not principal.client_id:
            return false()
        return ComplaintCase.origin_client == principal.client_id
    if is_oversight(principal):
        return true()
    depts = sorted(principal.depts())
    return or_(
        _handling_center_sql().in_(depts),
        and_(
            ComplaintCase.assigned_at.is_not(None),
            or_(ComplaintCase.department.in_(depts), ComplaintCase.respondent.in_(depts)),
        ),
    )


def sees_identity(principal: Principal) -> bool:
    """May search and sort by the complainant's identity (USCC, name, phone, free text): a
    person of a body that handles cases, over the cases it sees as the center
    (:func:`seen_as_center`)."""
    return not principal.is_client and bool(principal.depts() & HANDLING_BODIES)


def seen_as_center(principal: Principal) -> ColumnElement[bool]:
    """The SQL form of ``audience(principal, case) is Audience.CENTER`` (not for clients): an
    identity search finds only the cases the caller handles and is no party to — never a
    case about a unit the caller belongs to, the center's people never one against the
    center (it would name who complains about them)."""
    c, handler = ComplaintCase, _handling_center_sql()
    depts = sorted(principal.held_depts())
    party = or_(
        and_(c.respondent.is_not(None), c.respondent.in_(depts), c.respondent != handler),
        and_(c.department.in_(depts), c.department != handler),
    )
    return and_(handler.in_(sorted(principal.depts())), not_(party))
