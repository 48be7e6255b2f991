"""The whole system as ``make run`` starts it, on free ports and a private ``var/``, for e2e tests.

stack = SupervisedStack(repo_root, tmp_path / "var").start()
stack.url("gateway"); stack.child_pids(); stack.interrupt()   # Ctrl-C
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from yingshang.processes import free_port, signal_group, spawn, stop, wait_for_http
from yingshang.supervisor import load_plan

BANNER = "is running. Ctrl-C stops everything"
# Test settings: a cheap password hash (every login verifies one).
FAST_PASSWORDS = {"YS_PASSWORD_TIME_COST": "1", "YS_PASSWORD_MEMORY_KIB": "8192"}


class SupervisedStack:
    """``python -m yingshang.supervisor`` as a child, every port moved to a free one."""

    def __init__(self, root: Path, var_dir: Path, extra_env: dict[str, str] | None = None):
        self.root, self.var_dir = root, var_dir
        config = root / "deploy" / "services.toml"
        names = [s.name for s in load_plan(config, var_dir, {}).services]
        self.ports = {name: free_port() for name in names}
        self.env = {
            **os.environ,
            **{f"YS_{n.upper()}_PORT": str(p) for n, p in self.ports.items()},
            "YS_NATS_PORT": str(free_port()),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.env.pop("YS_NATS_URL", None)
        self.proc: subprocess.Popen[bytes] | None = None
        self.output = var_dir.parent / "supervisor.out"
        self._banners = 0

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def start(self, timeout: float = 150.0) -> SupervisedStack:
        return self.launch().wait_ready(timeout)

    def launch(self) -> SupervisedStack:
        """Start the supervisor and return at once (the caller may do other work while the
        stack migrates and starts), then :meth:`wait_ready`."""
        argv = [sys.executable, "-m", "yingshang.supervisor", "--var", str(self.var_dir)]
        argv += ["--config", str(self.root / "deploy" / "services.toml")]
        self._banners = self.log().count(BANNER)  # this start's banner is the next one
        with self.output.open("ab") as out:
            self.proc = spawn(argv, env=self.env, cwd=self.root, output=out, die_with_parent=True)
        return self

    def wait_ready(self, timeout: float = 150.0) -> SupervisedStack:
        """Until the supervisor's banner (printed once every service answered ``/healthz``),
        then every ``/healthz`` once more from here. Waiting on the banner first, and not on the
        services while they start, leaves the machine's cores to the start itself."""
        self._wait_for_banner(self._banners, timeout)
        for name in self.ports:
            wait_for_http(f"{self.url(name)}/healthz", timeout=timeout, proc=self.proc)
        return self

    def _wait_for_banner(self, seen: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.log().count(BANNER) <= seen:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"the supervisor exited with {self.proc.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError("the supervisor printed no banner")
            time.sleep(0.1)

    def child_pids(self) -> dict[str, int]:
        """Pids of NATS and the services as the supervisor recorded them (``var/run.json``)."""
        record = json.loads((self.var_dir / "run.json").read_text())
        return {name: int(pid) for name, pid in record["children"].items()}

    def interrupt(self, timeout: float = 60.0) -> int:
        """Ctrl-C as a terminal sends it (SIGINT to the process group); the exit code."""
        assert self.proc is not None
        signal_group(self.proc.pid, signal.SIGINT)
        return self.proc.wait(timeout=timeout)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc, grace=30.0)

    def log(self) -> str:
        return self.output.read_text(errors="replace") if self.output.exists() else ""


@contextmanager
def running_stack(
    root: Path,
    *,
    prefix: str = "ys-stack-",
    extra_env: dict[str, str] | None = None,
    timeout: float = 300.0,
) -> Iterator[SupervisedStack]:
    """A started stack in a directory of its own (not pytest's numbered tmp, which concurrent
    pytest sessions prune), stopped and removed afterwards; a failed start shows the log."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    stack = SupervisedStack(root, home / "var", extra_env=extra_env)
    try:
        try:
            stack.start(timeout=timeout)
        except (TimeoutError, RuntimeError) as exc:
            raise RuntimeError(f"the stack did not start:\n{stack.log()[-3000:]}") from exc
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(home, ignore_errors=True)


def alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")
