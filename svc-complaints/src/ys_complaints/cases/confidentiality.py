"""Confidentiality of the complainant (DOMAIN.md: anti-retaliation).

Outside the center, the enterprise's identity is masked (oversight) or absent (the respondent
and the responsible unit). Free text is not trusted to be clean: the facts, notes and timeline
notes a non-center reader receives have every form of the enterprise's name, its USCC, the
contact's name and phone replaced by :data:`REDACTED` before they leave the service.
"""

import re
from dataclasses import dataclass

from yingshang.masking import mask, mask_name, mask_phone, mask_uscc
from ys_complaints.access import Audience
from ys_complaints.cases.models import ComplaintCase
from ys_complaints.cases.schemas import EnterpriseOut

REDACTED = "[已隐去]"
# Legal-form suffixes and region prefixes people drop when naming a company in passing.
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "合作社", "公司", "商行", "厂", "店")
_REGION = re.compile(r"^.{1,8}?[省市县区州]")
MIN_TERM = 2


def name_forms(name: str) -> set[str]:
    """``凤冈县绿源茶业有限公司`` → also ``凤冈县绿源茶业``, ``绿源茶业有限公司``, ``绿源茶业``."""
    forms = {name.strip()}
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            forms.add(name[: -len(suffix)])
            break
    for form in list(forms):
        short = _REGION.sub("", form, count=1)
        if short != form:
            forms.add(short)
    return {f for f in forms if len(f) >= MIN_TERM}


# What people put between the digits of a phone number they write out: 135 1234 5678,
# 135-1234-5678, (0851) 2888-8888, 135.1234.5678.
_PHONE_GAP = r"[\s\-.()（）—–]*"


def phone_form(phone: str) -> str:
    """A pattern for ``phone`` however it is written: its digits with any separators between."""
    digits = [d for d in phone if d.isdigit()]
    return r"(?<!\d)" + _PHONE_GAP.join(digits) + r"(?!\d)"


@dataclass(frozen=True)
class Redactor:
    """Removes the identity of one case's complainant from text."""

    pattern: re.Pattern[str] | None

    @classmethod
    def for_case(cls, case: ComplaintCase, audience: Audience) -> "Redactor":
        if audience is Audience.CENTER:
            return cls(None)
        terms: set[str] = set()
        if audience is not Audience.CONSENTED:
            if case.enterprise_name:
                terms |= name_forms(case.enterprise_name)
            terms |= {t for t in (case.enterprise_uscc, case.contact_name) if t}
        ordered = sorted(terms, key=len, reverse=True)  # longest first: no half-replaced names
        phone = case.contact_phone
        forms = [phone_form(phone)] if phone and any(d.isdigit() for d in phone) else []
        forms += [re.escape(t) for t in ordered]
        if not forms:
            return cls(None)
        return cls(re.compile("|".join(forms), re.IGNORECASE))

    def text(self, value: str) -> str:
        return value if self.pattern is None else self.pattern.sub(REDACTED, value)

    def optional(self, value: str | None) -> str | None:
        return None if value is None else self.text(value)


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
