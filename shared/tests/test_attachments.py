"""Attachments: sniffed types, sanitised names, size limit, atomic content-addressed storage."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest_kit import CASES, KIT_DIR, open_case, operator, roads_head, start_kit

from yingshang import attachments
from yingshang.attachments import LocalDiskStore, TooLarge, content_disposition, sanitise_filename
from yingshang.db import Database
from yingshang.problems import Invalid, NotFound
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.plugin import MigratedDb, StartService

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = zipped("[Content_Types].xml", "word/document.xml")
XLSX = zipped("[Content_Types].xml", "xl/workbook.xml")
OFD = zipped("OFD.xml", "Doc_0/Document.xml")


async def upload(
    sut: ServiceUnderTest, case_id: str, name: str, content: bytes, ctype: str, who: object = None
) -> tuple[int, dict[str, object]]:
    headers = (who or operator).headers(sut.issuer)  # type: ignore[attr-defined]
    response = await sut.client.post(
        f"{CASES}/{case_id}/attachments", files={"file": (name, content, ctype)}, headers=headers
    )
    return response.status_code, response.json()


async def test_upload_and_download_round_trip(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id = (await open_case(sut)).json()["id"]
    status, body = await upload(sut, case_id, "营业执照.pdf", PDF, "application/pdf")
    assert status == 201, body
    sha = hashlib.sha256(PDF).hexdigest()
    assert (body["filename"], body["content_type"], body["size"], body["sha256"]) == (
        "营业执照.pdf",
        "application/pdf",
        len(PDF),
        sha,
    )
    stored = sut.settings.var_dir / "attachments" / sha[:2] / sha
    assert stored.read_bytes() == PDF
    assert list((sut.settings.var_dir / "attachments" / "tmp").iterdir()) == []
    download = await sut.client.get(
        f"{CASES}/{case_id}/attachments/{body['id']}", headers=operator.headers(sut.issuer)
    )
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert (
        "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf"
        in (download.headers["content-disposition"])
    )


async def test_types_are_decided_by_content(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id = (await open_case(sut)).json()["id"]
    accepted = [
        ("scan.png", PNG, "image/png", "image/png"),
        ("photo.JPG", JPEG, "image/jpeg", "image/jpeg"),
        ("report.docx", DOCX, "application/octet-stream", attachments.KINDS["docx"].content_type),
        ("sheet.xlsx", XLSX, "", attachments.KINDS["xlsx"].content_type),
        ("invoice.ofd", OFD, "application/ofd", "application/ofd"),
        ("no-extension", PDF, "application/pdf", "application/pdf"),
    ]
    for name, content, declared, expected in accepted:
        status, body = await upload(sut, case_id, name, content, declared)
        assert (status, body["content_type"]) == (201, expected), (name, body)
    status, body = await upload(sut, case_id, "no-extension", PDF, "application/pdf")
    assert body["filename"] == "no-extension.pdf"


async def test_content_that_is_not_allowed_or_lies_is_refused(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id = (await open_case(sut)).json()["id"]
    refused = [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/octet-stream", 415),
        ("archive.zip", zipped("a.txt"), "application/zip", 415),
        ("broken.docx", b"PK\x03\x04 not really a zip", "application/octet-stream", 415),
        ("fake.pdf", PNG, "application/pdf", 422),  # declared PDF, content PNG
        ("image.png", PDF, "application/pdf", 422),  # name says PNG, content PDF
        ("empty.pdf", b"", "application/pdf", 422),
    ]
    for name, content, declared, expected in refused:
        status, body = await upload(sut, case_id, name, content, declared)
        assert status == expected, (name, body)
        assert body["status"] == expected
    assert list((sut.settings.var_dir / "attachments" / "tmp").iterdir()) == []


async def test_attachments_follow_the_case_rules(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id = (await open_case(sut)).json()["id"]
    other_id = (await open_case(sut)).json()["id"]
    _, body = await upload(sut, case_id, "a.pdf", PDF, "application/pdf")
    # The case is not ROADS's: its head can neither add nor read.
    status, _ = await upload(sut, case_id, "b.pdf", PDF, "application/pdf", roads_head)
    assert status == 404
    as_head = await sut.client.get(
        f"{CASES}/{case_id}/attachments/{body['id']}", headers=roads_head.headers(sut.issuer)
    )
    assert as_head.status_code == 404
    # Nor does an attachment answer under another case's path.
    wrong_case = await sut.client.get(
        f"{CASES}/{other_id}/attachments/{body['id']}", headers=operator.headers(sut.issuer)
    )
    assert wrong_case.status_code == 404


async def test_uploads_are_idempotent_too(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id = (await open_case(sut)).json()["id"]
    headers = {**operator.headers(sut.issuer), "Idempotency-Key": str(uuid.uuid4())}
    bodies = []
    for _ in range(2):  # httpx picks a new multipart boundary each time
        response = await sut.client.post(
            f"{CASES}/{case_id}/attachments",
            files={"file": ("a.pdf", PDF, "application/pdf")},
            headers=headers,
        )
        bodies.append(response.json())
    assert bodies[0] == bodies[1]
    assert response.headers["idempotent-replayed"] == "true"


async def chunks(data: bytes, size: int = 7) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


async def test_the_size_limit_stops_the_upload(migrated_db: MigratedDb, tmp_path: Path) -> None:
    db, store = Database(migrated_db(KIT_DIR)), LocalDiskStore(tmp_path)
    try:
        async with db.write() as session:
            with pytest.raises(TooLarge):
                await attachments.save(
                    session,
                    store,
                    owner_kind="case",
                    owner_id=uuid.uuid4(),
                    filename="big.pdf",
                    content_type="application/pdf",
                    chunks=chunks(PDF),
                    uploaded_by=operator.build(),
                    max_bytes=len(PDF) - 1,
                )
        assert list(store.staging.iterdir()) == []
    finally:
        await db.dispose()


async def test_same_content_is_stored_once(migrated_db: MigratedDb, tmp_path: Path) -> None:
    db, store = Database(migrated_db(KIT_DIR)), LocalDiskStore(tmp_path)
    owner = uuid.uuid4()
    try:
        async with db.write() as session:
            for name in ("a.pdf", "b.pdf"):
                await attachments.save(
                    session,
                    store,
                    owner_kind="case",
                    owner_id=owner,
                    filename=name,
                    content_type=None,
                    chunks=chunks(PDF),
                    uploaded_by=operator.build(),
                )
        async with db.read() as session:
            rows = await attachments.list_for(session, "case", owner)
            assert [r.filename for r in rows] == ["a.pdf", "b.pdf"]
            with pytest.raises(NotFound):
                await attachments.get(
                    session, owner_kind="case", owner_id=uuid.uuid4(), attachment_id=rows[0].id
                )
        blobs = [p for p in store.root.rglob("*") if p.is_file()]
        assert blobs == [store.path_for(hashlib.sha256(PDF).hexdigest())]
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\张三\\申请表.docx", "申请表.docx"),
        ("..", "file"),
        (".hidden.pdf", "hidden.pdf"),
        ("a\x00b\r\n.pdf", "ab.pdf"),
        ('what<is>"this"?.pdf', "what_is__this__.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_file_names_are_sanitised(raw: str, clean: str) -> None:
    assert sanitise_filename(raw) == clean


def test_content_disposition_carries_an_ascii_fallback_and_utf8() -> None:
    assert content_disposition('申请"表.pdf') == (
        "attachment; filename=\"____.pdf\"; filename*=UTF-8''%E7%94%B3%E8%AF%B7%22%E8%A1%A8.pdf"
    )


def test_blob_paths_come_only_from_hashes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        LocalDiskStore(tmp_path).path_for("../../etc/passwd")
    assert Invalid.status == 422
