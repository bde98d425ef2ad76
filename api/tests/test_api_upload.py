"""Check-ins with evidence files through the API (multipart): the page's checks, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from api.services import create_token
from conftest import World
from tracking.models import CheckIn, Evidence
from tracking.tests.helpers import PDF, PNG


@pytest.fixture
def staff_token(world: World) -> str:
    return create_token(world.users["staff"], name="ứng dụng báo cáo")[1]


def fields(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "unit_id": world.faculty.pk,
        "progress": 60,
        "done": "Đã tổ chức hội thảo chuyên đề.",
        "confidence": "high",
        "difficulties": "Kinh phí cấp muộn.",
        **overrides,
    }


def upload(url: str, secret: str, data: dict[str, Any]) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return Client().post(url, data=data, **headers)  # multipart/form-data


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()]


def test_checkin_with_files_is_stored_and_downloadable(world: World, staff_token: str) -> None:
    url = f"/api/tasks/{world.task.pk}/checkins/upload"
    files = [
        SimpleUploadedFile("Biên bản hội thảo.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("ảnh.png", PNG, content_type="image/png"),
    ]
    response = upload(url, staff_token, {**fields(world), "files": files})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["progress"] == 60
    assert [e["original_name"] for e in body["evidence"]] == ["Biên bản hội thảo.pdf", "ảnh.png"]
    assert [e["content_type"] for e in body["evidence"]] == ["application/pdf", "image/png"]
    world.task.refresh_from_db()
    assert world.task.progress == 60
    download = world.client("staff").get(body["evidence"][0]["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert world.client("outsider").get(body["evidence"][0]["url"]).status_code == 404


def test_checkin_without_files_through_the_multipart_endpoint(
    world: World, staff_token: str
) -> None:
    url = f"/api/tasks/{world.task.pk}/checkins/upload"
    response = upload(url, staff_token, fields(world))
    assert response.status_code == 201, response.content
    assert response.json()["evidence"] == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kết quả.pdf", b"<script>alert(1)</script>", "không phải PDF, Word, Excel hay ảnh"),
        ("bao-cao.docx", PDF, "không khớp với nội dung"),
        ("rỗng.pdf", b"", "rỗng"),
    ],
)
def test_a_bad_file_refuses_the_whole_checkin(
    world: World, staff_token: str, name: str, content: bytes, message: str
) -> None:
    before = stored_files()
    version = world.task.version
    url = f"/api/tasks/{world.task.pk}/checkins/upload"
    good = SimpleUploadedFile("tốt.pdf", PDF, content_type="application/pdf")
    bad = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = upload(url, staff_token, {**fields(world), "files": [good, bad]})
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert not CheckIn.objects.exists() and not Evidence.objects.exists()
    assert stored_files() == before
    world.task.refresh_from_db()
    assert world.task.version == version and world.task.progress == 0


def test_a_file_over_the_cap_is_refused(world: World, staff_token: str, settings: Any) -> None:
    settings.TRACKING_EVIDENCE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("lớn.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")
    url = f"/api/tasks/{world.task.pk}/checkins/upload"
    response = upload(url, staff_token, {**fields(world), "files": [big]})
    assert response.status_code == 400
    assert "quá lớn (tối đa 1 MB)" in response.json()["detail"]
    assert not CheckIn.objects.exists()


def test_too_many_files_are_refused(world: World, staff_token: str) -> None:
    """Counted before any file is read (tracking.services.check_file_count)."""
    files = [
        SimpleUploadedFile(f"tệp-{i}.pdf", PDF, content_type="application/pdf") for i in range(11)
    ]
    url = f"/api/tasks/{world.task.pk}/checkins/upload"
    response = upload(url, staff_token, {**fields(world), "files": files})
    assert response.status_code == 400
    assert "Tối đa 10 tệp minh chứng" in response.json()["detail"]
    assert not CheckIn.objects.exists()


def test_upload_follows_the_same_rules_as_the_page(world: World) -> None:
    url = f"/api/tasks/{world.task.pk}/checkins/upload"
    pdf = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    assert upload(url, "", {**fields(world), "files": [pdf]}).status_code == 401
    outsider = create_token(world.users["outsider"], name="x")[1]
    assert upload(url, outsider, {**fields(world), "files": [pdf]}).status_code == 404
    head = create_token(world.users["unit_head"], name="x")[1]  # heads a coordinating unit only
    assert upload(url, head, {**fields(world), "files": [pdf]}).status_code == 403
    assert not CheckIn.objects.exists() and not Evidence.objects.exists()


def test_upload_is_in_the_openapi_schema(world: World) -> None:
    schema = world.client("staff").get("/api/openapi.json").json()
    operation = schema["paths"]["/api/tasks/{task_id}/checkins/upload"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
