"""Personal data an event carries to one consumer, sealed for it (``yingshang.sealing``).

Payloads carry ids and masked data only, except where a consumer needs a person's data in
full (the 12345 transfer: the complainant, center to center). An event lives on in the
producer's outbox (``outbox_retention_hours``), in the NATS stream (90 days, on every node
and in its backups), in consumers' dead letters and in the gateway's webhook deliveries; so
those fields travel sealed, with a key the producer and that consumer both derive from
``YS_DATA_SECRET`` for their :class:`Passage` alone (HKDF, ``ys-data/events/<producer>/
<consumer>``), under the same key ids as the values sealed at rest: an event sealed before a
rotation opens while its secret is in ``YS_DATA_SECRETS_PREVIOUS``. Whoever holds no data
secret (the NATS operators, an integrator, a backup of the stream) reads nothing of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, overload

from pydantic import BeforeValidator, Field

from yingshang import sealing

# A payload field the producer seals (the consumer that opens it is named by the event's
# model): validated on the producer's side too, so a value in clear is never published.
SealedValue = Annotated[
    str,
    Field(
        pattern=r"^ys1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$",
        description="sealed for the consumer the event names (yingshang.events.sealed): "
        "ys1.<key id>.<AES-256-GCM nonce + ciphertext + tag, base64url>",
    ),
]


@dataclass(frozen=True, slots=True)
class Passage:
    """What ``producer`` seals in its events for ``consumer`` alone."""

    producer: str
    consumer: str

    @property
    def key(self) -> str:
        """The key's name (and the associated data's start): ``events/hotline/complaints``."""
        return f"events/{self.producer}/{self.consumer}"

    @overload
    def seal(self, field: str, plain: str) -> str: ...

    @overload
    def seal(self, field: str, plain: str | None) -> str | None: ...

    def seal(self, field: str, plain: str | None) -> str | None:
        """``plain`` sealed as the payload's ``field`` (``enterprise.phone``)."""
        return None if plain is None else sealing.seal(self.key, field, plain)

    def open(self, field: str, value: str) -> str:
        """The plain value of ``field``. A value in clear is taken as it is: an event the
        producer published before it sealed the field (a rolling upgrade, or one still in the
        stream). A sealed value that does not open (another passage's, altered, a secret no
        longer configured) raises ``ValueError``: the event is refused (dead letter)."""
        return sealing.open_sealed(self.key, field, value) if sealing.is_sealed(value) else value

    def opened(self, field: str) -> BeforeValidator:
        """The consumer's model's validator of ``field``: opened before its own checks run
        (``Annotated[str, PASSAGE.opened("phone"), Field(max_length=40)]``)."""
        return BeforeValidator(_opener(self, field))


def _opener(passage: Passage, field: str) -> Callable[[Any], Any]:
    def open_value(value: Any) -> Any:
        return passage.open(field, value) if isinstance(value, str) else value

    return open_value


def without_sealed(value: Any) -> Any:
    """A JSON-like ``value`` without the values sealed in it (for a reader that holds no key:
    an integrator's webhook); dicts lose the key, lists the item."""
    if isinstance(value, dict):
        return {k: without_sealed(v) for k, v in value.items() if not _sealed(v)}
    if isinstance(value, list):
        return [without_sealed(v) for v in value if not _sealed(v)]
    return value


def _sealed(value: Any) -> bool:
    return isinstance(value, str) and sealing.is_sealed(value)
