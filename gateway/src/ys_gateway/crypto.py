"""Secrets at rest: argon2id password hashes, token digests, symmetric encryption.

Password checks are CPU-bound (~100 ms by design), so callers run them in a worker thread.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

from yingshang.sealing import derive  # HKDF-SHA256, 32 bytes for a purpose


class Passwords:
    """argon2id hashing with a dummy hash so unknown usernames cost the same time."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65536) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """Check ``password``; with no ``stored`` hash verify the dummy (same timing)."""
        try:
            return self._hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    async def averify(self, stored: str | None, password: str) -> bool:
        return await asyncio.to_thread(self.verify, stored, password)

    async def ahash(self, password: str) -> str:
        return await asyncio.to_thread(self.hash, password)


@lru_cache(maxsize=8)
def shared_hash(passwords: Passwords, password: str) -> str:
    """One hash reused for every demo account: they share one documented password anyway."""
    return passwords.hash(password)


def digest(token: str) -> str:
    """SHA-256 of a high-entropy token (refresh tokens are stored only as digests)."""
    return hashlib.sha256(token.encode()).hexdigest()


class SecretBox:
    """Reversible encryption for secrets the gateway must use again (webhook secrets)."""

    def __init__(self, key_secret: str) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(derive(key_secret, "ys-gateway-secrets")))

    def seal(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("secret cannot be decrypted with the configured key secret") from exc

    def seal_bytes(self, plain: bytes) -> bytes:
        """As :meth:`seal`, for bytes (``yingshang.idempotency.Sealer``: stored answers that
        carry a client secret or a webhook secret)."""
        return self._fernet.encrypt(plain)

    def open_bytes(self, sealed: bytes) -> bytes:
        try:
            return self._fernet.decrypt(sealed)
        except InvalidToken as exc:
            raise ValueError("a stored answer cannot be decrypted with the key secret") from exc

    def key_passphrase(self, key_secret: str) -> str:
        return base64.urlsafe_b64encode(derive(key_secret, "ys-gateway-signing-keys")).decode()
