"""CloudEvents 1.0 envelope (JSON structured mode) with the W3C ``traceparent`` extension.

``type`` is the NATS subject: ``ys.<service>.<aggregate>.<event>``. Payloads carry ids and
masked data only.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, field_validator

from yingshang.clock import now
from yingshang.ids import uuid7_text
from yingshang.observability import child_traceparent, traceparent_var

SUBJECT_RE = re.compile(r"^ys\.[a-z_]+\.[a-z_]+\.[a-z_]+$")


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 structured-mode event."""

    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: str = "1.0"
    id: str = Field(default_factory=uuid7_text)
    source: str
    type: str
    subject: str | None = None
    time: datetime = Field(default_factory=now)
    datacontenttype: str = "application/json"
    traceparent: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("type")
    @classmethod
    def _subject_shaped(cls, value: str) -> str:
        if not SUBJECT_RE.match(value):
            raise ValueError("type must be ys.<service>.<aggregate>.<event>")
        return value

    @field_validator("specversion")
    @classmethod
    def _v1(cls, value: str) -> str:
        if value != "1.0":
            raise ValueError("only CloudEvents 1.0")
        return value

    @property
    def nats_subject(self) -> str:
        return self.type

    def to_json(self) -> bytes:
        """The structured-mode JSON, ``None`` fields left out: pydantic writes it in one pass
        (the same text as dumping to a dict and encoding that with orjson)."""
        return self.__pydantic_serializer__.to_json(self, exclude_none=True)

    @classmethod
    def from_json(cls, raw: bytes) -> CloudEvent:
        return cls.model_validate(orjson.loads(raw))


def make_event(
    service: str, type_: str, data: BaseModel | dict[str, Any], *, subject: str | None = None
) -> CloudEvent:
    """Build an event from a payload model; source is ``/yingshang/<service>``."""
    payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    return CloudEvent(
        source=f"/yingshang/{service}",
        type=type_,
        subject=subject,
        data=payload,
        traceparent=child_traceparent(traceparent_var.get()),
    )
