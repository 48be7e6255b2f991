"""Domain errors of svc-ratings that the shared set does not name."""

from yingshang.problems import DomainError


class Gone(DomainError):
    """410: the link existed but can no longer be used (expired)."""

    status, code, title = 410, "expired", "该链接已过期"
