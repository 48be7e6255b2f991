"""The whole system as ``make run`` starts it, driven through the console in headless Chromium.

One supervised stack, one browser and one browser context serve the whole session (Chromium
starts while the stack migrates; a context kept open keeps its caches and processes warm: a
third less of the browser's work for each page). ``make test`` runs the suite in two
pytest-xdist workers (scripts/test_suites.py), each a session with a stack and a browser of
its own: no test sees another worker's data or settings. A test's second and further pages
are windows (contexts) the session keeps as well: a new context loads and compiles every
console module anew, about twice the browser's work for its first page. Every test has its
own pages, closed when it ends, and its own data; no test shares a session with another: the
console keeps its session per tab (sessionStorage) and nothing in cookies or localStorage (but
the window pad's setup, whose test opens the pad in a context of its own, ``own=True``). A
test about something other than signing in starts signed in (``console.sign_in``: a token from
``POST /auth/token`` kept in the tab as the console's login form keeps it); the tests about
signing in walk the login form (``console.login``).
Screenshots (``console.shot``) go to ``test-artifacts/console/`` (git-ignored) to be looked at
when ``YS_TEST_SCREENSHOTS=1``; a full-page screenshot costs ~0.2 s of CPU, some 80 of them a
tenth of the suite, so ``make test`` takes none.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import ssl
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from yingshang.settings import DEMO_PASSWORD
from yingshang.testing.browser import headless_binary, playwright_launch_options
from yingshang.testing.stack import SupervisedStack

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "console"
SCREENSHOTS = os.environ.get("YS_TEST_SCREENSHOTS") == "1"  # see the module's docstring
DESKTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
STARTUP_SECONDS = 300.0  # a loaded CI machine migrates and seeds six services slowly
# A county holiday file (a made-up 2027: 元旦 off, a 春节 make-up Saturday) every process loads.
CALENDAR_2027 = ROOT / "shared" / "tests" / "data" / "holiday-cn-2027-fixture.json"
# Test settings: a cheap password hash (each login verifies one), a quicker deadline sweep, and
# the console's assets kept by the browser (one release all session long): each page load
# would otherwise revalidate its ~70 modules at the gateway, one request each. The outbox
# relay and the SMS sender are woken by every commit of their service: their polls are only a
# fallback, and polling often costs six idle services more CPU than anything else they do
# between the tests' requests (a relay poll of 0.25 s and an SMS poll of 0.5 s: 19 % of a core).
FAST = {
    "YS_PASSWORD_TIME_COST": "1",
    "YS_PASSWORD_MEMORY_KIB": "8192",
    "YS_NOTIFY_POLL_SECONDS": "5",
    "YS_RELAY_POLL_SECONDS": "5",
    "YS_SWEEP_INTERVAL_SECONDS": "0.5",  # an overdue stage reaches the 督办 ledger sooner
    "YS_CALENDAR_FILES": json.dumps([str(CALENDAR_2027)]),
    "YS_CONSOLE_MAX_AGE_SECONDS": "3600",
}
# Every client of the session verifies TLS with this one context (the gateway is plain HTTP on
# loopback): a new httpx client loads the CA bundle again, tens of ms of CPU each time.
TLS = ssl.create_default_context()
CONTEXT = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai", "accept_downloads": True}
SESSION_KEY = "ys.console.session"  # session.js keeps the tab's tokens there (sessionStorage)
# What session.js's store() writes after the login form's password grant, put in the tab before
# the console's scripts run on the next load; once per call (a later logout stays logged out).
SEED_SESSION = """([origin, key, once, body]) => {
  if (location.origin !== origin || sessionStorage.getItem(once)) return;
  sessionStorage.setItem(once, "1");
  sessionStorage.setItem(key, JSON.stringify({
    access: body.access_token,
    refresh: body.refresh_token || null,
    expiresAt: Date.now() + Number(body.expires_in || 900) * 1000,
    position: null,
  }));
}"""


@dataclass
class Console:
    """The running system as the tests see it: the gateway's URL, tokens, the SMS outbox."""

    stack: SupervisedStack
    context: Any  # the session's browser context
    http: httpx.Client  # the gateway, no token: the session's one plain client
    pages: list[Any] = field(default_factory=list)  # the running test's, closed after it
    contexts: list[Any] = field(default_factory=list)  # the running test's own, closed after it
    windows: list[Any] = field(default_factory=list)  # the session's further contexts, kept warm
    windows_used: int = 0  # how many of them the running test has a page in

    @property
    def base(self) -> str:
        return self.stack.url("gateway")

    def grant(self, username: str) -> dict[str, Any]:
        """The password grant's answer for a demo user (what the login form receives)."""
        form = {"grant_type": "password", "username": username, "password": DEMO_PASSWORD}
        response = self.http.post("/auth/token", data=form)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def token(self, username: str) -> str:
        return str(self.grant(username)["access_token"])

    def api(self, username: str) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token(username)}"}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30, verify=TLS)

    def new_page(
        self, viewport: dict[str, int] = DESKTOP, clock: datetime | None = None, own: bool = False
    ) -> Any:
        """A new page, with no session until the test signs in there. The test's first page is
        a tab of the session's context; a second one is a tab of another context (a window): a
        tab behind another gets no animation frames, and each action on it waits for them.
        Those windows stay open for the next tests, their caches warm, their tabs closed.
        With ``clock``, the page's clock reads that time (fixed; timers still run): a context
        has one clock for all its pages, so that page gets a context of its own, closed after
        the test, as does a page asked for ``own`` (one whose test installs the page's clock or
        leaves something in the context's storage)."""
        if clock is not None or own:
            context = self.context.browser.new_context(viewport=viewport, **CONTEXT)
            self.contexts.append(context)
            if clock is not None:
                context.clock.set_fixed_time(clock)
            page = context.new_page()
        else:
            page = self._window().new_page()
            if viewport != DESKTOP:
                page.set_viewport_size(viewport)
        self.pages.append(page)
        page.set_default_timeout(30_000)
        return page

    def _window(self) -> Any:
        """The session's context for the test's next page: the first one, then the next of
        the kept windows (a new one when the test has a page in each)."""
        if not self.pages:
            return self.context
        if self.windows_used == len(self.windows):
            window = self.context.browser.new_context(viewport=DESKTOP, **CONTEXT)
            window.new_page()  # a tab between the tests keeps its processes warm
            self.windows.append(window)
        self.windows_used += 1
        return self.windows[self.windows_used - 1]

    def take_package(self, applicant: dict[str, Any], accept: bool = False) -> dict[str, Any]:
        """开办企业一件事 (KBQY) taken in for ``applicant`` at W01 by the clerk seated there
        (ZW2001), accepted (受理) when asked: its 办件编号 leads with the package's code, not a
        31-character implementation code."""
        approvals = "/api/v1/approvals"
        with self.api("hall_head") as api:
            window = f"{approvals}/halls/HALL_COUNTY/windows/W01/clerks"
            assert api.put(window, json={"staff_nos": ["ZW2001"]}).is_success
        with self.api("clerk") as api:
            package = api.get(f"{approvals}/packages/KBQY").json()
            body = {
                "package": "KBQY",
                "channel": "window",
                "hall_code": "HALL_COUNTY",
                "window_code": "W01",
                "applicant": applicant,
                "materials": [m["name"] for m in package["materials"]],
            }
            made = api.post(f"{approvals}/applications", json=body)
            assert made.status_code == 201, made.text
            if accept:
                path = f"{approvals}/applications/{made.json()['id']}"
                etag = api.get(path).headers["ETag"]
                accepted = api.post(f"{path}/accept", json={}, headers={"If-Match": etag})
                assert accepted.status_code == 200, accepted.text
        app: dict[str, Any] = made.json()
        assert app["number"].startswith("KBQY"), app["number"]
        return app

    def close_pages(self) -> None:
        while self.pages:
            self.pages.pop().close()
        while self.contexts:
            self.contexts.pop().close()
        self.windows_used = 0

    def login(self, page: Any, username: str) -> None:
        """Through the login form, as a person signs in."""
        if not page.url.startswith(f"{self.base}/console/login"):  # logging out lands there
            page.goto(f"{self.base}/console/login")
        page.fill("#f-username", username)
        page.fill("#f-password", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/console/(home|positions)"))

    def sign_in(self, page: Any, username: str, path: str = "/console/home") -> None:
        """Open ``path`` signed in as ``username`` (one position), without the login form: the
        tab holds the tokens of a password grant as the form's sign-in leaves them. Signing in
        again in the same tab replaces the user."""
        once = f"ys.test.signed-in.{uuid.uuid4().hex}"
        args = [self.base, SESSION_KEY, once, self.grant(username)]
        page.add_init_script(f"({SEED_SESSION})({json.dumps(args)})")
        page.goto(f"{self.base}{path}")

    def logout(self, page: Any) -> None:
        page.click("header .user button:has-text('退出')")
        page.wait_for_url("**/console/login")

    def shot(self, page: Any, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        if SCREENSHOTS:
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
            time.sleep(0.1)
        raise AssertionError(f"no rating link was sent for {case_number}")


def _ready(stack: SupervisedStack) -> None:
    try:
        stack.wait_ready(timeout=STARTUP_SECONDS)
    except (TimeoutError, RuntimeError) as exc:
        raise RuntimeError(f"the stack did not start:\n{stack.log()[-3000:]}") from exc


@pytest.fixture(scope="session")
def running_console() -> Iterator[Console]:
    """The supervised stack, Chromium and its one context, for the session.

    The stack starts on the session's own thread (its processes die with the thread that
    started them); Chromium is launched while it migrates. The stack's directory is its own, not
    pytest's numbered tmp: concurrent pytest sessions prune those, and this one lives for the
    whole session."""
    binary = headless_binary()
    if binary is None:
        pytest.skip("browser test: install Debian's chromium and fonts-noto-cjk (make test does)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="ys-browser-"))
    stack = SupervisedStack(ROOT, home / "var", extra_env=FAST)
    try:
        stack.launch()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**playwright_launch_options(binary))
            context = browser.new_context(viewport=DESKTOP, **CONTEXT)
            context.new_page()  # a tab between the tests keeps the context's processes warm
            _ready(stack)
            with httpx.Client(base_url=stack.url("gateway"), timeout=30, verify=TLS) as http:
                yield Console(stack, context, http)
            browser.close()
    finally:
        stack.stop()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def console(running_console: Console) -> Iterator[Console]:
    """The session's console for one test; the pages the test opened close after it."""
    yield running_console
    running_console.close_pages()
