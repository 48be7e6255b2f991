"""The deployment files, checked without a container engine (none runs here): the compose file
against the official compose-spec JSON schema (as vendored by check-jsonschema), each Dockerfile
through BuildKit's own parser (the ``dockerfile`` package), the NATS node configuration through
``nats-server -t``, and what ties them to the code: ports, modules, replicas, upstreams."""

from __future__ import annotations

import importlib
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import dockerfile  # type: ignore[import-not-found]
import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml
from check_jsonschema.builtin_schemas import get_builtin_schema  # type: ignore[import-untyped]

from yingshang.processes import nats_server_binary

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PLAN = tomllib.loads((DEPLOY / "services.toml").read_text(encoding="utf-8"))["service"]
DOMAIN = [s for s in PLAN if s["name"] != "gateway"]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))
    return document


def test_compose_file_is_valid_against_the_compose_spec(compose: dict[str, Any]) -> None:
    schema = get_builtin_schema("vendor.compose-spec")
    validator = jsonschema.Draft202012Validator(schema)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []


def test_the_spec_check_catches_a_broken_file(compose: dict[str, Any]) -> None:
    """The validator above is not vacuous: a misspelt key and a wrong type are refused."""
    broken = {**compose, "services": {**compose["services"]}}
    broken["services"]["postgres"] = {**compose["services"]["postgres"], "restrat": "always"}
    broken["services"]["nats-1"] = {**compose["services"]["nats-1"], "ports": 4222}
    validator = jsonschema.Draft202012Validator(get_builtin_schema("vendor.compose-spec"))
    assert len(list(validator.iter_errors(broken))) >= 2


def test_compose_runs_postgres_three_nats_nodes_and_two_replicas_of_everything(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert "postgres" in services
    nats = [services[f"nats-{n}"] for n in (1, 2, 3)]
    for n, node in enumerate(nats, start=1):
        assert node["command"] == ["-c", "/etc/nats/nats.conf", "-n", f"nats-{n}", "-sd", "/data"]
        assert "./nats/nats.conf:/etc/nats/nats.conf:ro" in node["volumes"]
    gateway_env = services["gateway"]["environment"]
    for spec in DOMAIN:
        name, port = spec["name"], spec["port"]
        replicas = [services[f"{name}-1"], services[f"{name}-2"]]
        for replica in replicas:
            env = replica["environment"]
            assert env["YS_NATS_STREAM_REPLICAS"] == "3"
            assert env["YS_NATS_URL"].count("nats://nats-") == 3
            assert f"@postgres:5432/ys_{name}" in env[f"YS_{name.upper()}_DATABASE_URL"]
            assert replica["build"]["dockerfile"] == f"deploy/docker/{name}.Dockerfile"
        # The gateway balances across both replicas by name, on the port the image exposes.
        upstreams = f"http://{name}-1:{port},http://{name}-2:{port}"
        assert gateway_env[f"YS_{name.upper()}_UPSTREAMS"] == upstreams
        # Migrations first; the second replica after the first is healthy (first-start seed).
        first = replicas[0]["depends_on"]
        assert first[f"{name}-migrate"] == {"condition": "service_completed_successfully"}
        assert replicas[1]["depends_on"] == {f"{name}-1": {"condition": "service_healthy"}}
        assert services[f"{name}-migrate"]["restart"] == "no"
    published = [n for n, s in services.items() if s.get("ports")]
    assert published == ["gateway"]  # nothing else is reachable from outside the host
    for name, service in services.items():
        for needed in service.get("depends_on", {}):
            assert needed in services, f"{name} depends on unknown {needed}"
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (DEPLOY / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in compose["volumes"], f"{name} uses undeclared volume {source}"


def test_production_containers_never_start_on_the_file_sms_channel(
    compose: dict[str, Any],
) -> None:
    """Production refuses the file notification channel (phones in clear on disk): every
    container in production mode names the county SMS gateway's channel unless told otherwise."""
    production = {
        name: service["environment"]
        for name, service in compose["services"].items()
        if service.get("environment", {}).get("YS_ENV") == "production"
    }
    built = {name for name, service in compose["services"].items() if "build" in service}
    assert set(production) == built  # every container of ours, migration jobs included
    for name, env in production.items():
        assert env.get("YS_NOTIFY_CHANNEL") == "${YS_NOTIFY_CHANNEL:-sms_http}", name
        assert "YS_SMS_GATEWAY_URL" in env, name


def test_migration_jobs_name_what_exists(compose: dict[str, Any]) -> None:
    for spec in PLAN:
        name = spec["name"]
        code = compose["services"][f"{name}-migrate"]["command"][2]
        module = spec["app"].partition(":")[0]
        assert f"from {module} import SERVICE_DIR" in code
        service_dir = importlib.import_module(module).SERVICE_DIR
        assert (service_dir / "alembic.ini").is_file()
        assert (service_dir / "migrations").is_dir()
        settings_module, _, settings_class = spec["settings"].partition(":")
        assert f"from {settings_module} import {settings_class}" in code


def stages(commands: tuple[Any, ...]) -> list[list[Any]]:
    result: list[list[Any]] = []
    for command in commands:
        if command.cmd == "FROM":
            result.append([])
        result[-1].append(command)
    return result


@pytest.mark.parametrize("spec", PLAN, ids=lambda s: s["name"])
def test_dockerfile_is_multi_stage_non_root_with_a_healthcheck(spec: dict[str, Any]) -> None:
    path = DEPLOY / "docker" / f"{spec['name']}.Dockerfile"
    commands = dockerfile.parse_file(str(path))
    built = stages(commands)
    assert len(built) >= 2, "multi-stage: build tools stay out of the runtime image"
    runtime = built[-1]
    copied_from = [c for c in runtime if c.cmd == "COPY" and any("--from" in f for f in c.flags)]
    assert copied_from, "the runtime stage takes the built environment from the build stage"
    users = [c.value[0] for c in runtime if c.cmd == "USER"]
    assert users, "the runtime stage sets a user"
    assert users[-1].split(":")[0] not in {"root", "0"}
    port = str(spec["port"])
    assert [c.value for c in runtime if c.cmd == "EXPOSE"] == [(port,)]
    [health] = [c for c in runtime if c.cmd == "HEALTHCHECK"]
    assert f"127.0.0.1:{port}/healthz" in health.original
    [cmd] = [c for c in runtime if c.cmd == "CMD"]
    assert cmd.json
    assert list(cmd.value[:3]) == ["uvicorn", "--factory", spec["app"]]
    assert cmd.value[cmd.value.index("--port") + 1] == port
    # Every source path the image copies from the repository exists.
    for command in (c for c in commands if c.cmd == "COPY" and not c.flags):
        for source in command.value[:-1]:
            assert (ROOT / source).exists(), f"{path.name} copies missing {source}"


def test_dockerfile_parser_refuses_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "Dockerfile"
    broken.write_text("FROM python:3.11-slim\nRUN <<EOF\necho never closed\n")
    with pytest.raises(dockerfile.GoParseError):
        dockerfile.parse_file(str(broken))


def test_nats_node_configuration_is_accepted_by_nats_server() -> None:
    argv = [str(nats_server_binary()), "-t", "-c", str(DEPLOY / "nats" / "nats.conf")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (DEPLOY / "nats" / "nats.conf").read_text(encoding="utf-8")
    assert "sync_interval: always" in text
