"""Event catalogue: every event type with its payload model, producer and description.

Producers register their payload models here (``<domain>/events.py``); consumers validate what
they receive against the same models, like any external input (ARCHITECTURE.md, "Events").
``asyncapi()`` renders the catalogue as one AsyncAPI 3.0 document the gateway serves.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from yingshang.events.envelope import SUBJECT_RE, CloudEvent

CLOUDEVENTS_JSON = "application/cloudevents+json"
REQUIRED_ATTRIBUTES = ("specversion", "id", "source", "type")  # CloudEvents 1.0, REQUIRED


class EventRejected(Exception):
    """An incoming event that must not reach a handler: unknown, invalid or forged."""

    def __init__(self, reason: str, *, kind: str = "invalid") -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind  # "malformed" | "unknown" | "invalid" | "forged"


@dataclass(frozen=True, slots=True)
class EventSpec:
    """One event type of the contract (ARCHITECTURE.md, "Event contract")."""

    type: str
    payload: builtins.type[BaseModel]
    description: str
    producer: str
    consumers: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        return f"/yingshang/{self.producer}"


@dataclass(frozen=True, slots=True)
class ParsedEvent:
    event: CloudEvent
    payload: BaseModel
    spec: EventSpec


def producer_of(type_: str) -> str:
    """``ys.hotline.ticket.closed`` → ``hotline`` (the service that owns the subject)."""
    return type_.split(".")[1]


class EventCatalogue:
    """Registry of event types: type → payload model, description, producer."""

    def __init__(self, title: str = "Yingshang events", version: str = "1.0.0") -> None:
        self.title, self.version = title, version
        self._specs: dict[str, EventSpec] = {}

    def register(
        self,
        type_: str,
        payload: type[BaseModel],
        *,
        description: str,
        consumers: tuple[str, ...] = (),
        replace: bool = False,
    ) -> EventSpec:
        """Add an event type; its producer is the service named in the subject."""
        if not SUBJECT_RE.match(type_):
            raise ValueError(f"{type_!r} is not ys.<service>.<aggregate>.<event>")
        if type_ in self._specs and not replace:
            raise ValueError(f"{type_} is already registered")
        spec = EventSpec(type_, payload, description, producer_of(type_), consumers)
        self._specs[type_] = spec
        return spec

    def include(self, other: EventCatalogue) -> EventCatalogue:
        """Merge another catalogue's types (e.g. every service's, for the gateway)."""
        for spec in other:
            self._specs[spec.type] = spec
        return self

    def spec(self, type_: str) -> EventSpec:
        try:
            return self._specs[type_]
        except KeyError:
            raise EventRejected(f"unknown event type {type_}", kind="unknown") from None

    def __contains__(self, type_: object) -> bool:
        return type_ in self._specs

    def __iter__(self) -> Iterator[EventSpec]:
        return iter(sorted(self._specs.values(), key=lambda s: s.type))

    def __len__(self) -> int:
        return len(self._specs)

    def parse(self, raw: bytes, *, subject: str | None = None) -> ParsedEvent:
        """Decode, check and validate an incoming event; :class:`EventRejected` says why not."""
        return self.validate(_envelope(raw), subject=subject)

    def validate(self, event: CloudEvent, *, subject: str | None = None) -> ParsedEvent:
        spec = self.spec(event.type)
        _check_origin(event, spec, subject)
        try:
            payload = spec.payload.model_validate(event.data)
        except ValidationError as exc:
            raise EventRejected(f"invalid payload for {event.type}: {_errors(exc)}") from exc
        return ParsedEvent(event, payload, spec)

    def asyncapi(self, *, server_host: str = "127.0.0.1:14222") -> dict[str, Any]:
        """The catalogue as an AsyncAPI 3.0 document (JSON-ready dict)."""
        specs = list(self)
        refs, schemas = _schemas(specs)
        return {
            "asyncapi": "3.0.0",
            "info": {
                "title": self.title,
                "version": self.version,
                "description": "CloudEvents 1.0 (structured JSON) on NATS JetStream; "
                "the CloudEvents type equals the NATS subject; Nats-Msg-Id = event id.",
            },
            "defaultContentType": CLOUDEVENTS_JSON,
            "servers": {"jetstream": {"host": server_host, "protocol": "nats"}},
            # AsyncAPI 3.0 ids allow only [A-Za-z0-9_-]: the dotted subject is the address.
            "channels": {_message_id(s): _channel(s) for s in specs},
            "operations": _operations(specs),
            "components": {
                "messages": {_message_id(s): _message(s, refs[s.type]) for s in specs},
                "schemas": schemas,
            },
        }


def _schemas(specs: list[EventSpec]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Payload JSON schemas under ``components/schemas`` and each type's ``$ref`` to its own."""
    if not specs:
        return {}, {}
    keys, doc = models_json_schema(
        [(s.payload, "validation") for s in specs], ref_template="#/components/schemas/{model}"
    )
    refs = {s.type: dict(keys[(s.payload, "validation")]) for s in specs}
    return refs, dict(doc.get("$defs", {}))


def _envelope(raw: bytes) -> CloudEvent:
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise EventRejected(f"not JSON: {exc}", kind="malformed") from exc
    # The model fills in an id, a specversion and a time for events we build; an incoming
    # event must carry CloudEvents' required attributes itself. Without its own id, every
    # redelivery would look new to the inbox.
    if not isinstance(document, dict):
        raise EventRejected("not a CloudEvent: not a JSON object", kind="malformed")
    missing = [name for name in REQUIRED_ATTRIBUTES if not document.get(name)]
    if missing:
        raise EventRejected(f"not a CloudEvent: no {', '.join(missing)}", kind="malformed")
    try:
        return CloudEvent.model_validate(document)
    except ValidationError as exc:
        raise EventRejected(f"not a CloudEvent: {_errors(exc)}", kind="malformed") from exc


def _check_origin(event: CloudEvent, spec: EventSpec, subject: str | None) -> None:
    # A message whose subject, type and source disagree did not come from the producer's
    # relay: treat it as forged, never as input to a handler.
    if subject is not None and subject != event.type:
        raise EventRejected(f"subject {subject} differs from type {event.type}", kind="forged")
    if event.source != spec.source:
        raise EventRejected(
            f"source {event.source} is not the producer of {event.type}", kind="forged"
        )


def _errors(exc: ValidationError) -> str:
    parts = [f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in exc.errors()]
    return "; ".join(parts[:5])


def _message_id(spec: EventSpec) -> str:
    return spec.type.replace(".", "_")


def _channel(spec: EventSpec) -> dict[str, Any]:
    ref = {"$ref": f"#/components/messages/{_message_id(spec)}"}
    return {"address": spec.type, "messages": {_message_id(spec): ref}}


def _operations(specs: list[EventSpec]) -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for spec in specs:
        key = _message_id(spec)
        channel = {"$ref": f"#/channels/{key}"}
        message = {"$ref": f"#/channels/{key}/messages/{key}"}
        operations[f"{spec.producer}_send_{key}"] = {
            "action": "send",
            "channel": channel,
            "messages": [message],
            "summary": f"{spec.producer} publishes (via its outbox relay)",
        }
        for consumer in spec.consumers:
            operations[f"{consumer}_receive_{key}"] = {
                "action": "receive",
                "channel": channel,
                "messages": [message],
                "summary": f"{consumer} consumes (durable pull consumer, inbox)",
            }
    return operations


def _message(spec: EventSpec, payload_ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": spec.type,
        "title": spec.payload.__name__,
        "summary": spec.description,
        "contentType": CLOUDEVENTS_JSON,
        "headers": {
            "type": "object",
            "properties": {"Nats-Msg-Id": {"type": "string", "description": "= CloudEvent id"}},
        },
        "payload": _envelope_schema(spec, payload_ref),
        "x-producer": spec.producer,
        "x-consumers": list(spec.consumers),
    }


def _envelope_schema(spec: EventSpec, payload_ref: dict[str, Any]) -> dict[str, Any]:
    string = {"type": "string"}
    return {
        "type": "object",
        "required": ["specversion", "id", "source", "type", "time", "data"],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": string,
            "source": {"const": spec.source},
            "type": {"const": spec.type},
            "subject": {"type": "string", "description": "case key; order holds per subject"},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "traceparent": string,
            "data": payload_ref,
        },
    }
