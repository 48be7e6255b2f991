"""Personal data of applicants: the validated types and how they are shown.

Phones, ID numbers and postal addresses are masked in every response unless the caller must
contact the applicant or post the licence (GB/T 35273 display restriction); such unmasked
reads are audited.
"""

from __future__ import annotations

from typing import Any

from yingshang.masking import mask, mask_fields, mask_phone, mask_resident_id
from yingshang.validators import USCC, Phone, ResidentId

PhoneNumber = Phone
IdNumber = ResidentId
SocialCreditCode = USCC

# Administrative divisions an address names before its street (省 市 州 盟 县 区 旗 镇 乡).
_DIVISIONS = frozenset("省市州盟县区旗镇乡")


def mask_address(value: str) -> str:
    """``凤冈县龙泉镇新街12号`` → ``凤冈县********``: the divisions at the front stay (where
    the post goes), street, number and room go. At least half the address is masked; without
    a division in that first half only the first character stays."""
    half = len(value) // 2
    ends = [n + 1 for n, char in enumerate(value[:half]) if char in _DIVISIONS]
    return mask(value, ends[-1] if ends else min(1, half), 0)


MASKERS = {
    "applicant_phone": mask_phone,
    "applicant_id_no": mask_resident_id,
    "postal_address": mask_address,  # 邮寄送达 address
}


def personal_fields(applicant: object) -> list[str]:
    """The personal fields ``applicant`` (an application) holds a value in: what an unmasked
    read of it reveals, to audit."""
    return [name for name in MASKERS if getattr(applicant, name, None)]


def masked(data: dict[str, Any], *, reveal: bool) -> tuple[dict[str, Any], list[str]]:
    """The response dict with personal fields masked unless ``reveal``; plus what was revealed."""
    view = mask_fields(data, MASKERS, reveal=reveal)
    return view.data, view.revealed
