"""A skeleton service: exactly the anatomy every service gets from ``create_service_app``
(``/healthz``, ``/readyz``, ``GET /api/v1/<service>/me``) and nothing else.

Tests and the gateway benchmark run it as an upstream with uvicorn:
``YS_SKELETON_SERVICE=hotline uvicorn --factory ys_gateway.testing.skeleton:create_app``.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from yingshang.app import create_service_app
from yingshang.settings import ServiceSettings


def create_app() -> FastAPI:
    service = os.environ.get("YS_SKELETON_SERVICE", "hotline")
    settings = ServiceSettings(service=service, workers_enabled=False)
    return create_service_app(settings, title=f"skeleton {service}")
