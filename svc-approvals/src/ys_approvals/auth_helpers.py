"""Department codes with a hall-wide view; the Idempotency-Key rule for integration clients."""

from fastapi import Request

from yingshang.auth import HALL, Principal
from yingshang.idempotency import HEADER, BadIdempotencyKey

HALL_DEPTS = frozenset({HALL})


def require_key_from_clients(request: Request, principal: Principal, what: str) -> None:
    """The provincial platform retries on timeouts: what it creates carries an
    Idempotency-Key, so a retry replays the first answer instead of creating twice."""
    if principal.is_client and not request.headers.get(HEADER):
        raise BadIdempotencyKey(f"接口客户端提交{what}须带 {HEADER} 请求头")
