"""Every service of the repository as data (``deploy/services.toml``), for cross-service suites.

@pytest.mark.parametrize("service", load_services(ROOT), ids=lambda s: s.name)
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, NamedTuple

from yingshang.supervisor import load_plan


class Service(NamedTuple):
    name: str
    create_app: Any
    settings_class: Any
    service_dir: Path


def _load(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def load_services(root: Path) -> list[Service]:
    """Import each service named in ``root/deploy/services.toml``."""
    plan = load_plan(root / "deploy" / "services.toml", root / "var", {})
    services = []
    for spec in plan.services:
        app_module = importlib.import_module(spec.app.partition(":")[0])
        factory = _load(spec.app)
        services.append(Service(spec.name, factory, _load(spec.settings), app_module.SERVICE_DIR))
    return services
