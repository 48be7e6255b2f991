"""A case's step through its API as a client would take it: read the case for its ETag, POST
the step with ``If-Match`` (the services refuse a write without one: 428)."""

from __future__ import annotations

from typing import Any

import httpx


def post_step(api: httpx.Client, case_url: str, action: str, body: Any = None) -> Any:
    """``POST {case_url}/{action}`` with the case's current ETag; the case as it answers (the
    step must succeed)."""
    read = api.get(case_url)
    assert read.status_code == 200, read.text
    done = api.post(
        f"{case_url}/{action}", json=body or {}, headers={"If-Match": read.headers["etag"]}
    )
    assert done.status_code == 200, done.text
    return done.json()
