"""Settings base: pydantic-settings with the ``YS_`` prefix.

Every service subclasses :class:`ServiceSettings`, sets ``service`` and its default port, and
gets a per-service database URL (``YS_<SERVICE>_DATABASE_URL`` or ``YS_DATABASE_URL``).
Production mode refuses the documented demo secrets, and the file notification channel.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_PASSWORD = "yingshang-demo"  # noqa: S105 - documented demo default, refused in production
DEMO_SECRETS = frozenset({DEMO_PASSWORD, "change-me", "secret", ""})
DEMO_DATA_SECRET = "yingshang-demo-data-secret"  # noqa: S105 - refused in production
# The county's organisation (departments, towns, halls, windows, demo users) in a checkout; an
# absolute path, so a service started or tested from any working directory finds it.
COUNTY_FILE = Path(__file__).resolve().parents[3] / "deploy" / "seed" / "county.yaml"


class ServiceSettings(BaseSettings):
    """Common settings. Subclasses set ``service`` and ``port`` defaults."""

    # Errors name the setting, never echo the input: it holds secrets (passwords, keys).
    model_config = SettingsConfigDict(
        env_prefix="YS_", env_file=".env", extra="ignore", hide_input_in_errors=True
    )

    service: str = "service"
    env: Literal["dev", "test", "production"] = "dev"
    host: str = "127.0.0.1"
    port: int = 8000
    var_dir: Path = Path("var")
    county_file: Path = COUNTY_FILE  # YS_COUNTY_FILE; services fall back to built-ins if absent
    database_url: str | None = None
    nats_url: str = "nats://127.0.0.1:14222"
    nats_stream_replicas: int = 1
    # Token verification (zero trust: every service verifies tokens itself).
    jwks_url: str = "http://127.0.0.1:8000/.well-known/jwks.json"
    jwks_file: Path | None = None  # tests and offline runs: a JWKS document on disk
    jwt_issuer: str = "yingshang-gateway"
    jwt_audience: str = "yingshang"
    demo_password: str = DEMO_PASSWORD
    # Personal data sealed at rest (yingshang.sealing): YS_DATA_SECRET seals, and the secrets
    # it replaced (YS_DATA_SECRETS_PREVIOUS, a JSON list) still open what they sealed.
    data_secret: str = DEMO_DATA_SECRET
    data_secrets_previous: list[str] = Field(default_factory=list)
    timezone: str = "Asia/Shanghai"
    log_level: str = "INFO"
    relay_poll_seconds: float = 1.0
    relay_batch_size: int = 1000
    relay_backlog_warn_seconds: float = 60.0  # readiness warns when the oldest unsent is older
    outbox_retention_hours: float = 72.0  # sent outbox rows are purged after this
    # Notifications (yingshang.notify): "file" writes JSON lines (dev, tests; refused in
    # production: recipients' phones in clear on disk); "sms_http" posts to the county SMS
    # gateway with the template ids below; "off" keeps them pending.
    notify_channel: Literal["file", "sms_http", "off"] = "file"
    notify_file: Path | None = None  # default: <var_dir>/notifications.jsonl
    notify_poll_seconds: float = 2.0
    sms_gateway_url: str | None = None
    sms_templates: dict[str, str] = Field(default_factory=dict)  # template name -> gateway id
    sweep_interval_seconds: float = 1.0
    # Working-day calendar (yingshang.time): holiday-cn year files to load at start-up, as a
    # JSON list (YS_CALENDAR_FILES='["/etc/ys/2027.json"]'), and office hours on working days.
    calendar_files: list[Path] = Field(default_factory=list)
    office_hours: str = "09:00-12:00,13:30-17:30"
    workers_enabled: bool = Field(True, description="run relay, consumers and sweeper in-process")
    freeze_heap: bool = Field(
        True, description="gc.freeze() what start-up allocated (off in in-process tests)"
    )

    @model_validator(mode="after")
    def _refuse_demo_secrets_in_production(self) -> ServiceSettings:
        if self.env == "production" and self.demo_password in DEMO_SECRETS:
            raise ValueError("production mode refuses the demo password: set YS_DEMO_PASSWORD")
        if self.env == "production" and self.data_secret in {DEMO_DATA_SECRET, *DEMO_SECRETS}:
            raise ValueError("production mode refuses the demo data secret: set YS_DATA_SECRET")
        if self.env == "production" and self.notify_channel == "file":
            raise ValueError(
                "production mode refuses the file notification channel (it writes phone numbers "
                "in clear to disk): set YS_NOTIFY_CHANNEL=sms_http and YS_SMS_GATEWAY_URL, or off"
            )
        return self

    def db_url(self) -> str:
        """The service's database URL; SQLite file under ``var/`` by default."""
        specific = os.environ.get(f"YS_{self.service.upper()}_DATABASE_URL")
        if specific:
            return specific
        if self.database_url:
            return self.database_url
        path = (self.var_dir / f"{self.service}.sqlite3").resolve()
        return f"sqlite+aiosqlite:///{path}"
