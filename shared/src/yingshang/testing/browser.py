"""Headless Chromium (Debian's ``chromium`` package) for browser tests: DOM dumps, screenshots;
and how Playwright launches it (Debian's ``chromium-headless-shell`` where installed).

Chromium runs as a child process, so the page's server may live in the test's own event loop
(the ``service_server`` fixture): every call here is async. Chinese renders as boxes unless a
CJK font (``fonts-noto-cjk``) is installed; ``.ci/run`` installs both.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

# No background traffic (this machine has no network beyond loopback), a throwaway profile.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


# Debian's ``chromium-headless-shell``: Chromium's old headless mode, without the browser's
# window layer that ``chromium --headless`` keeps and composites for no screen: for the same
# pages its browser process works a third as much, the browser as a whole half (Playwright's
# own choice for headless). Debian's launcher script keeps itself as the binary's parent (no
# exec): the binary itself first.
HEADLESS_SHELL = (Path("/usr/lib/chromium/chromium-headless-shell"), "chromium-headless-shell")
# For Playwright's many tabs of one origin: one renderer process per browser context (a tab
# reuses it, caches warm, instead of starting and filling a process of its own), the GPU
# and network services as threads of the browser process (no process and IPC hop for each
# frame and request), and V8 without its optimizing tiers (a page lives for seconds: compiling
# hot code again costs more than it saves).
PLAYWRIGHT_FLAGS = [
    "--renderer-process-limit=1",
    "--disable-site-isolation-trials",
    "--in-process-gpu",
    "--enable-features=NetworkServiceInProcess2",
    "--js-flags=--no-opt --no-maglev",
]


def headless_binary() -> str | None:
    """The headless shell where installed (``scripts/browser_deps.sh``), else ``chromium``."""
    direct, command = HEADLESS_SHELL
    if direct.is_file() and os.access(direct, os.X_OK):
        return str(direct)
    return shutil.which(command) or chromium_binary()


def playwright_launch_options(binary: str) -> dict[str, object]:
    """Keyword arguments of Playwright's ``chromium.launch`` for Debian's Chromium (Playwright
    never downloads a browser here: no ``playwright install``), headless, with the same flags
    and those for many tabs (``PLAYWRIGHT_FLAGS``)."""
    return {
        "executable_path": binary,
        "headless": True,
        "args": [f for f in FLAGS if f != "--headless"] + PLAYWRIGHT_FLAGS,
    }


class Chromium:
    def __init__(self, binary: str, profile_dir: Path, timeout: float = 60.0) -> None:
        self.binary, self.profile_dir, self.timeout = binary, profile_dir, timeout

    async def _run(self, *args: str) -> bytes:
        proc = await asyncio.create_subprocess_exec(
            self.binary,
            *FLAGS,
            f"--user-data-dir={self.profile_dir}",
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            out, _ = await asyncio.wait_for(proc.communicate(), self.timeout)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise
        if proc.returncode != 0:
            raise RuntimeError(f"chromium exited with {proc.returncode}")
        return out

    async def dom(self, url: str, js_budget_ms: int = 3000) -> str:
        """The DOM after the page's scripts ran (``--dump-dom``)."""
        out = await self._run(f"--virtual-time-budget={js_budget_ms}", "--dump-dom", url)
        return out.decode("utf-8", errors="replace")

    async def screenshot(self, url: str, path: Path, width: int = 1024, height: int = 640) -> bytes:
        """A PNG of the page (also written to ``path``, to look at when a test fails)."""
        await self._run(f"--window-size={width},{height}", f"--screenshot={path}", url)
        return await asyncio.to_thread(path.read_bytes)
