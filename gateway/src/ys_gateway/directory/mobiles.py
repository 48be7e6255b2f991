"""Staff work mobiles (工作手机), where the deadline ladder's SMS go (``ys_gateway.escalations``).

Personal data (GB/T 35273): sealed at rest with the gateway's key secret (``SecretBox``, as
webhook secrets), masked in every answer (``138****5678``, kept beside the sealed value so a
list needs no decryption), shown in full only to a bureau administrator who states a reason
(audited as every unmasked read) and used in full only by the SMS sender.
"""

from __future__ import annotations

from yingshang import audit
from yingshang.auth import Principal
from yingshang.db import Database
from yingshang.masking import mask_phone
from ys_gateway.crypto import SecretBox
from ys_gateway.models import User

OBJECT_KIND = "user"


def set_mobile(user: User, mobile: str | None, box: SecretBox) -> None:
    """Store ``mobile`` (already validated) sealed and masked; ``None`` removes it."""
    user.mobile_sealed = box.seal(mobile) if mobile else None
    user.mobile_masked = mask_phone(mobile) if mobile else None


def mobile_of(user: User, box: SecretBox) -> str | None:
    return box.open(user.mobile_sealed) if user.mobile_sealed else None


async def reveal(
    db: Database, principal: Principal, user: User, box: SecretBox, reason: str
) -> str | None:
    """The full number, the read audited (nothing to audit when there is none)."""
    mobile = mobile_of(user, box)
    shown = ["mobile"] if mobile else []
    await audit.record_unmasked_read(db, principal, (OBJECT_KIND, user.username), shown, reason)
    return mobile
