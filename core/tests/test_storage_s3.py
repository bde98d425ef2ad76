"""Uploaded files in S3-compatible object storage (STORAGE_S3_BUCKET, django-storages), against a
local S3 server the tests start themselves: moto's server mode, in a process of its own on a free
port. Several app servers share nothing but the database, the cache and this storage: a check-in's
evidence uploaded on one is served by another, an import checked on one is confirmed on another,
and a backup restores the bucket's files with the rows.

Without moto the tests are skipped; under CI=true that is a failure (as a missing Chromium is).
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models.signals import post_migrate
from django.test import Client
from django.urls import reverse

from conftest import RELOAD_UID, World, close_response, reload_migrated_rows
from core import backup
from core.sheets.stash import STASH_FOLDER
from organisations.models import Organisation
from planning.models import Task
from planning.tests.test_excel_import import TASK_HEADER, build, import_url, task_row
from tracking import services
from tracking.models import Evidence
from tracking.tests.helpers import PDF, checkin
from trongtam.settings import s3_storage

pytestmark = pytest.mark.django_db

KEY = "kiem-thu"  # moto accepts any credentials


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A local S3 server (moto) on a free port for this module's tests, stopped after them."""
    if importlib.util.find_spec("moto") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("moto[server] is required under CI (requirements-dev.txt).")
        pytest.skip("moto is not installed")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"moto's server stopped at once (exit status {server.returncode})")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("moto's server did not answer within 60 seconds")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def s3_client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEY,
        aws_secret_access_key=KEY,
        region_name="us-east-1",
    )


class Bucket:
    def __init__(self, endpoint: str, name: str) -> None:
        self.name = name
        self.client = s3_client(endpoint)
        self.client.create_bucket(Bucket=name)

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        body = self.client.get_object(Bucket=self.name, Key=key)["Body"]
        try:
            return bytes(body.read())
        finally:
            body.close()

    def everything(self) -> dict[str, bytes]:
        return {key: self.read(key) for key in self.keys()}

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def bucket(
    s3_endpoint: str, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Bucket]:
    """A fresh bucket as the default storage, configured from the environment as in production.

    MEDIA_ROOT and the temporary folder point at empty folders, to show nothing lands on the
    app server's own disk."""
    name = f"trongtam-{uuid.uuid4().hex[:12]}"
    created = Bucket(s3_endpoint, name)
    for variable, value in {
        "STORAGE_S3_ENDPOINT_URL": s3_endpoint,
        "STORAGE_S3_REGION": "us-east-1",
        "STORAGE_S3_ACCESS_KEY_ID": KEY,
        "STORAGE_S3_SECRET_ACCESS_KEY": KEY,
        "STORAGE_S3_PREFIX": "",
    }.items():
        monkeypatch.setenv(variable, value)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(name)}
    settings.MEDIA_ROOT = tmp_path / "media-of-this-server"
    (tmp_path / "tmp-of-this-server").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp-of-this-server"))
    yield created
    created.close()


def local_files(tmp_path: Path) -> list[Path]:
    return [
        path
        for folder in (
            "media-of-this-server",
            "tmp-of-this-server",
            "media-of-the-second-server",
            "tmp-of-the-second-server",
        )
        for path in (tmp_path / folder).rglob("*")
        if path.is_file()
    ]


def second_server(client: Client, settings: Any, tmp_path: Path) -> Client:
    """The same browser reaching another app server: the same session cookie (sessions are in
    the shared database), another MEDIA_ROOT and temporary folder (each server has its own)."""
    other = Client()
    other.cookies = client.cookies
    settings.MEDIA_ROOT = tmp_path / "media-of-the-second-server"
    (tmp_path / "tmp-of-the-second-server").mkdir()
    # Put back by the monkeypatch of the `bucket` fixture.
    tempfile.tempdir = str(tmp_path / "tmp-of-the-second-server")
    return other


def test_the_settings_choose_the_bucket_only_when_one_is_named() -> None:
    from django.conf import settings

    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    options = s3_storage("truong")["OPTIONS"]
    assert isinstance(options, dict)
    assert options["bucket_name"] == "truong"
    assert options["file_overwrite"] is False  # a second file of the same name is kept apart
    assert options["default_acl"] is None  # never public


def test_evidence_uploaded_on_one_server_is_in_the_bucket_and_served_by_another(
    world: World, bucket: Bucket, settings: Any, tmp_path: Path
) -> None:
    client = world.client("staff")
    response = client.post(
        reverse("tracking:checkin_create", args=[world.task.pk]),
        {
            "version": world.task.version,
            "unit": world.faculty.pk,
            "progress": "35",
            "done": "Đã tư vấn tuyển sinh",
            "confidence": "high",
            "evidence": [SimpleUploadedFile("biên bản.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert bucket.keys() == [evidence.file.name]
    assert bucket.read(evidence.file.name) == PDF
    assert local_files(tmp_path) == []

    url = reverse("tracking:evidence", args=[evidence.pk])
    served = second_server(client, settings, tmp_path).get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    close_response(served)
    assert local_files(tmp_path) == []
    # The permission check holds on every server.
    assert world.client("outsider").get(url).status_code == 404
    assert world.client("anonymous").get(url).status_code == 302


def test_two_files_of_the_same_name_are_both_kept(bucket: Bucket) -> None:
    first = default_storage.save("documents/1/QĐ 2457.pdf", ContentFile(b"%PDF-1.4 a"))
    second = default_storage.save("documents/1/QĐ 2457.pdf", ContentFile(b"%PDF-1.4 b"))
    assert first != second
    assert {bucket.read(first), bucket.read(second)} == {b"%PDF-1.4 a", b"%PDF-1.4 b"}


def test_an_import_checked_on_one_server_is_confirmed_on_another(
    world: World, bucket: Bucket, settings: Any, tmp_path: Path
) -> None:
    data = build({"Nhiệm vụ": [TASK_HEADER, task_row(code="5", title="Việc từ Excel")]})
    client = world.client("leadership")
    preview = client.post(import_url(world.plan), {"file": SimpleUploadedFile("kh.xlsx", data)})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    token = preview.context["token"]
    (stashed,) = bucket.keys()
    assert stashed.startswith(f"{STASH_FOLDER}/") and token in stashed
    assert bucket.read(stashed) == data
    assert local_files(tmp_path) == []
    assert not Task.objects.filter(plan=world.plan, code="5").exists()

    other = second_server(client, settings, tmp_path)
    # A forged token, and another user's session, are refused there too (400, no 500).
    assert other.post(import_url(world.plan), {"token": "0" * 32}).status_code == 400
    stranger = Client()
    stranger.force_login(world.users["unit_head"])
    assert stranger.post(import_url(world.plan), {"token": token}).status_code in (400, 403, 404)

    confirmed = other.post(import_url(world.plan), {"token": token})
    assert confirmed.status_code == 302
    assert Task.objects.filter(plan=world.plan, code="5", title="Việc từ Excel").count() == 1
    assert bucket.keys() == []  # used once, then removed


def test_imports_never_confirmed_are_removed_a_day_later(world: World, bucket: Bucket) -> None:
    now = int(time.time())
    old = f"{STASH_FOLDER}/{now - 25 * 3600}-1-{'b' * 32}.xlsx"
    recent = f"{STASH_FOLDER}/{now - 3600}-1-{'c' * 32}.xlsx"
    other = f"{STASH_FOLDER}/ghi-chu.txt"  # not a stash: left alone
    for name in (old, recent, other):
        default_storage.save(name, ContentFile(b"x"))
    data = build({"Nhiệm vụ": [TASK_HEADER, task_row(code="5", title="Việc")]})
    client = world.client("leadership")
    preview = client.post(import_url(world.plan), {"file": SimpleUploadedFile("kh.xlsx", data)})
    assert preview.status_code == 200
    kept = bucket.keys()
    assert old not in kept
    assert recent in kept and other in kept
    assert len(kept) == 3  # with the new one


# Backup and restore with the files in the bucket ------------------------------------------------


@pytest.fixture
def bare_flush(db: Any) -> Iterator[None]:
    """A restore flushes the tables and must find them as flush leaves them (see
    tracking/tests/test_backup_restore.py)."""
    post_migrate.disconnect(dispatch_uid=RELOAD_UID)
    yield
    post_migrate.connect(reload_migrated_rows, dispatch_uid=RELOAD_UID)
    # The test's flushes made the content types anew; its rollback takes them away again.
    ContentType.objects.clear_cache()


def every_row() -> dict[str, list[str]]:
    rows = {}
    for model in backup.backed_up_models():
        data = serializers.serialize(
            "python",
            model._base_manager.all(),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        rows[model._meta.label] = sorted(
            json.dumps(row, sort_keys=True, default=str) for row in data
        )
    return rows


def test_backup_then_restore_brings_back_the_rows_and_the_buckets_files(
    world: World, bucket: Bucket, bare_flush: None, tmp_path: Path
) -> None:
    checkin(world, files=[services.Upload("Biên bản.pdf", PDF)])
    checkin(world, files=[services.Upload("Báo cáo.pdf", PDF + b"% hai")])
    # Derived and waiting files are not backed up.
    default_storage.save("cache/pdf/abc.pdf", ContentFile(b"%PDF cache"))
    default_storage.save(f"{STASH_FOLDER}/1-1-{'a' * 32}.xlsx", ContentFile(b"xlsx"))
    evidence = sorted(Evidence.objects.values_list("file", flat=True))
    rows_before = every_row()
    files_before = {key: bucket.read(key) for key in evidence}
    archive = tmp_path / "sao-luu.tar.gz"

    call_command("backup", str(archive), verbosity=0)
    manifest = backup.read_archive(archive, tmp_path / "read")
    assert sorted(name for name in manifest.files if name.startswith("media/")) == [
        f"media/{key}" for key in evidence
    ]

    # Things go wrong: one file lost, one overwritten, a row added, another changed.
    bucket.client.delete_object(Bucket=bucket.name, Key=evidence[0])
    bucket.client.put_object(Bucket=bucket.name, Key=evidence[1], Body=b"%PDF-1.4 hong")
    Organisation.objects.create(name="Phòng Mới", kind="office", parent=world.school)
    Task.objects.filter(pk=world.task.pk).update(title="Sửa nhầm")
    assert every_row() != rows_before

    call_command("restore", str(archive), "--replace", verbosity=0)
    assert every_row() == rows_before
    assert {key: bucket.read(key) for key in evidence} == files_before
    with Evidence.objects.get(file=evidence[0]).file.open("rb") as stored:
        assert stored.read() in (PDF, PDF + b"% hai")


def test_a_backup_with_the_storage_unreachable_says_so(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "khong-co",
                "endpoint_url": f"http://127.0.0.1:{free_port()}",
                "access_key": KEY,
                "secret_key": KEY,
                "region_name": "us-east-1",
            },
        },
    }
    if importlib.util.find_spec("storages") is None:
        pytest.skip("django-storages is not installed")
    with pytest.raises(CommandError, match="Kho tệp báo lỗi"):
        call_command("backup", str(tmp_path / "x.tar.gz"), verbosity=0)
    assert not (tmp_path / "x.tar.gz").exists()


def unreachable_store(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "khong-co",
                "endpoint_url": f"http://127.0.0.1:{free_port()}",
                "access_key": KEY,
                "secret_key": KEY,
                "region_name": "us-east-1",
            },
        },
    }


def test_an_import_with_the_file_store_down_says_so_and_writes_nothing(
    world: World, bucket: Bucket, settings: Any
) -> None:
    """The check is done, but the file cannot be kept for the confirmation: the user is told the
    store is down (503, not a 500); confirming a file checked before the store went down says
    the same, not that the session expired."""
    data = build({"Nhiệm vụ": [TASK_HEADER, task_row(code="5", title="Việc từ Excel")]})
    client = world.client("leadership")
    checked = client.post(import_url(world.plan), {"file": SimpleUploadedFile("kh.xlsx", data)})
    token = checked.context["token"]

    unreachable_store(settings)
    confirmed = client.post(import_url(world.plan), {"token": token})
    assert confirmed.status_code == 400
    assert "Kho tệp của hệ thống đang không trả lời" in confirmed.content.decode()
    assert "hết hạn" not in confirmed.content.decode()
    down = client.post(import_url(world.plan), {"file": SimpleUploadedFile("kh.xlsx", data)})
    assert down.status_code == 503
    assert "Kho tệp của hệ thống đang không trả lời" in down.content.decode()
    assert not Task.objects.filter(plan=world.plan, code="5").exists()
