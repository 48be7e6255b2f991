"""gateway tables (its own database). Plumbing tables come from yingshang.

The live org directory (departments, people, positions, halls, windows), integration
clients, token state (signing keys, refresh tokens, login failures) and webhooks.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import TYPE_MAP, IdMixin, TimestampMixin, UTCDateTime, new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_MAP


class Department(TimestampMixin, Base):
    """A unit of the county: coordinating body, government department, town, federation."""

    __tablename__ = "gw_departments"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # coordinating/department/town/federation
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("gw_departments.code"))
    head_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("gw_users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(IdMixin, TimestampMixin, Base):
    """A member of staff. Citizens have no accounts (ARCHITECTURE.md, "Auth and access")."""

    __tablename__ = "gw_users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    staff_no: Mapped[str | None] = mapped_column(String(40), unique=True)  # 工号
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    # Set when an administrator chose the password (new account, reset): someone else knows
    # it, so the person must choose their own at the next sign-in before doing anything else.
    password_change_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # 工作手机 work mobile, for the deadline ladder's SMS (ys_gateway.escalations): sealed at
    # rest (crypto.SecretBox); what lists show is the masked form kept beside it.
    mobile_sealed: Mapped[str | None] = mapped_column(Text)
    mobile_masked: Mapped[str | None] = mapped_column(String(20))


class Position(IdMixin, Base):
    """One post a person holds; several per person (交叉挂职 cross-posting)."""

    __tablename__ = "gw_positions"
    __table_args__ = (UniqueConstraint("user_id", "dept_code", "role"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gw_users.id", ondelete="CASCADE"))
    dept_code: Mapped[str] = mapped_column(ForeignKey("gw_departments.code"))
    role: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(60))  # e.g. 副局长


class Hall(Base):
    """A service hall (政务服务大厅 / 便民服务中心)."""

    __tablename__ = "gw_halls"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    dept_code: Mapped[str] = mapped_column(ForeignKey("gw_departments.code"))


class Window(Base):
    """A window (窗口) of a hall."""

    __tablename__ = "gw_windows"

    hall_code: Mapped[str] = mapped_column(ForeignKey("gw_halls.code"), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))


class Client(TimestampMixin, Base):
    """An integration client (provincial platform, agencies): OAuth2 client credentials."""

    __tablename__ = "gw_clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    secret_hash: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    rate_limit_per_minute: Mapped[int] = mapped_column(Integer, default=600)
    allowed_cidrs: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: any
    owner_dept: Mapped[str | None] = mapped_column(ForeignKey("gw_departments.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SigningKey(Base):
    """A token signing key; the private half is encrypted at rest (PKCS#8 + passphrase)."""

    __tablename__ = "gw_signing_keys"

    kid: Mapped[str] = mapped_column(String(40), primary_key=True)
    alg: Mapped[str] = mapped_column(String(20))
    private_pem: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # stops signing
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # leaves the JWKS


class RefreshToken(Base):
    """A rotating refresh token; only its SHA-256 is stored. Reuse revokes the family."""

    __tablename__ = "gw_refresh_tokens"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gw_users.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(400), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginFailure(Base):
    """Failed logins per username (known or not, so lockout reveals no account)."""

    __tablename__ = "gw_login_failures"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Webhook(IdMixin, TimestampMixin, Base):
    """A client's subscription: event type patterns → URL, signed with a ``whsec_`` secret."""

    __tablename__ = "gw_webhooks"

    client_id: Mapped[str] = mapped_column(ForeignKey("gw_clients.client_id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(500))
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret_enc: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str | None] = mapped_column(String(200))


class WebhookDelivery(Base):
    """One event owed to one webhook; ``seq`` orders deliveries of the same subject."""

    __tablename__ = "gw_webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id"),
        Index("ix_gw_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_gw_webhook_deliveries_queue", "webhook_id", "subject", "status", "seq"),
    )

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    webhook_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gw_webhooks.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))  # CloudEvents subject: the case
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # masked CloudEvent
    status: Mapped[str] = mapped_column(String(12), default="pending")  # delivered / failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # sender replica holding it
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebhookAttempt(IdMixin, Base):
    """Every delivery attempt, kept for the client's and the operators' inspection."""

    __tablename__ = "gw_webhook_attempts"

    delivery_seq: Mapped[int] = mapped_column(
        ForeignKey("gw_webhook_deliveries.seq", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


class DeadlineNotice(IdMixin, Base):
    """One person the deadline ladder named for one step of a case's stage: texted
    (``queued``: the SMS is in ``ys_notifications``) or not reachable (``no_mobile``).

    One row per (stage, level, due time, person): a redelivered event texts nobody twice, and
    the ``overdue`` and level-1 ``escalated`` events of one stage (both level 1, both at the
    due time by default) text the department head once. A new due time (延期) is a new step.
    """

    __tablename__ = "gw_deadline_notices"
    __table_args__ = (
        UniqueConstraint("stage_id", "level", "due_at", "user_id"),
        Index("ix_gw_deadline_notices_status", "status", "user_id"),
    )

    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(200))
    case_number: Mapped[str] = mapped_column(String(80))
    department: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(40))
    stage_id: Mapped[uuid.UUID] = mapped_column()
    level: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gw_users.id", ondelete="CASCADE"))
    staff_no: Mapped[str | None] = mapped_column(String(40))  # 工号 at the time
    status: Mapped[str] = mapped_column(String(12))  # queued | no_mobile
    notification_id: Mapped[uuid.UUID | None] = mapped_column()  # the ys_notifications row
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
