"""Confidentiality of the complainant (DOMAIN.md: anti-retaliation).

Outside the center, the enterprise's identity is masked (oversight) or absent (the respondent
and the responsible unit). Free text is not trusted to be clean: the facts, notes and timeline
notes a non-center reader receives have every form of the enterprise's name, its USCC, the
contact's name and phone replaced by ``[已隐去]`` before they leave the service
(:mod:`yingshang.redaction`).
"""

from yingshang.masking import mask, mask_name, mask_phone, mask_uscc
from yingshang.redaction import Redactor
from ys_complaints.access import Audience
from ys_complaints.cases.models import ComplaintCase
from ys_complaints.cases.schemas import EnterpriseOut


def redactor(case: ComplaintCase, audience: Audience) -> Redactor:
    """What of the complainant's identity leaves ``case``'s free text for ``audience``: none
    for the center; the contact's phone for the enterprise's consent; else the enterprise's
    name in every form, its USCC, the contact's name and phone."""
    if audience is Audience.CENTER:
        return Redactor()
    if audience is Audience.CONSENTED:
        return Redactor.hiding(phones=[case.contact_phone])
    return Redactor.hiding(
        enterprises=[case.enterprise_name],
        terms=[case.enterprise_uscc, case.contact_name],
        phones=[case.contact_phone],
    )


def mask_enterprise_name(name: str) -> str:
    """``凤冈县绿源茶业有限公司`` → ``凤冈*******公司``: enough to tell cases apart."""
    return mask(name, 2, 2)


def enterprise_view(
    case: ComplaintCase, audience: Audience, *, full_contact: bool
) -> EnterpriseOut | None:
    """The identity block of a case for ``audience`` (``None``: nothing to show)."""
    if not case.real_name or audience is Audience.REDACTED:
        return None
    name, uscc = case.enterprise_name, case.enterprise_uscc
    contact, phone = case.contact_name, case.contact_phone
    if audience is Audience.MASKED:
        name = mask_enterprise_name(name) if name else None
        uscc = mask_uscc(uscc) if uscc else None
    if audience is not Audience.CENTER or not full_contact:
        contact = mask_name(contact) if contact else None
        phone = mask_phone(phone) if phone else None
    return EnterpriseOut(name=name, uscc=uscc, contact_name=contact, contact_phone=phone)


def list_name(case: ComplaintCase, audience: Audience) -> str | None:
    """The enterprise's name in a list row for ``audience``."""
    view = enterprise_view(case, audience, full_contact=False)
    return view.name if view else None


def revealed_contact(case: ComplaintCase) -> list[str]:
    """Personal data a center reader gets in full (audited: GB/T 35273)."""
    return [f for f in ("contact_name", "contact_phone") if getattr(case, f)]
