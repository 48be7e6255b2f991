"""Who is who in the hotline (ARCHITECTURE.md, "Auth and access").

* hotline operator (话务员) = ``clerk`` at HOTLINE_CENTER: sees phone numbers unmasked;
* center staff = any position at HOTLINE_CENTER: dispatch, review, revisit, archive;
* oversight = the bureau and the committee: read everything (masked), 催办/督办;
* handling departments see only tickets assigned to them (lead or co-handling).
"""

from yingshang.auth import BUREAU, COMMITTEE, HOTLINE_CENTER, Principal

CENTER = HOTLINE_CENTER
OVERSIGHT = (BUREAU, COMMITTEE)
CENTER_MANAGERS = ("staff", "head", "admin")


def is_operator(principal: Principal) -> bool:
    return principal.has("clerk", CENTER)


def is_center(principal: Principal) -> bool:
    return principal.has(None, CENTER)


def is_oversight(principal: Principal) -> bool:
    return any(principal.has(None, dept) for dept in OVERSIGHT)


def sees_everything(principal: Principal) -> bool:
    """Center staff and oversight see every ticket (departments only their own)."""
    return is_center(principal) or is_oversight(principal)
