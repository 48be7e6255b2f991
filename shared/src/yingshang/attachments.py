"""Attachments of cases: metadata in ``ys_attachments``, content in a blob store.

* Content-addressed: ``<var_dir>/attachments/<sha256[:2]>/<sha256>``; the same file uploaded
  twice is stored once. Uploads are staged in ``attachments/tmp`` and renamed into place
  (atomic on one filesystem); every file operation runs in a worker thread.
* Allowed types (PDF, JPEG, PNG, OFD 版式文档 GB/T 33190, DOCX, XLSX) are decided by the
  content's magic bytes (and, for the ZIP-based ones, the archive's member names), never by
  the client's word: a declared type or a file name that disagrees is a 422; other content
  is a 415. Size is capped (default 20 MiB → 413).
* File names are sanitised (no directories, no control characters) and only ever used for
  display and ``Content-Disposition``; paths come from the hash.
* There is no access check here: the service loads the owning case with its own rules (404
  when the caller may not see it) and then calls :func:`save_upload` / :func:`open`.
* :class:`BlobStore` is the seam for another backend (S3-compatible storage): staging stays
  local (sniffing needs the file), ``commit`` would upload.

A blob whose transaction rolls back stays on disk unreferenced (harmless, content-addressed);
a later sweep may delete blobs no row references.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import secrets
import unicodedata
import uuid
import zipfile
from collections.abc import AsyncIterable, AsyncIterator, Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import quote

from fastapi import UploadFile
from fastapi.responses import StreamingResponse
from sqlalchemy import BigInteger, Index, String, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.auth import Principal
from yingshang.clock import now
from yingshang.db import IdMixin, PlumbingBase, UTCDateTime
from yingshang.problems import DomainError, Invalid, NotFound

log = logging.getLogger("yingshang.attachments")

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024
MAX_NAME = 200


@dataclass(frozen=True)
class FileKind:
    name: str
    content_type: str
    extensions: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # other declared types browsers send for it


KINDS = {
    k.name: k
    for k in (
        FileKind("pdf", "application/pdf", (".pdf",)),
        FileKind("jpeg", "image/jpeg", (".jpg", ".jpeg"), ("image/jpg", "image/pjpeg")),
        FileKind("png", "image/png", (".png",)),
        FileKind("ofd", "application/ofd", (".ofd",)),
        FileKind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        FileKind(
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
        ),
    )
}
ALLOWED = frozenset(KINDS)
_GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream"}


class Attachment(IdMixin, PlumbingBase):
    __tablename__ = "ys_attachments"
    __table_args__ = (
        Index("ix_ys_attachments_owner", "owner_kind", "owner_id"),
        Index("ix_ys_attachments_sha256", "sha256"),
    )

    owner_kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_by_staff_no: Mapped[str | None] = mapped_column(String(40))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)


class TooLarge(DomainError):
    status, code, title = 413, "attachment-too-large", "文件过大"


class UnsupportedType(DomainError):
    status, code, title = 415, "attachment-type", "不接受该类型的文件"


# --- storage --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Staged:
    """An upload received into a local temporary file, hashed and measured."""

    path: Path
    sha256: str
    size: int


class BlobStore(Protocol):
    async def stage(self, chunks: AsyncIterable[bytes], max_bytes: int) -> Staged: ...

    async def commit(self, staged: Staged) -> None: ...

    async def discard(self, staged: Staged) -> None: ...

    async def exists(self, sha256: str) -> bool: ...

    def read(self, sha256: str) -> AsyncIterator[bytes]: ...


class LocalDiskStore:
    """Blobs under ``<var_dir>/attachments``."""

    def __init__(self, var_dir: Path) -> None:
        self.root = Path(var_dir) / "attachments"
        self.staging = self.root / "tmp"

    def path_for(self, sha256: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    async def stage(self, chunks: AsyncIterable[bytes], max_bytes: int) -> Staged:
        await asyncio.to_thread(self.staging.mkdir, parents=True, exist_ok=True)
        path = self.staging / f"{secrets.token_hex(16)}.part"
        digest, size = hashlib.sha256(), 0
        handle = await asyncio.to_thread(path.open, "xb")
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(f"文件最大 {max_bytes} 字节")
                digest.update(chunk)
                await asyncio.to_thread(handle.write, chunk)
            await asyncio.to_thread(_sync_close, handle)
        except BaseException:
            await asyncio.to_thread(_close_and_remove, handle, path)
            raise
        return Staged(path, digest.hexdigest(), size)

    async def commit(self, staged: Staged) -> None:
        await asyncio.to_thread(self._move_into_place, staged)

    def _move_into_place(self, staged: Staged) -> None:
        target = self.path_for(staged.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():  # same content already stored
            staged.path.unlink(missing_ok=True)
            return
        os.replace(staged.path, target)

    async def discard(self, staged: Staged) -> None:
        await asyncio.to_thread(staged.path.unlink, missing_ok=True)

    async def exists(self, sha256: str) -> bool:
        return await asyncio.to_thread(self.path_for(sha256).is_file)

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(self.path_for(sha256).open, "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK):
                yield chunk
        finally:
            await asyncio.to_thread(handle.close)


def _sync_close(handle: BinaryIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()


def _close_and_remove(handle: BinaryIO, path: Path) -> None:
    handle.close()
    path.unlink(missing_ok=True)


# --- checks -------------------------------------------------------------------------------


def sniff(path: Path) -> str | None:
    """The :data:`KINDS` name the content is, by magic bytes; ``None`` if none of them."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    return None


def _sniff_zip(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:  # reads the central directory only
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def sanitise_filename(raw: str) -> str:
    """A display name: last path segment, NFC, no control or reserved characters."""
    name = re.split(r"[\\/]", unicodedata.normalize("NFC", raw))[-1]
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = re.sub(r'[<>:"|?*]', "_", name).strip().lstrip(".").strip()
    if len(name) > MAX_NAME:
        _, dot, ext = name.rpartition(".")
        keep = f"{dot}{ext}" if dot and len(ext) <= 10 else ""
        name = name[: MAX_NAME - len(keep)] + keep
    return name or "file"


def _checked_name(kind: FileKind, name: str, declared: str | None) -> str:
    media = (declared or "").split(";")[0].strip().lower()
    if media not in _GENERIC_TYPES and media not in (kind.content_type, *kind.aliases):
        raise Invalid(f"文件实际为 {kind.name.upper()} 格式，而不是 {media}", field="file")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return name + kind.extensions[0]
    if f".{ext.lower()}" not in kind.extensions:
        raise Invalid(f"文件实际为 {kind.name.upper()} 格式，但文件名以 .{ext} 结尾", field="file")
    return name


# --- saving and opening ---------------------------------------------------------------------


async def save(
    session: AsyncSession,
    store: BlobStore,
    *,
    owner_kind: str,
    owner_id: uuid.UUID,
    filename: str,
    content_type: str | None,
    chunks: AsyncIterable[bytes],
    uploaded_by: Principal,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allowed: Collection[str] = ALLOWED,
) -> Attachment:
    """Check, store and record one file in the caller's transaction."""
    staged = await store.stage(chunks, max_bytes)
    try:
        kind = await _kind(staged, allowed)
        name = _checked_name(kind, sanitise_filename(filename), content_type)
        await store.commit(staged)
    except BaseException:
        await store.discard(staged)
        raise
    row = Attachment(
        owner_kind=owner_kind,
        owner_id=owner_id,
        filename=name,
        content_type=kind.content_type,
        size=staged.size,
        sha256=staged.sha256,
        uploaded_by=uploaded_by.sub,
        uploaded_by_staff_no=uploaded_by.staff_no,
    )
    session.add(row)
    await session.flush()
    return row


async def _kind(staged: Staged, allowed: Collection[str]) -> FileKind:
    if staged.size == 0:
        raise Invalid("文件是空的", field="file")
    name = await asyncio.to_thread(sniff, staged.path)
    if name is None or name not in allowed:
        raise UnsupportedType(f"可接受的类型：{'、'.join(sorted(allowed))}")
    return KINDS[name]


async def _upload_chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK):
        yield chunk


async def save_upload(
    session: AsyncSession,
    store: BlobStore,
    upload: UploadFile,
    *,
    owner_kind: str,
    owner_id: uuid.UUID,
    uploaded_by: Principal,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allowed: Collection[str] = ALLOWED,
) -> Attachment:
    """:func:`save` for a multipart ``UploadFile`` form field."""
    return await save(
        session,
        store,
        owner_kind=owner_kind,
        owner_id=owner_id,
        filename=upload.filename or "",
        content_type=upload.content_type,
        chunks=_upload_chunks(upload),
        uploaded_by=uploaded_by,
        max_bytes=max_bytes,
        allowed=allowed,
    )


async def list_for(session: AsyncSession, owner_kind: str, owner_id: uuid.UUID) -> list[Attachment]:
    stmt = (
        select(Attachment)
        .where(Attachment.owner_kind == owner_kind, Attachment.owner_id == owner_id)
        .order_by(Attachment.uploaded_at, Attachment.id)
    )
    return list((await session.scalars(stmt)).all())


async def get(
    session: AsyncSession, *, owner_kind: str, owner_id: uuid.UUID, attachment_id: uuid.UUID
) -> Attachment:
    """The attachment, only if it belongs to that case (404 otherwise)."""
    row = await session.get(Attachment, attachment_id)
    if row is None or (row.owner_kind, row.owner_id) != (owner_kind, owner_id):
        raise NotFound("该案件没有这个附件", code="attachment-not-found")
    return row


def content_disposition(filename: str) -> str:
    """RFC 6266 / RFC 8187: an ASCII fallback and the UTF-8 name."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def open(  # the module's verb: attachments.open(...)
    session: AsyncSession,
    store: BlobStore,
    *,
    owner_kind: str,
    owner_id: uuid.UUID,
    attachment_id: uuid.UUID,
) -> StreamingResponse:
    """A download response for an attachment of the (already authorised) case."""
    row = await get(session, owner_kind=owner_kind, owner_id=owner_id, attachment_id=attachment_id)
    if not await store.exists(row.sha256):
        log.error("attachment %s: blob %s is missing from the store", row.id, row.sha256)
        raise NotFound("附件的文件已丢失", code="attachment-file-missing")
    headers = {
        "Content-Disposition": content_disposition(row.filename),
        "Content-Length": str(row.size),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    return StreamingResponse(store.read(row.sha256), media_type=row.content_type, headers=headers)
