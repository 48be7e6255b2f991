"""A token whose holder must change the password an administrator set opens nothing but the
password change: every service refuses it (403), not only the gateway in front of them."""

from typing import Any

import pytest
from fastapi import FastAPI
from starlette.requests import Request

from yingshang.auth import PasswordChangeRequired, public, staff
from yingshang.testing.tokens import TestIssuer


def _request(app: FastAPI, token: str) -> Request:
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/sample",
        "query_string": b"",
        "headers": [(b"authorization", f"Bearer {token}".encode())],
        "app": app,
    }
    return Request(scope)


async def test_a_flagged_token_is_refused_except_for_who_it_is() -> None:
    issuer = TestIssuer()
    app = FastAPI()
    app.state.verifier = issuer.verifier()
    flagged = issuer.mint(("BUREAU", "staff"), password_change_required=True)
    with pytest.raises(PasswordChangeRequired) as refused:
        await app.state.verifier.verify(flagged)
    assert (refused.value.status, refused.value.code) == (403, "password-change-required")
    with pytest.raises(PasswordChangeRequired):
        await staff()(_request(app, flagged))
    assert await public()(_request(app, flagged)) is None  # a public page: served as anyone
    who = await app.state.verifier.verify_identity(flagged)  # the password change reads it
    assert who.has(("staff",), "BUREAU")
    changed = issuer.mint(("BUREAU", "staff"))
    assert (await staff()(_request(app, changed))) is not None
