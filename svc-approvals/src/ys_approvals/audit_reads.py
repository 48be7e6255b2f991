"""Audit of unmasked reads of applicants' personal data (GB/T 35273; DOMAIN.md)."""

from __future__ import annotations

from fastapi import Request

from yingshang.auth import Principal
from ys_approvals.applications.models import CASE_KIND, Application


async def audit_unmasked(
    request: Request, principal: Principal, app: Application, fields: list[str]
) -> None:
    from yingshang import audit

    await audit.record_unmasked_read(
        request.app.state.db, principal, (CASE_KIND, str(app.id)), fields
    )
