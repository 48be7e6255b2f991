"""Personal data of applicants: the validated types and how they are shown.

Phones and ID numbers are masked in every response unless the caller must contact the
applicant (GB/T 35273 display restriction); such unmasked reads are audited.
"""

from __future__ import annotations

from typing import Any

from yingshang.masking import mask_fields, mask_phone, mask_resident_id
from yingshang.validators import USCC, Phone, ResidentId

PhoneNumber = Phone
IdNumber = ResidentId
SocialCreditCode = USCC

MASKERS = {
    "applicant_phone": mask_phone,
    "applicant_id_no": mask_resident_id,
}


def masked(data: dict[str, Any], *, reveal: bool) -> tuple[dict[str, Any], list[str]]:
    """The response dict with personal fields masked unless ``reveal``; plus what was revealed."""
    view = mask_fields(data, MASKERS, reveal=reveal)
    return view.data, view.revealed
