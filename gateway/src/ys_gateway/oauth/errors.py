"""OAuth2 error responses (RFC 6749 §5.2) that are also RFC 9457 problem details."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from yingshang.problems import PROBLEM_BASE

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
TITLES = {
    "invalid_request": "Invalid token request",
    "invalid_client": "Client authentication failed",
    "invalid_grant": "Invalid grant",
    "unauthorized_client": "Client not allowed",
    "unsupported_grant_type": "Unsupported grant type",
    "invalid_scope": "Invalid scope",
    "slow_down": "Too many requests",
}


class OAuthError(Exception):
    """An RFC 6749 error: ``error`` code, description, HTTP status."""

    def __init__(
        self, error: str, description: str, *, status: int = 400, basic: bool = False
    ) -> None:
        super().__init__(description)
        self.error, self.description, self.status, self.basic = error, description, status, basic

    def response(self, instance: str = "/auth/token") -> JSONResponse:
        body: dict[str, Any] = {
            "error": self.error,
            "error_description": self.description,
            "type": PROBLEM_BASE + "oauth-" + self.error.replace("_", "-"),
            "title": TITLES.get(self.error, "Token request failed"),
            "status": self.status,
            "detail": self.description,
            "instance": instance,
        }
        headers = dict(NO_STORE)
        if self.status == 401:
            # RFC 6749 §5.2: 401 for a failed client authentication, with the scheme used.
            headers["WWW-Authenticate"] = 'Basic realm="yingshang"' if self.basic else "Bearer"
        return JSONResponse(body, status_code=self.status, headers=headers)
