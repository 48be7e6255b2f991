"""``make rehearse``: the production shape on one machine, from the engines production uses.

Three JetStream nodes clustered over loopback (``deploy/nats/nats.conf``: ``sync_interval:
always``), one PostgreSQL database per service under fresh names (``ys_r_<service>``, dropped
and made again), every service's migrations, two uvicorn replicas of each service on their own
ports, and one gateway balancing across the replicas (``YS_<SERVICE>_UPSTREAMS``) and skipping
a dead one. Streams are R3 (``YS_NATS_STREAM_REPLICAS=3``). Ctrl-C stops everything.

    python scripts/rehearse.py [--url postgresql://postgres@127.0.0.1:5432/postgres]
                               [--services hotline,ratings] [--replicas 2] [--dir var/rehearsal]

``tests/cluster/test_rehearsal.py`` drives the same :class:`Rehearsal` (fewer services) and
kills a NATS node and a replica of each service in the middle of a flow.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx

from yingshang.processes import free_port, spawn, stop, wait_for_http
from yingshang.supervisor import ServiceSpec, load_plan, uvicorn_argv
from yingshang.testing import NatsCluster
from yingshang.testing.databases import pg_admin, run_sync, with_database

ROOT = Path(__file__).resolve().parents[1]
NATS_CONFIG = ROOT / "deploy" / "nats" / "nats.conf"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
START_TIMEOUT = 120.0


def service_dir(name: str) -> Path:
    """Where a service keeps ``alembic.ini`` and ``migrations/`` (``gateway/``, ``svc-<name>/``)."""
    return ROOT / ("gateway" if name == "gateway" else f"svc-{name}")


def all_services() -> list[ServiceSpec]:
    """The services of ``deploy/services.toml`` (the gateway first)."""
    return list(load_plan(ROOT / "deploy" / "services.toml", ROOT / "var", {}).services)


@dataclass
class Replica:
    """One uvicorn process of one service."""

    spec: ServiceSpec  # ``spec.port`` is this replica's port
    index: int
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def name(self) -> str:
        return f"{self.spec.name}-{self.index}"

    @property
    def url(self) -> str:
        return self.spec.url

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> Replica:
        with self.log_path.open("ab") as log:
            argv = uvicorn_argv(self.spec)
            self.proc = spawn(argv, env=self.env, cwd=ROOT, output=log, die_with_parent=True)
        return self

    def wait_healthy(self, timeout: float = START_TIMEOUT) -> None:
        try:
            wait_for_http(f"{self.url}/healthz", timeout=timeout, proc=self.proc)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{self.name}: {exc}\n{self.log_tail()}") from exc

    def kill(self) -> None:
        """SIGKILL, as a crashed process or a lost machine: no shutdown at all."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc, grace=10.0)

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Rehearsal:
    """NATS cluster + PostgreSQL databases + ``replicas`` processes per service + one gateway.

    ``services`` names the domain services to run (default: every one in services.toml); the
    gateway always runs. A service left out is routed to a port where nothing listens, so the
    gateway answers 502 for it rather than reaching whatever else runs on this machine.
    """

    workdir: Path
    pg_url: str = DEFAULT_PG
    services: list[str] | None = None
    replicas: int = 2
    prefix: str = "ys_r"
    extra_env: dict[str, str] = field(default_factory=dict)
    nats: NatsCluster | None = None
    gateway: Replica | None = None
    replica_sets: dict[str, list[Replica]] = field(default_factory=dict)
    monitor_ports: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        specs = all_services()
        known = [s.name for s in specs if s.name != "gateway"]
        wanted = self.services if self.services is not None else known
        unknown = sorted(set(wanted) - set(known))
        if unknown:
            raise ValueError(f"unknown services {unknown}; known: {known}")
        self.specs = {s.name: s for s in specs}
        self.chosen = [name for name in known if name in wanted]
        self.absent = [name for name in known if name not in wanted]
        self.log_dir = self.workdir / "log"

    # -- names -------------------------------------------------------------------------------

    def database(self, service: str) -> str:
        return f"{self.prefix}_{service}"

    def database_url(self, service: str) -> str:
        return with_database(self.pg_url, self.database(service))

    @property
    def nats_urls(self) -> list[str]:
        assert self.nats is not None
        return self.nats.urls

    @property
    def gateway_url(self) -> str:
        assert self.gateway is not None
        return self.gateway.url

    def replicas_of(self, service: str) -> list[Replica]:
        return self.replica_sets[service]

    # -- start / stop ------------------------------------------------------------------------

    def start(self, say: Callable[[str], None] | None = None) -> Rehearsal:
        tell = say or (lambda _line: None)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        try:
            began = time.monotonic()
            self._start_nats()
            tell(f"NATS: 3 JetStream nodes at {', '.join(self.nats_urls)}")
            self._create_databases()
            self._migrate()
            tell(f"PostgreSQL: databases {', '.join(self._names())} migrated")
            self._start_processes()
            tell(f"services up in {time.monotonic() - began:.0f} s")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        everything = [*(r for rs in self.replica_sets.values() for r in rs)]
        if self.gateway is not None:
            everything.append(self.gateway)
        with ThreadPoolExecutor(max_workers=max(1, len(everything))) as pool:
            list(pool.map(Replica.stop, everything))
        if self.nats is not None:
            self.nats.stop()

    def drop_databases(self) -> None:
        drops = [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self._names()]
        run_sync(pg_admin(self.pg_url, *drops))

    def _names(self) -> list[str]:
        return [self.database(name) for name in ["gateway", *self.chosen]]

    def _start_nats(self) -> None:
        self.nats = NatsCluster(self.workdir / "nats", name="ys-rehearsal")
        for node in self.nats.nodes:
            port = free_port()
            self.monitor_ports.append(port)
            # The production node configuration; addresses, names and store on the command line.
            node.extra += ["-c", str(NATS_CONFIG), "-m", str(port)]
        self.nats.start()

    def _create_databases(self) -> None:
        statements: list[str] = []
        for name in self._names():
            statements += [
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                f'CREATE DATABASE "{name}"',
            ]
        run_sync(pg_admin(self.pg_url, *statements))

    def _migrate(self) -> None:
        """Each service's migrations in a process of its own, two at a time (Alembic keeps
        module-level state: one migration per process)."""
        code = "import sys; from pathlib import Path; from yingshang.migrate import upgrade; "
        code += "upgrade(Path(sys.argv[1]), sys.argv[2])"

        def migrate(service: str) -> tuple[str, int, str]:
            argv = [sys.executable, "-c", code, str(service_dir(service))]
            argv.append(self.database_url(service))
            done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=False)  # noqa: S603
            return service, done.returncode, done.stderr[-3000:]

        with ThreadPoolExecutor(max_workers=2) as pool:
            for service, code_, err in pool.map(migrate, ["gateway", *self.chosen]):
                if code_ != 0:
                    raise RuntimeError(f"migrations of {service} failed:\n{err}")

    def _env(self, spec: ServiceSpec) -> dict[str, str]:
        gateway_url = self.gateway.url if self.gateway else ""
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "YS_NATS_URL": ",".join(self.nats_urls),
            "YS_NATS_STREAM_REPLICAS": "3",
            "YS_VAR_DIR": str(self.workdir / "var"),
            "YS_JWKS_URL": f"{gateway_url}/.well-known/jwks.json",
            "YS_PUBLIC_BASE_URL": os.environ.get("YS_PUBLIC_BASE_URL", gateway_url),
            f"YS_{spec.name.upper()}_DATABASE_URL": self.database_url(spec.name),
            spec.port_variable: str(spec.port),
            **self.extra_env,
        }
        env.pop("YS_DATABASE_URL", None)
        return env

    def _start_processes(self) -> None:
        gateway_spec = replace(self.specs["gateway"], port=free_port())
        self.gateway = Replica(gateway_spec, 0, {}, self.log_dir / "gateway-0.log")
        for name in self.chosen:
            base = self.specs[name]
            self.replica_sets[name] = [
                Replica(
                    replace(base, port=free_port()),
                    index,
                    {},
                    self.log_dir / f"{name}-{index}.log",
                )
                for index in range(self.replicas)
            ]
        self.gateway.env = self._env(gateway_spec)
        for name, replicas in self.replica_sets.items():
            self.gateway.env[f"YS_{name.upper()}_UPSTREAMS"] = ",".join(r.url for r in replicas)
            for replica in replicas:
                replica.env = self._env(replica.spec)
        for name in self.absent:  # nothing listens there: 502, never someone else's server
            self.gateway.env[f"YS_{name.upper()}_UPSTREAMS"] = f"http://127.0.0.1:{free_port()}"
        # First replicas, then the others: each service seeds its defaults at start-up, and two
        # first starts on an empty database race on the seed's unique keys (the loser exits;
        # deploy/README.md, "First start"). Later starts find the seed and change nothing.
        first = [self.gateway, *(rs[0] for rs in self.replica_sets.values())]
        others = [r for rs in self.replica_sets.values() for r in rs[1:]]
        for wave in (first, others):
            for replica in wave:
                replica.start()
            for replica in wave:
                replica.wait_healthy()

    def nats_varz(self, node: int) -> dict[str, object]:
        """The monitoring ``/varz`` of one NATS node."""
        response = httpx.get(f"http://127.0.0.1:{self.monitor_ports[node]}/varz", timeout=5)
        response.raise_for_status()
        result: dict[str, object] = response.json()
        return result


def banner(rehearsal: Rehearsal) -> str:
    lines = [
        "Yingshang rehearsal is running (Ctrl-C stops everything).",
        f"  gateway     {rehearsal.gateway_url}  (console {rehearsal.gateway_url}/console/)",
    ]
    for name, replicas in rehearsal.replica_sets.items():
        lines.append(f"  {name:<11} " + "  ".join(r.url for r in replicas))
    lines.append(f"  NATS        {', '.join(rehearsal.nats_urls)} (R3, sync_interval: always)")
    monitors = ", ".join(f"http://127.0.0.1:{p}/varz" for p in rehearsal.monitor_ports)
    lines.append(f"  monitoring  {monitors}")
    lines.append(f"  PostgreSQL  {', '.join(rehearsal._names())} on {rehearsal.pg_url}")
    lines.append(f"  logs        {rehearsal.log_dir}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("YS_PG_URL", DEFAULT_PG))
    parser.add_argument("--services", default="", help="comma-separated (default: every one)")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "rehearsal")
    parser.add_argument(
        "--check", action="store_true", help="start, print the banner, check health, stop"
    )
    args = parser.parse_args(argv)
    services = [s.strip() for s in args.services.split(",") if s.strip()] or None
    shutil.rmtree(args.dir, ignore_errors=True)
    rehearsal = Rehearsal(args.dir, args.url, services, args.replicas)
    stopping = {"now": False}

    def handler(signum: int, _frame: object) -> None:
        stopping["now"] = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, handler)
    try:
        rehearsal.start(say=lambda line: print(f"rehearse | {line}", flush=True))
        print(banner(rehearsal), flush=True)
        if args.check:
            return check(rehearsal)
        while not stopping["now"]:
            time.sleep(0.5)
            for replica in [rehearsal.gateway, *_all(rehearsal)]:
                if replica is not None and not replica.running:
                    print(f"rehearse | {replica.name} exited:\n{replica.log_tail()}", flush=True)
                    return 1
        return 0
    finally:
        print("rehearse | stopping every process", flush=True)
        rehearsal.stop()


def _all(rehearsal: Rehearsal) -> list[Replica]:
    return [r for rs in rehearsal.replica_sets.values() for r in rs]


def check(rehearsal: Rehearsal) -> int:
    """The gateway's aggregated health: every replica of every service answers."""
    report = httpx.get(f"{rehearsal.gateway_url}/healthz", timeout=30).json()
    for name, health in report["services"].items():
        up = sum(1 for r in health["replicas"] if r["ok"])
        print(f"rehearse | {name}: {health['status']} ({up}/{len(health['replicas'])} replicas)")
    print(f"rehearse | gateway NATS connected: {report['nats']['connected']}", flush=True)
    print(f"rehearse | platform: {report['status']}", flush=True)
    return 0 if report["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
