"""The `make run` supervisor's plan: ports from the environment, clear refusals, the banner."""

from __future__ import annotations

import importlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from yingshang.processes import free_port
from yingshang.supervisor import (
    RESTARTS,
    Supervisor,
    banner,
    busy_ports,
    child_env,
    load_plan,
    run,
)

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "services.toml"


def test_every_port_moves_with_its_variable(tmp_path: Path) -> None:
    plan = load_plan(CONFIG, tmp_path, {"YS_HOTLINE_PORT": "9102", "YS_NATS_PORT": "9222"})
    assert plan.service("hotline").port == 9102
    assert plan.service("gateway").port == 8000  # untouched defaults stay
    assert plan.nats_url == "nats://127.0.0.1:9222"
    assert plan.services[0].name == "gateway"  # started first: it serves the JWKS


def test_external_nats_replaces_the_embedded_one(tmp_path: Path) -> None:
    plan = load_plan(CONFIG, tmp_path, {"YS_NATS_URL": "nats://broker.example:4222"})
    assert plan.nats_url == "nats://broker.example:4222"
    assert child_env(plan, plan.service("ratings"), {})["YS_NATS_URL"] == plan.nats_url


def test_children_learn_where_nats_var_and_the_keys_are(tmp_path: Path) -> None:
    plan = load_plan(CONFIG, tmp_path, {"YS_GATEWAY_PORT": "9100"})
    env = child_env(plan, plan.service("hotline"), {"PATH": "/usr/bin"})
    assert env["YS_JWKS_URL"] == "http://127.0.0.1:9100/.well-known/jwks.json"
    assert env["YS_VAR_DIR"] == str(tmp_path.resolve())
    assert env["YS_HOTLINE_UPSTREAMS"] == plan.service("hotline").url
    assert env["PATH"] == "/usr/bin"
    # the rating link in an SMS starts with the gateway's address, unless the county sets its own
    assert env["YS_PUBLIC_BASE_URL"] == "http://127.0.0.1:9100"
    public = {"YS_PUBLIC_BASE_URL": "https://zwfw.yingshang.gov.cn"}
    own = child_env(plan, plan.service("ratings"), public)
    assert own["YS_PUBLIC_BASE_URL"] == "https://zwfw.yingshang.gov.cn"


def test_a_taken_port_is_refused_naming_the_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        plan = load_plan(CONFIG, tmp_path, {"YS_VISITS_PORT": str(port)})
        assert busy_ports(plan)[0].startswith(f"port {port} (visits) is already in use")
        assert run(plan, {}) == 2
    assert "YS_VISITS_PORT" in capsys.readouterr().err
    assert not (tmp_path / "log").exists()  # refused before starting anything


# In a fresh interpreter: where the supervisor finds each service's migrations, and whether it
# had to load any service's app (the whole web stack) to find them.
FIND_MIGRATIONS = """
import json, sys
from pathlib import Path
from yingshang.supervisor import load_plan, service_dir
plan = load_plan(Path(sys.argv[1]), Path(sys.argv[2]), {})
found = {s.name: str(service_dir(s)) for s in plan.services}
apps = [s.app.partition(":")[0] for s in plan.services]
print(json.dumps({"found": found, "loaded": [a for a in apps if a in sys.modules]}))
"""


def test_migrations_are_found_without_loading_the_services(tmp_path: Path) -> None:
    """Each service's migrations folder is its app module's SERVICE_DIR; the supervisor finds
    it without importing the app (start-up time and memory spent on nothing)."""
    argv = [sys.executable, "-c", FIND_MIGRATIONS, str(CONFIG), str(tmp_path)]
    answer = json.loads(subprocess.run(argv, capture_output=True, check=True, text=True).stdout)
    assert answer["loaded"] == []
    plan = load_plan(CONFIG, tmp_path, {})
    for spec in plan.services:
        module = importlib.import_module(spec.app.partition(":")[0])
        assert Path(answer["found"][spec.name]) == module.SERVICE_DIR, spec.name
        assert (module.SERVICE_DIR / "migrations").is_dir(), spec.name


def test_banner_shows_console_docs_and_demo_logins(tmp_path: Path) -> None:
    plan = load_plan(CONFIG, tmp_path, {})
    text = banner(plan, {"YS_DEMO_PASSWORD": "s3cret-demo"})
    assert "http://127.0.0.1:8000/console/" in text
    assert "http://127.0.0.1:8000/docs" in text
    if (ROOT / "deploy" / "seed" / "county.yaml").exists():
        assert "password: s3cret-demo" in text


def test_an_exited_child_restarts_until_it_keeps_failing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A child that exits after start-up comes back with a new pid in run.json; one that
    keeps exiting stops the supervisor."""
    (tmp_path / "log").mkdir()
    supervisor = Supervisor(load_plan(CONFIG, tmp_path, {}), {})
    argv = [sys.executable, "-c", "import sys; sys.exit(3)"]
    child = supervisor.start("flaky", argv, dict(os.environ))
    try:
        for _ in range(RESTARTS):
            child.proc.wait(timeout=30)
            supervisor.restart(child)
            [child] = supervisor.children
            record = json.loads((tmp_path / "run.json").read_text())
            assert record["children"] == {"flaky": child.proc.pid}
        child.proc.wait(timeout=30)
        with pytest.raises(RuntimeError, match="flaky exited 6 times"):
            supervisor.restart(child)
    finally:
        supervisor.stop_all()
    assert capsys.readouterr().out.count("flaky exited with code 3: restarting") == RESTARTS
