"""Settings of gateway (env prefix ``YS_``; port moves with ``YS_GATEWAY_PORT``)."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator

from yingshang.settings import DEMO_SECRETS, ServiceSettings
from ys_gateway.directory.schemas import Username

SERVICES: dict[str, int] = {
    "approvals": 8001,
    "hotline": 8002,
    "complaints": 8003,
    "visits": 8004,
    "ratings": 8005,
}
DEMO_KEY_SECRET = "yingshang-demo-key-secret"  # noqa: S105 - refused in production


class Settings(ServiceSettings):
    service: str = "gateway"
    port: int = Field(8000, validation_alias=AliasChoices("YS_GATEWAY_PORT", "YS_PORT"))

    # Routing: YS_UPSTREAMS="hotline=http://a:8002|http://b:8002,approvals=..." or, per
    # service, YS_<SVC>_UPSTREAMS="http://a:8002,http://b:8002" (wins).
    upstreams: str = ""
    upstream_timeout_seconds: float = 30.0
    upstream_connect_timeout_seconds: float = 2.0
    upstream_cooldown_seconds: float = 5.0
    upstream_pool_size: int = 256
    max_body_bytes: int = 10 * 1024 * 1024
    cors_origins: str = "*"
    # The console's assets: 0 (the default) revalidates each on every load, so a new release is
    # never half cached; a test session serving one release throughout may let the browser keep
    # them this long instead (tests/browser: tens of revalidations less per page load).
    console_max_age_seconds: int = Field(0, ge=0)

    # Tokens (OAuth2 authorization server)
    signing_alg: Literal["Ed25519", "ES256"] = "Ed25519"
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 8 * 3600
    key_rotation_days: float = 30.0
    key_secret: str = DEMO_KEY_SECRET  # encrypts private keys and webhook secrets at rest
    # argon2id cost (RFC 9106 second recommended option by default); tests may lower it.
    password_time_cost: int = 3
    password_memory_kib: int = 65536

    # Login lockout (state in the gateway DB): N failures within the window lock for a while.
    lockout_threshold: int = 5
    lockout_window_seconds: int = 900
    lockout_seconds: int = 900

    # Rate limits (token bucket per replica, in memory)
    public_rate_per_minute: int = 600
    public_burst: int = 60
    client_burst_seconds: float = 10.0

    # Demo seed on first start with an empty DB (never in production)
    seed_demo: bool = True

    # The first administrator (ys_gateway.bootstrap): production seeds no people, so when the
    # directory holds no active BUREAU/admin at start-up, this account is made one. Its
    # password must be changed at the first sign-in; remove both after it (deploy/README.md).
    bootstrap_admin_username: Username | None = None
    bootstrap_admin_password: SecretStr | None = None
    bootstrap_admin_name: str = Field("系统管理员", min_length=1, max_length=120)

    # Webhooks
    webhook_sources: str = "approvals,hotline,complaints,visits,ratings,gateway"  # streams read
    webhook_timeout_seconds: float = 10.0
    webhook_retry_base_seconds: float = 2.0
    webhook_retry_max_seconds: float = 300.0
    webhook_give_up_hours: float = 72.0
    webhook_poll_seconds: float = 1.0
    webhook_concurrency: int = 16
    webhook_lease_seconds: float = 60.0
    # Receivers on loopback / private addresses (RFC 1918, fc00::/7): for receivers on the
    # county's own network and local test receivers. Unset: allowed outside production only.
    # Link-local (cloud metadata), multicast and the platform's own endpoints: never.
    webhook_allow_private: bool | None = None

    # The deadline ladder's SMS (ys_gateway.escalations): the streams whose warning / overdue /
    # escalated events text the people they name (the channel: YS_NOTIFY_CHANNEL and the
    # template ids YS_SMS_TEMPLATES, as every service's; deploy/README.md).
    escalation_sources: str = "approvals,hotline,complaints,visits,ratings"

    # Aggregations (health, docs)
    aggregate_timeout_seconds: float = 2.0
    openapi_cache_seconds: float = 30.0
    # A service's first spec (built on its first request): waited for longer than a refresh
    openapi_first_fetch_timeout_seconds: float = Field(15.0, gt=0)

    @model_validator(mode="after")
    def _refuse_demo_key_secret(self) -> Settings:
        if self.env == "production" and self.key_secret in {DEMO_KEY_SECRET, *DEMO_SECRETS}:
            raise ValueError("production mode refuses the demo key secret: set YS_KEY_SECRET")
        return self

    @field_validator("bootstrap_admin_username", "bootstrap_admin_password", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """compose passes an unset variable on as an empty one."""
        return None if value == "" else value

    @model_validator(mode="after")
    def _check_bootstrap_admin(self) -> Settings:
        username, password = self.bootstrap_admin_username, self.bootstrap_admin_password
        if (username is None) != (password is None):
            raise ValueError(
                "set YS_BOOTSTRAP_ADMIN_USERNAME and YS_BOOTSTRAP_ADMIN_PASSWORD together"
            )
        if username is not None and password is not None:
            problem = bootstrap_password_problem(
                password.get_secret_value(), username, production=self.env == "production"
            )
            if problem:
                raise ValueError(f"YS_BOOTSTRAP_ADMIN_PASSWORD {problem}")
        return self

    def upstream_map(self) -> dict[str, list[str]]:
        """Service name → replica base URLs (per-service variables win over YS_UPSTREAMS)."""
        table = {name: [f"http://127.0.0.1:{port}"] for name, port in SERVICES.items()}
        for item in filter(None, (part.strip() for part in self.upstreams.split(","))):
            name, _, urls = item.partition("=")
            table[name.strip()] = _urls(urls.replace("|", ","))
        for name in list(table):
            specific = os.environ.get(f"YS_{name.upper()}_UPSTREAMS")
            if specific:
                table[name] = _urls(specific)
        return table

    def webhook_private_allowed(self) -> bool:
        if self.webhook_allow_private is None:
            return self.env != "production"
        return self.webhook_allow_private

    def webhook_source_list(self) -> list[str]:
        return _names(self.webhook_sources)

    def escalation_source_list(self) -> list[str]:
        return _names(self.escalation_sources)


BOOTSTRAP_MIN_LENGTH = 12  # production; elsewhere the directory's rule (10)
PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH = 10, 200  # as directory.schemas.Password


def bootstrap_password_problem(password: str, username: str, *, production: bool) -> str | None:
    """Why ``password`` may not be the first administrator's, or ``None``.

    Everywhere: the length rule of passwords an administrator sets. In production also (the
    password travels through deployment files until its holder replaces it): not a demo
    secret, at least 12 characters of at least three kinds (lower case, upper case, digits,
    other), and not containing the username."""
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        return f"must have {PASSWORD_MIN_LENGTH}-{PASSWORD_MAX_LENGTH} characters"
    if not production:
        return None
    if password in DEMO_SECRETS:
        return "is the documented demo password: production refuses it"
    if len(password) < BOOTSTRAP_MIN_LENGTH:
        return f"is too weak for production: use at least {BOOTSTRAP_MIN_LENGTH} characters"
    kinds = (str.islower, str.isupper, str.isdigit)
    count = sum(any(kind(c) for c in password) for kind in kinds)
    count += any(not (c.islower() or c.isupper() or c.isdigit()) for c in password)
    if count < 3:
        return (
            "is too weak for production: mix at least three of lower case, upper case, "
            "digits and other characters"
        )
    if username.lower() in password.lower():
        return "is too weak for production: it contains the username"
    return None


def _names(raw: str) -> list[str]:
    return [s.strip() for s in raw.split(",") if s.strip()]


def _urls(raw: str) -> list[str]:
    return [u.strip().rstrip("/") for u in raw.split(",") if u.strip()]
