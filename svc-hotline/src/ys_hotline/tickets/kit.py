"""The ticket's use of the foundation's case kit, in one place.

Case numbers (``RX20261126-00042``), query codes, ETags, masking and the audit of unmasked
reads come from ``yingshang``; the rest of the ticket package calls these names only.
"""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang import masking
from yingshang.cases import numbers
from yingshang.cases.etag import check_if_match as check
from yingshang.cases.etag import etag_for
from ys_hotline.tickets.models import CASE_KIND, Ticket

NUMBER_PREFIX = "RX"  # 热线工单


async def next_number(session: AsyncSession, at: datetime) -> str:
    """``RX20261126-00042``: the day of receipt (Asia/Shanghai) and a gapless counter."""
    return await numbers.case_number(session, NUMBER_PREFIX, at=at)


def issue_query_code(number: str) -> tuple[str, str]:
    """A query code (查询码) for the ticket numbered ``number``, and the hash that is kept (the
    code itself is shown once to the requester)."""
    code = numbers.new_query_code()
    return code, numbers.hash_query_code(code, salt=number)


def query_code_matches(ticket: Ticket, code: str) -> bool:
    return numbers.query_code_matches(code, ticket.query_code_hash, salt=ticket.number)


def etag(ticket: Ticket) -> str:
    return etag_for(ticket, CASE_KIND)


def check_if_match(ticket: Ticket, if_match: str | None) -> None:
    """428 without If-Match, 412 when the ticket changed since it was read."""
    check(if_match, ticket, CASE_KIND)


def mask_phone(phone: str | None) -> str | None:
    return masking.mask_phone(phone) if phone else phone


def mask_name(name: str | None) -> str | None:
    return masking.mask_name(name) if name else name
