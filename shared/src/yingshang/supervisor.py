"""The process supervisor behind ``make run``: NATS, migrations, every service, one Ctrl-C.

The list of services is data (``deploy/services.toml``). Each child runs in its own process
group; its output is shown on the console with a name prefix and kept in ``var/log/<name>.log``.
SIGINT/SIGTERM (or the parent ``make`` dying) stops every child: SIGTERM, then SIGKILL after a
grace period, so nothing is left behind. Data stays in ``var/`` between runs.

A child that exits once everything is up (a crash, or an operator stopping one service with
``kill <pid>`` from ``var/run.json``) is started again on the same port and data, at most
``RESTARTS`` times within ``RESTART_WINDOW_SECONDS``; beyond that, or while starting up, the
supervisor stops everything as before.

    python -m yingshang.supervisor --config deploy/services.toml --var var
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import yaml

from yingshang.migrate import upgrade
from yingshang.processes import nats_argv, port_in_use, signal_group, spawn, wait_for_port
from yingshang.settings import DEMO_PASSWORD

GRACE_SECONDS = 10.0
# How long the services may take to answer /healthz at start (migrations, seed) while they are
# alive; a loaded machine needs more than a quiet one. YS_START_TIMEOUT moves it.
HEALTH_TIMEOUT_SECONDS = 180.0
RESTARTS = 5
RESTART_WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    app: str  # "package.module:factory"
    settings: str  # "package.module:Settings"
    port: int

    @property
    def port_variable(self) -> str:
        return f"YS_{self.name.upper()}_PORT"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Plan:
    root: Path
    var_dir: Path
    services: tuple[ServiceSpec, ...]
    nats_port: int
    external_nats: str | None

    @property
    def nats_url(self) -> str:
        return self.external_nats or f"nats://127.0.0.1:{self.nats_port}"

    def service(self, name: str) -> ServiceSpec:
        return next(s for s in self.services if s.name == name)


def load_plan(config: Path, var_dir: Path, environ: Mapping[str, str]) -> Plan:
    """Read the services file; ``YS_<NAME>_PORT``, ``YS_NATS_PORT``, ``YS_NATS_URL`` override."""
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    services = tuple(
        ServiceSpec(s["name"], s["app"], s["settings"], int(s["port"])) for s in data["service"]
    )
    services = tuple(
        ServiceSpec(s.name, s.app, s.settings, int(environ.get(s.port_variable, s.port)))
        for s in services
    )
    return Plan(
        root=config.resolve().parents[1],
        var_dir=var_dir.resolve(),
        services=services,
        nats_port=int(environ.get("YS_NATS_PORT", data["nats"]["port"])),
        external_nats=environ.get("YS_NATS_URL") or None,
    )


def busy_ports(plan: Plan) -> list[str]:
    """One message per port already taken, naming the variable that moves it."""
    wanted = [(s.port, s.name, s.port_variable) for s in plan.services]
    if plan.external_nats is None:
        wanted.append(
            (plan.nats_port, "NATS", "YS_NATS_PORT (or YS_NATS_URL for an external NATS)")
        )
    return [
        f"port {port} ({name}) is already in use: free it or move it with {variable}=<port>"
        for port, name, variable in wanted
        if port_in_use(port)
    ]


def _load(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def service_dir(spec: ServiceSpec) -> Path:
    """The folder with the service's ``alembic.ini`` and ``migrations/``: its app module's
    ``SERVICE_DIR`` (``<service>/src/<package>/app.py``, two levels up), found without running
    the app module, which would load the whole web stack into the supervisor for a path."""
    found = importlib.util.find_spec(spec.app.partition(":")[0])
    if found is None or found.origin is None:
        raise RuntimeError(f"{spec.name}: no module {spec.app}")
    return Path(found.origin).resolve().parents[2]


def migrate(plan: Plan, say: Any) -> None:
    """Bring every service's database up to date (a second run finds nothing to do)."""
    for spec in plan.services:
        settings = _load(spec.settings)(var_dir=plan.var_dir)
        upgrade(service_dir(spec), settings.db_url())
        say("supervisor", f"{spec.name}: database up to date")


def child_env(plan: Plan, spec: ServiceSpec, environ: Mapping[str, str]) -> dict[str, str]:
    gateway = plan.service("gateway")
    env = {
        **environ,
        "PYTHONUNBUFFERED": "1",
        "YS_NATS_URL": plan.nats_url,
        "YS_VAR_DIR": str(plan.var_dir),
        "YS_JWKS_URL": f"{gateway.url}/.well-known/jwks.json",
        spec.port_variable: str(spec.port),
    }
    # where citizens reach the console (the rating link in an SMS): the gateway, unless set
    env.setdefault("YS_PUBLIC_BASE_URL", gateway.url)
    for other in plan.services:  # where the gateway finds each service
        if other.name != "gateway":
            env.setdefault(f"YS_{other.name.upper()}_UPSTREAMS", other.url)
    return env


def uvicorn_argv(spec: ServiceSpec) -> list[str]:
    return [
        *(sys.executable, "-m", "uvicorn", "--factory", spec.app),
        *("--host", "127.0.0.1", "--port", str(spec.port), "--no-access-log"),
    ]


class Console:
    """Prefixed child output on the terminal, raw lines in ``var/log/<name>.log``."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.lock = threading.Lock()

    def say(self, name: str, line: str) -> None:
        with self.lock:
            sys.stdout.write(f"{name:<{self.width}} | {line.rstrip()}\n")
            sys.stdout.flush()

    def pump(self, name: str, stream: IO[bytes], log: IO[bytes]) -> threading.Thread:
        def run() -> None:
            for raw in stream:
                log.write(raw)
                log.flush()
                self.say(name, raw.decode("utf-8", errors="replace"))

        thread = threading.Thread(target=run, name=f"pump-{name}", daemon=True)
        thread.start()
        return thread


@dataclass
class Child:
    name: str
    proc: subprocess.Popen[bytes]
    log: IO[bytes]
    pump: threading.Thread
    argv: list[str]
    env: Mapping[str, str]
    restarts: tuple[float, ...] = ()  # monotonic times of the recent restarts


class Supervisor:
    def __init__(self, plan: Plan, environ: Mapping[str, str]) -> None:
        self.plan, self.environ = plan, environ
        self.console = Console(max(len(s.name) for s in plan.services) + 1)
        self.children: list[Child] = []
        self.stopping = threading.Event()
        self.parent = os.getppid()

    def start(self, name: str, argv: list[str], env: Mapping[str, str]) -> Child:
        log = (self.plan.var_dir / "log" / f"{name}.log").open("ab")
        proc = spawn(
            argv, env=env, cwd=self.plan.root, output=subprocess.PIPE, die_with_parent=True
        )
        assert proc.stdout is not None
        child = Child(name, proc, log, self.console.pump(name, proc.stdout, log), argv, env)
        self.children.append(child)
        self._write_run_file()
        return child

    def restart(self, child: Child) -> None:
        """Start an exited child again (same argv, port and data); record its new pid."""
        recent = tuple(t for t in child.restarts if time.monotonic() - t < RESTART_WINDOW_SECONDS)
        if len(recent) >= RESTARTS:
            raise RuntimeError(
                f"{child.name} exited {len(recent) + 1} times within "
                f"{RESTART_WINDOW_SECONDS:g} s; see var/log/{child.name}.log"
            )
        self.console.say(
            "supervisor", f"{child.name} exited with code {child.proc.returncode}: restarting"
        )
        child.pump.join(timeout=2.0)  # the last lines it printed
        child.log.close()
        self.children.remove(child)
        again = self.start(child.name, child.argv, child.env)
        again.restarts = (*recent, time.monotonic())

    def start_nats(self) -> None:
        if self.plan.external_nats:
            self.console.say("supervisor", f"using external NATS at {self.plan.external_nats}")
            return
        store = self.plan.var_dir / "nats"
        child = self.start("nats", nats_argv(self.plan.nats_port, store), self.environ)
        wait_for_port(self.plan.nats_port, timeout=30)
        if child.proc.poll() is not None:
            raise RuntimeError("nats-server exited at start; see var/log/nats.log")

    def start_services(self) -> None:
        for spec in self.plan.services:
            env = child_env(self.plan, spec, self.environ)
            self.start(spec.name, uvicorn_argv(spec), env)

    def wait_healthy(self) -> None:
        pending = {s.name: f"{s.url}/healthz" for s in self.plan.services}
        limit = float(self.environ.get("YS_START_TIMEOUT", HEALTH_TIMEOUT_SECONDS))
        deadline = time.monotonic() + limit
        # One client for every try: a new one per try loads the CA bundle again, CPU that the
        # starting services need.
        with httpx.Client(timeout=1.0) as client:
            while pending and not self.stopping.is_set():
                self._check_children()
                for name, url in list(pending.items()):
                    if _answers(client, url):
                        del pending[name]
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no answer from /healthz of: {', '.join(sorted(pending))}")
                self.stopping.wait(0.2)

    def watch(self) -> None:
        """Block until asked to stop, a child dies, or the parent (make) is gone."""
        while not self.stopping.wait(0.5):
            for child in [c for c in self.children if c.proc.poll() is not None]:
                if not self.stopping.is_set():
                    self.restart(child)
            if os.getppid() != self.parent:
                self.console.say("supervisor", "parent process gone: stopping")
                return

    def _check_children(self) -> None:
        for child in self.children:
            code = child.proc.poll()
            if code is not None:
                raise RuntimeError(
                    f"{child.name} exited with code {code}; see var/log/{child.name}.log"
                )

    def stop_all(self) -> None:
        """Services first (SIGTERM to each group), then NATS; SIGKILL whatever outlives grace."""
        services = [c for c in self.children if c.name != "nats"]
        nats = [c for c in self.children if c.name == "nats"]
        for group in (services, nats):
            _terminate(group, GRACE_SECONDS)
        for child in self.children:
            child.pump.join(timeout=2.0)  # the last lines a child printed while stopping
            child.log.close()
        (self.plan.var_dir / "run.json").unlink(missing_ok=True)

    def _write_run_file(self) -> None:
        pids = {c.name: c.proc.pid for c in self.children}
        record = {"supervisor": os.getpid(), "children": pids}
        (self.plan.var_dir / "run.json").write_text(json.dumps(record, indent=1))


def _answers(client: httpx.Client, url: str) -> bool:
    try:
        return client.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def _terminate(children: Iterable[Child], grace: float) -> None:
    children = list(children)
    for child in children:
        signal_group(child.proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children:
        try:
            child.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.proc.kill()
            child.proc.wait()
        signal_group(child.proc.pid, signal.SIGKILL)  # anything the child left in its group


def demo_logins(root: Path, environ: Mapping[str, str]) -> list[str]:
    """Demo users from ``deploy/seed/county.yaml`` (if present), for the banner."""
    seed = root / "deploy" / "seed" / "county.yaml"
    if not seed.exists():
        return []
    users = (yaml.safe_load(seed.read_text(encoding="utf-8")) or {}).get("demo_users") or []
    password = environ.get("YS_DEMO_PASSWORD") or DEMO_PASSWORD
    lines = [f"  demo logins (password: {password}):"]
    for user in users:
        positions = ", ".join(f"{p['dept']} {p['role']}" for p in user.get("positions", []))
        role = user.get("role") or positions
        lines.append(f"    {user['username']:<16} {user.get('name', ''):<6} {role}")
    return lines


def banner(plan: Plan, environ: Mapping[str, str]) -> str:
    gateway = plan.service("gateway")
    lines = [
        f"Yingshang 营商 is running. Ctrl-C stops everything; data stays in {plan.var_dir}.",
        f"  console     {gateway.url}/console/",
        f"  API docs    {gateway.url}/docs",
        *(f"  {s.name:<11} {s.url}" for s in plan.services),
        f"  NATS        {plan.nats_url}" + ("" if plan.external_nats else " (embedded)"),
        f"  logs        {plan.var_dir / 'log'}",
        *demo_logins(plan.root, environ),
    ]
    return "\n".join(lines)


def run(plan: Plan, environ: Mapping[str, str]) -> int:
    problems = busy_ports(plan)
    if problems:
        for problem in problems:
            print(f"make run: {problem}", file=sys.stderr)
        return 2
    for sub in ("log", "nats"):
        (plan.var_dir / sub).mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(plan, environ)
    _install_signals(supervisor)
    try:
        supervisor.start_nats()
        migrate(plan, supervisor.console.say)
        supervisor.start_services()
        supervisor.wait_healthy()
        if not supervisor.stopping.is_set():
            print(banner(plan, environ), flush=True)
            supervisor.watch()
        return 0
    except (RuntimeError, TimeoutError) as exc:
        supervisor.console.say("supervisor", f"error: {exc}")
        return 1
    finally:
        supervisor.console.say("supervisor", "stopping every process")
        supervisor.stop_all()
        supervisor.console.say("supervisor", "stopped")


def _install_signals(supervisor: Supervisor) -> None:
    def handler(signum: int, _frame: object) -> None:
        supervisor.stopping.set()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yingshang.supervisor")
    parser.add_argument("--config", type=Path, default=Path("deploy/services.toml"))
    parser.add_argument("--var", type=Path, default=Path(os.environ.get("YS_VAR_DIR", "var")))
    args = parser.parse_args(argv)
    plan = load_plan(args.config, args.var, os.environ)
    return run(plan, os.environ)


if __name__ == "__main__":
    sys.exit(main())
