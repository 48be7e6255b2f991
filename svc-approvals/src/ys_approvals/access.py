"""Who may see and act on an application (object-level authorization).

* the front office (前台: the hall that took it in — HALL or a town's hall) handles intake,
  受理, delivery and 办结; its clerks act for their windows;
* the responsible departments (后台) review and decide their own items' parts;
* the bureau and the committee oversee every application (personal data masked);
* an integration client sees only the applications it submitted.
Anything else answers 404: an application you may not see does not exist for you.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, select, true

from yingshang.auth import BUREAU, COMMITTEE, Principal
from ys_approvals.applications.models import Application, ApplicationPart

OVERSIGHT = (BUREAU, COMMITTEE)


def oversees(principal: Principal) -> bool:
    """The bureau and the committee. System administration (``admin``) is no oversight: an
    admin posted at a department sees that department's applications like its staff."""
    return not principal.is_client and any(principal.has(None, d) for d in OVERSIGHT)


def front_office(principal: Principal, app: Application) -> bool:
    """Staff of the hall that took the application in."""
    return not principal.is_client and principal.has(None, app.front_office)


def handles(principal: Principal, departments: set[str]) -> bool:
    """Staff of one of the departments deciding the application."""
    return not principal.is_client and bool(principal.depts() & departments)


def may_see(principal: Principal, app: Application, departments: set[str]) -> bool:
    if principal.is_client:
        return app.origin_client is not None and app.origin_client == principal.client_id
    return oversees(principal) or front_office(principal, app) or handles(principal, departments)


def may_unmask(principal: Principal, app: Application, departments: set[str]) -> bool:
    """Those who must contact the applicant or post the licence see the full phone, ID number
    and postal address (audited)."""
    return front_office(principal, app) or handles(principal, departments)


def visible(principal: Principal) -> ColumnElement[bool]:
    """The SQL form of :func:`may_see` for lists."""
    if principal.is_client:
        if not principal.client_id:
            return false()
        return Application.origin_client == principal.client_id
    if oversees(principal):
        return true()
    depts = sorted(principal.depts())
    part_in_dept = exists(
        select(ApplicationPart.id).where(
            ApplicationPart.application_id == Application.id,
            ApplicationPart.department.in_(depts),
        )
    )
    return or_(Application.front_office.in_(depts), Application.department.in_(depts), part_in_dept)
