"""The whole system as ``make run`` starts it, driven through the console in headless Chromium.

One supervised stack and one browser serve the whole session (starting them is most of the
suite's time); every test has its own browser contexts (no shared session) and its own data.
Screenshots go to ``test-artifacts/console/`` (git-ignored) to be looked at.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from yingshang.settings import DEMO_PASSWORD
from yingshang.testing.browser import chromium_binary, playwright_launch_options
from yingshang.testing.stack import SupervisedStack

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "console"
DESKTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
STARTUP_SECONDS = 300.0  # a loaded CI machine migrates and seeds six services slowly
# A county holiday file (a made-up 2027: 元旦 off, a 春节 make-up Saturday) every process loads.
CALENDAR_2027 = ROOT / "shared" / "tests" / "data" / "holiday-cn-2027-fixture.json"
# Test settings: a cheap password hash (each login verifies one) and a quicker SMS outbox.
FAST = {
    "YS_PASSWORD_TIME_COST": "1",
    "YS_PASSWORD_MEMORY_KIB": "8192",
    "YS_NOTIFY_POLL_SECONDS": "0.5",
    "YS_RELAY_POLL_SECONDS": "0.25",  # events reach the ratings service sooner
    "YS_CALENDAR_FILES": json.dumps([str(CALENDAR_2027)]),
}


@dataclass
class Console:
    """The running system as the tests see it: the gateway's URL, tokens, the SMS outbox."""

    stack: SupervisedStack
    browser: Any

    @property
    def base(self) -> str:
        return self.stack.url("gateway")

    def token(self, username: str) -> str:
        form = {"grant_type": "password", "username": username, "password": DEMO_PASSWORD}
        response = httpx.post(f"{self.base}/auth/token", data=form, timeout=30)
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def api(self, username: str) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token(username)}"}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30)

    def new_page(self, viewport: dict[str, int] = DESKTOP) -> Any:
        context = self.browser.new_context(
            viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    def login(self, page: Any, username: str) -> None:
        if not page.url.startswith(f"{self.base}/console/login"):  # logging out lands there
            page.goto(f"{self.base}/console/login")
        page.fill("#f-username", username)
        page.fill("#f-password", DEMO_PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/console/(home|positions)"))

    def logout(self, page: Any) -> None:
        page.click("header .user button:has-text('退出')")
        page.wait_for_url("**/console/login")

    def shot(self, page: Any, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def sms_link(self, case_number: str, timeout: float = 45.0) -> str:
        """The rating link the hall sent by SMS for ``case_number`` (file channel)."""
        outbox = self.stack.var_dir / "notifications.jsonl"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = outbox.read_text(encoding="utf-8").splitlines() if outbox.exists() else []
            for line in lines:
                params = json.loads(line).get("params") or {}
                if params.get("number") == case_number and params.get("url"):
                    return str(params["url"])
            time.sleep(0.5)
        raise AssertionError(f"no rating link was sent for {case_number}")


def _start(stack: SupervisedStack) -> None:
    """On the test's own thread: the stack's processes die with the thread that started them."""
    try:
        stack.start(timeout=STARTUP_SECONDS)
    except (TimeoutError, RuntimeError) as exc:
        raise RuntimeError(f"the stack did not start:\n{stack.log()[-3000:]}") from exc


@pytest.fixture(scope="session")
def console() -> Iterator[Console]:
    """The supervised stack and Chromium, for the session.

    The stack's directory is its own, not pytest's numbered tmp: concurrent pytest sessions
    prune those, and this one lives for the whole session."""
    binary = chromium_binary()
    if binary is None:
        pytest.skip("browser test: install Debian's chromium and fonts-noto-cjk (make test does)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="ys-browser-"))
    stack = SupervisedStack(ROOT, home / "var", extra_env=FAST)
    try:
        _start(stack)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**playwright_launch_options(binary))
            yield Console(stack, browser)
            browser.close()
    finally:
        stack.stop()
        shutil.rmtree(home, ignore_errors=True)
