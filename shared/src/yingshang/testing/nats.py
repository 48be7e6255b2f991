"""A real nats-server (JetStream on) for tests: start, SIGKILL, restart on the same port and store.

Never uses 4222 (the machine's own broker) or 14222 (``make run``): ports come from the OS.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from yingshang.processes import free_port, nats_argv, spawn, stop, wait_for_port


class NatsProcess:
    """One nats-server child. ``kill()`` simulates a crash; ``restart()`` brings it back."""

    def __init__(self, store_dir: Path, port: int | None = None, extra: list[str] | None = None):
        self.store_dir = store_dir
        self.port = port or free_port()
        self.extra = list(extra or [])
        self.log_path = store_dir.parent / f"nats-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 20.0) -> NatsProcess:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            argv = [*nats_argv(self.port, self.store_dir), *self.extra]
            self.proc = spawn(argv, output=log, die_with_parent=True)
        wait_for_port(self.port, timeout=timeout)
        return self

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as in a crash or power loss of the broker process."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc, grace=5.0)

    def restart(self) -> NatsProcess:
        """Stop (if running) and start again on the same port with the same store."""
        self.stop()
        return self.start()

    def log_tail(self, lines: int = 20) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


class NatsCluster:
    """``size`` JetStream nodes clustered over loopback routes (the production shape: 3, R3)."""

    def __init__(self, root: Path, size: int = 3, name: str = "ys-test"):
        cluster_ports = [free_port() for _ in range(size)]
        routes = ",".join(f"nats://127.0.0.1:{p}" for p in cluster_ports)
        self.nodes = [
            NatsProcess(
                root / f"node{i}" / "store",
                extra=[
                    *("-n", f"{name}-{i}", "--cluster_name", name),
                    *("--cluster", f"nats://127.0.0.1:{port}", "--routes", routes),
                ],
            )
            for i, port in enumerate(cluster_ports)
        ]

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def start(self) -> NatsCluster:
        for node in self.nodes:
            node.start()
        return self

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()
