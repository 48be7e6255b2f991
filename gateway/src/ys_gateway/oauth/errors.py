"""OAuth2 error responses (RFC 6749 §5.2) that are also RFC 9457 problem details.

``error_description`` keeps the ASCII RFC 6749 allows it (for integrators); the problem's
``title`` and ``detail`` say it in Chinese for people."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from yingshang.problems import PROBLEM_BASE

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
TITLES = {
    "invalid_request": "令牌请求有误",
    "invalid_client": "接口客户端认证失败",
    "invalid_grant": "登录失败",
    "unauthorized_client": "接口客户端不允许此操作",
    "unsupported_grant_type": "不支持的授权方式",
    "invalid_scope": "权限范围无效",
    "slow_down": "请求过于频繁",
}


class OAuthError(Exception):
    """An RFC 6749 error: ``error`` code, description (ASCII), the same in Chinese
    (``detail``, the problem's; the title when none), HTTP status."""

    def __init__(
        self,
        error: str,
        description: str,
        *,
        detail: str | None = None,
        status: int = 400,
        basic: bool = False,
    ) -> None:
        super().__init__(description)
        self.error, self.description, self.status, self.basic = error, description, status, basic
        self.detail = detail or TITLES.get(error, "令牌请求失败")

    def response(self, instance: str = "/auth/token") -> JSONResponse:
        body: dict[str, Any] = {
            "error": self.error,
            "error_description": self.description,
            "type": PROBLEM_BASE + "oauth-" + self.error.replace("_", "-"),
            "title": TITLES.get(self.error, "令牌请求失败"),
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        headers = dict(NO_STORE)
        if self.status == 401:
            # RFC 6749 §5.2: 401 for a failed client authentication, with the scheme used.
            headers["WWW-Authenticate"] = 'Basic realm="yingshang"' if self.basic else "Bearer"
        return JSONResponse(body, status_code=self.status, headers=headers)
