"""Personal data sealed at rest: phones and ID numbers encrypted in the database (等保 2.0,
level 3: important personal data kept confidential in storage).

A :class:`Sealed` column encrypts on bind and decrypts on load (AES-256-GCM, a fresh 96-bit
nonce per value, the column's service and field as associated data), so the models, the ORM,
Core statements and :mod:`yingshang.prepared` (which runs the column types' own processors)
all see the plain value while the row holds ``ys1.<key id>.<nonce + ciphertext + tag>``.

Keys come from one setting, ``YS_DATA_SECRET``, derived per service and purpose (HKDF-SHA256):
one sealing key per service, one blind-index key per service and field. The key id names the
secret a value was sealed with: ``YS_DATA_SECRETS_PREVIOUS`` lists the secrets replaced, whose
values still open (a rotation; :func:`reseal` rewrites rows under the current secret).

A sealed column cannot be compared in SQL (every sealing differs). A column looked up by
equality keeps a keyed blind index beside it (HMAC-SHA256 of the normalised value, truncated to
128 bits): :func:`keep_index` fills it whenever the ORM sets the sealed attribute, and a lookup
matches :meth:`Sealed.indexes` (one per configured secret, the current one first). A JSON
value read only whole (an enterprise's contacts) is sealed whole: :class:`SealedJSON`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Column as sa_column
from sqlalchemy import String, Text, event, select, update
from sqlalchemy import column as sql_column
from sqlalchemy import table as sa_table
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import operators
from sqlalchemy.sql.schema import Table
from sqlalchemy.types import TypeDecorator, TypeEngine

if TYPE_CHECKING:
    from sqlalchemy.orm import InstrumentedAttribute

    from yingshang.settings import ServiceSettings

PREFIX = "ys1."  # format version: AES-256-GCM, 12-byte nonce, base64url without padding
SEALED_LENGTH = 255  # column width of a sealed value (an 18-character ID number needs ~80)
INDEX_LENGTH = 32  # hex digits of a blind index (128 bits)
_NONCE = 12


def derive(secret: str, purpose: str) -> bytes:
    """A 32-byte key for ``purpose`` derived from a data secret (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    return hkdf.derive(secret.encode())


def key_id(secret: str) -> str:
    """Eight hex digits naming a secret (derived: they tell nothing of it)."""
    return derive(secret, "ys-data/key-id")[:4].hex()


def normalise(value: str) -> str:
    """What a blind index is taken of: no blanks, upper case (``x`` ending an ID number)."""
    return "".join(value.split()).upper()


@dataclass
class Keyring:
    """The current data secret and the ones it replaced (still opening what they sealed)."""

    current: str
    previous: tuple[str, ...] = ()
    _ciphers: dict[tuple[str, str], AESGCM] = field(default_factory=dict, repr=False)
    _index_keys: dict[tuple[str, str, str], Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.secrets = tuple(dict.fromkeys((self.current, *self.previous)))
        self.by_id = {key_id(secret): secret for secret in self.secrets}
        self.current_id = key_id(self.current)

    def cipher(self, kid: str, service: str) -> AESGCM:
        found = self._ciphers.get((kid, service))
        if found is None:
            secret = self.by_id.get(kid)
            if secret is None:
                raise ValueError(
                    f"a sealed value names key {kid}, which no configured data secret has "
                    "(YS_DATA_SECRET, YS_DATA_SECRETS_PREVIOUS)"
                )
            found = self._ciphers[kid, service] = AESGCM(derive(secret, f"ys-data/{service}"))
        return found

    def index_mac(self, secret: str, service: str, name: str) -> Any:
        """The HMAC-SHA256 keyed for ``service``'s ``name`` index, to copy per value."""
        found = self._index_keys.get((secret, service, name))
        if found is None:
            key = derive(secret, f"ys-data/{service}/index/{name}")
            found = self._index_keys[secret, service, name] = hmac.new(key, None, hashlib.sha256)
        return found


_keyring: Keyring | None = None


def configure(current: str, previous: Iterable[str] = ()) -> Keyring:
    """Use ``current`` to seal and every secret given to open (the process's keyring)."""
    global _keyring
    previous = tuple(previous)
    if _keyring is None or (_keyring.current, _keyring.previous) != (current, previous):
        _keyring = Keyring(current, previous)
    return _keyring


def configure_from(settings: ServiceSettings) -> Keyring:
    return configure(settings.data_secret, settings.data_secrets_previous)


def keyring() -> Keyring:
    """The configured keyring; before :func:`configure`, the one the environment's settings
    name (a migration run by ``alembic``; production refuses the demo secret there too)."""
    if _keyring is None:
        from yingshang.settings import ServiceSettings

        return configure_from(ServiceSettings())
    return _keyring


def seal(service: str, name: str, plain: str) -> str:
    ring = keyring()
    nonce = os.urandom(_NONCE)
    sealed = ring.cipher(ring.current_id, service).encrypt(
        nonce, plain.encode(), f"{service}/{name}".encode()
    )
    text = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode()
    return f"{PREFIX}{ring.current_id}.{text}"


def open_sealed(service: str, name: str, stored: str) -> str:
    """The plain value of ``stored``; ``ValueError`` for anything not sealed by a configured
    secret for this service and field (a value in clear included)."""
    if not stored.startswith(PREFIX):
        raise ValueError(f"{service}/{name}: a stored value is not sealed")
    kid, _, text = stored[len(PREFIX) :].partition(".")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        plain = (
            keyring()
            .cipher(kid, service)
            .decrypt(raw[:_NONCE], raw[_NONCE:], f"{service}/{name}".encode())
        )
    except (InvalidTag, binascii.Error) as exc:
        raise ValueError(f"{service}/{name}: a sealed value does not open") from exc
    return plain.decode()


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def blind_index(service: str, name: str, plain: str, secret: str | None = None) -> str:
    """The keyed blind index of ``plain`` under ``secret`` (default: the current one)."""
    ring = keyring()
    mac = ring.index_mac(secret or ring.current, service, name).copy()
    mac.update(normalise(plain).encode())
    return str(mac.hexdigest()[:INDEX_LENGTH])


class Sealed(TypeDecorator[str]):
    """A string column stored sealed. ``Sealed("hotline", "phone")``: the service whose key
    seals it and the field (associated data, and the name of its blind-index key)."""

    impl = String(SEALED_LENGTH)
    cache_ok = True

    class Comparator(TypeDecorator.Comparator[str]):
        """Only ``IS [NOT] NULL``: an equality on a sealed value never matches (use the blind
        index); refused rather than silently finding nothing."""

        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            if op not in (operators.is_, operators.is_not):
                raise TypeError("a sealed column cannot be compared: look up its blind index")
            return super().operate(op, *other, **kwargs)

    comparator_factory = Comparator

    def __init__(self, service: str, name: str) -> None:
        super().__init__(SEALED_LENGTH)
        self.service, self.name = service, name

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else seal(self.service, self.name, value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else open_sealed(self.service, self.name, value)

    def index(self, plain: str | None) -> str | None:
        """The blind index to store beside ``plain`` (current secret)."""
        return None if plain is None else blind_index(self.service, self.name, plain)

    def indexes(self, plain: str) -> list[str]:
        """The blind indexes a lookup of ``plain`` matches: one per configured secret (rows
        sealed before a rotation keep the index of their secret until resealed)."""
        return [blind_index(self.service, self.name, plain, secret) for secret in keyring().secrets]


class SealedJSON(Sealed):
    """A JSON value stored sealed whole, as one text (no width limit): for what is read and
    written whole and never filtered or looked up in SQL, e.g. ``SealedJSON("visits",
    "contacts")``, an enterprise's list of contacts (names and phones)."""

    impl = Text()
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return seal(self.service, self.name, orjson.dumps(value).decode())

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else orjson.loads(open_sealed(self.service, self.name, value))


def keep_index(sealed: InstrumentedAttribute[Any], index: InstrumentedAttribute[Any]) -> None:
    """Keep ``index`` (a model's blind-index attribute) the index of ``sealed``'s value
    whenever the ORM sets it (constructors included). Rows written with
    :func:`yingshang.prepared.as_loaded` set the index themselves (``Sealed.index``)."""
    kind = sealed.property.columns[0].type
    assert isinstance(kind, Sealed), f"{sealed} is not a sealed column"
    key = index.key

    @event.listens_for(sealed, "set", retval=False)
    def _on_set(target: Any, value: Any, _old: Any, _initiator: Any) -> None:
        setattr(target, key, kind.index(value))


# --- migrations and rotation --------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A sealed column of a table for :func:`seal_rows`: its name, its type, its blind-index
    column (if any) and its type in clear (:func:`seal_table`, :func:`unseal_table`): a
    string ``clear_length`` wide, or ``clear_type`` (``JSON()`` for a :class:`SealedJSON`)."""

    name: str
    kind: Sealed
    index: str | None = None
    clear_length: int = 40
    clear_type: TypeEngine[Any] | None = None

    def clear(self) -> TypeEngine[Any]:
        return String(self.clear_length) if self.clear_type is None else self.clear_type

    def cast_back(self, dialect: Dialect) -> str | None:
        """How PostgreSQL turns the sealed text back into a clear type that is no string
        (``contacts::JSON``); a string needs no cast."""
        if self.clear_type is None:
            return None
        return f"{self.name}::{self.clear_type.compile(dialect=dialect)}"


def seal_table(table: str, key: str, columns: Sequence[Column]) -> None:
    """A migration's upgrade: widen ``columns`` for sealed values, add their blind-index
    columns, seal (and index) the rows written before. Indexes on the blind-index columns are
    the migration's own."""
    from alembic import op

    with op.batch_alter_table(table) as batch:
        for c in columns:
            batch.alter_column(c.name, existing_type=c.clear(), type_=c.kind.impl_instance)
            if c.index:
                batch.add_column(sa_column(c.index, String(INDEX_LENGTH)))
    seal_rows(op.get_bind(), table, key, columns)


def unseal_table(table: str, key: str, columns: Sequence[Column]) -> None:
    """A migration's downgrade: :func:`seal_table` undone (drop the indexes on the blind-index
    columns first)."""
    from alembic import op

    bind = op.get_bind()
    seal_rows(bind, table, key, columns, unseal=True)
    with op.batch_alter_table(table) as batch:
        for c in columns:
            if c.index:
                batch.drop_column(c.index)
            batch.alter_column(
                c.name,
                existing_type=c.kind.impl_instance,
                type_=c.clear(),
                postgresql_using=c.cast_back(bind.dialect),
            )


def seal_rows(
    connection: Connection, table: str, key: str, columns: Sequence[Column], *, unseal: bool = False
) -> int:
    """Rewrite every row of ``table`` (primary key ``key``): values in clear sealed and
    indexed, values sealed by an older secret resealed under the current one; ``unseal``: back
    in clear (a downgrade). Returns the rows rewritten."""
    names = [c.name for c in columns]
    indexes = [c.index for c in columns if c.index]
    t: Table = sa_table(  # type: ignore[assignment]
        table, sql_column(key), *(sql_column(n, String()) for n in [*names, *indexes])
    )
    current = f"{PREFIX}{keyring().current_id}."
    rows = connection.execute(select(t.c[key], *(t.c[n] for n in names))).all()
    done = 0
    for row in rows:
        values: dict[str, Any] = {}
        for c, stored in zip(columns, row[1:], strict=True):
            if stored is None:
                continue
            sealed = is_sealed(stored)
            plain = open_sealed(c.kind.service, c.kind.name, stored) if sealed else stored
            if unseal:
                if sealed:
                    values[c.name] = plain
                continue
            if stored.startswith(current):
                continue
            values[c.name] = seal(c.kind.service, c.kind.name, plain)
            if c.index:
                values[c.index] = c.kind.index(plain)
        if values:
            connection.execute(update(t).where(t.c[key] == row[0]).values(**values))
            done += 1
    return done


def reseal(connection: Connection, tables: Iterable[Table]) -> int:
    """After a rotation: reseal every sealed value of ``tables`` under the current secret
    (and its blind index), so the previous secret may be dropped from the settings."""
    total = 0
    for table in tables:
        columns = [
            Column(c.name, c.type, _index_of(table, c.name))
            for c in table.columns
            if isinstance(c.type, Sealed)
        ]
        if columns:
            (key,) = [c.name for c in table.primary_key.columns]
            total += seal_rows(connection, table.name, key, columns)
    return total


def _index_of(table: Table, name: str) -> str | None:
    index = f"{name}_index"
    return index if index in table.columns else None


def sealed_tables(names: Iterable[str]) -> list[Table]:
    """The mapped tables among ``names`` (a database's tables) holding sealed columns."""
    from sqlalchemy.orm import DeclarativeBase

    wanted, found = set(names), dict[str, Table]()
    bases: list[type[Any]] = list(DeclarativeBase.__subclasses__())
    while bases:
        base = bases.pop()
        bases.extend(base.__subclasses__())
        metadata = getattr(base, "metadata", None)
        for table in metadata.tables.values() if metadata is not None else ():
            if table.name in wanted and any(isinstance(c.type, Sealed) for c in table.columns):
                found[table.name] = table
    return list(found.values())


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m yingshang.sealing ys_hotline``: reseal a service's database under the
    current ``YS_DATA_SECRET`` (after a rotation, before dropping the previous secrets)."""
    import argparse
    import asyncio
    import importlib

    from sqlalchemy import inspect
    from sqlalchemy.ext.asyncio import create_async_engine

    from yingshang.db import normalise_url

    parser = argparse.ArgumentParser(prog="python -m yingshang.sealing", description=main.__doc__)
    parser.add_argument("package", help="the service's package, e.g. ys_hotline")
    args = parser.parse_args(argv)
    importlib.import_module(f"{args.package}.app")  # every model of the service
    importlib.import_module("yingshang.notify")  # the notifications outbox
    settings = importlib.import_module(f"{args.package}.settings").Settings()
    configure_from(settings)

    def run(connection: Connection) -> tuple[int, list[str]]:
        tables = sealed_tables(inspect(connection).get_table_names())
        return reseal(connection, tables), [t.name for t in tables]

    async def go() -> tuple[int, list[str]]:
        engine = create_async_engine(normalise_url(settings.db_url()))
        try:
            async with engine.begin() as connection:
                return await connection.run_sync(run)
        finally:
            await engine.dispose()

    done, names = asyncio.run(go())
    print(f"{args.package}: {done} rows resealed ({', '.join(names)})")
    return 0


if __name__ == "__main__":  # run as a script: the module's own classes are the imported ones
    from yingshang import sealing

    raise SystemExit(sealing.main())
