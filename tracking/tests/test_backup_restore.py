"""Backup and restore (core/backup.py, `manage.py backup` / `manage.py restore`).

A small school with a check-in and its evidence file is backed up; the database is emptied and
the files removed, as on a new machine; the archive is restored and every row of every model and
every file's bytes must come back exactly. Restore refuses a database in use unless told, and a
failure half-way leaves the database and the files as they were.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db.models import F
from django.db.models.signals import post_migrate

from conftest import RELOAD_UID, World, reload_migrated_rows
from core import backup
from organisations.models import Organisation
from tracking import services
from tracking.models import Evidence
from tracking.tests.helpers import PDF, checkin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def bare_flush(db: Any) -> Iterator[None]:
    """A restore flushes the tables and must find them as flush leaves them; the suite otherwise
    puts the migrated rows back after every flush (conftest.reload_migrated_rows)."""
    post_migrate.disconnect(dispatch_uid=RELOAD_UID)
    yield
    post_migrate.connect(reload_migrated_rows, dispatch_uid=RELOAD_UID)
    # The test's flushes made the content types anew; its rollback takes them away again.
    ContentType.objects.clear_cache()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def every_row() -> dict[str, list[str]]:
    """Each backed-up model's rows, serialised with natural keys, in a stable order."""
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


def every_file(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def empty_everything(media: Path) -> None:
    """A new machine: a migrated database with no one in it, no uploaded files."""
    backup.empty_database()
    shutil.rmtree(media)


def school_with_evidence(world: World) -> Evidence:
    checkin(world, files=[services.Upload("Biên bản họp.pdf", PDF)])
    evidence = Evidence.objects.get()
    assert Path(evidence.file.path).read_bytes() == PDF
    return evidence


def rewrite(archive: Path, out: Path, change: Any) -> None:
    """Copy an archive, changing database.json with `change(rows)` and fixing its checksum."""
    with tarfile.open(archive, "r:gz") as source:
        members = {m.name: source.extractfile(m).read() for m in source.getmembers() if m.isfile()}
    rows = json.loads(members[backup.DATABASE])
    change(rows)
    members[backup.DATABASE] = json.dumps(rows).encode()
    manifest = json.loads(members[backup.MANIFEST])
    manifest["files"][backup.DATABASE]["sha256"] = hashlib.sha256(
        members[backup.DATABASE]
    ).hexdigest()
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    with tarfile.open(out, "w:gz") as target:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))


def test_restore_into_an_empty_database_gives_back_every_row_and_file(
    world: World, media: Path, tmp_path: Path
) -> None:
    school_with_evidence(world)
    rows_before, files_before = every_row(), every_file(media)
    archive = tmp_path / "sao-luu.tar.gz"

    call_command("backup", str(archive), verbosity=0)
    empty_everything(media)
    assert not Organisation.objects.exists()
    call_command("restore", str(archive), verbosity=0)

    assert every_row() == rows_before
    assert every_file(media) == files_before
    assert Path(Evidence.objects.get().file.path).read_bytes() == PDF


def test_the_manifest_counts_rows_and_checksums_every_file(
    world: World, media: Path, tmp_path: Path
) -> None:
    evidence = school_with_evidence(world)
    archive = tmp_path / "sao-luu.tar.gz"
    backup.backup(archive)

    with tarfile.open(archive, "r:gz") as stored:
        manifest = json.loads(stored.extractfile(backup.MANIFEST).read())
        database = stored.extractfile(backup.DATABASE).read()
    assert manifest["counts"]["tracking.evidence"] == 1
    assert manifest["counts"]["organisations.organisation"] == Organisation.objects.count()
    assert manifest["files"][backup.DATABASE]["sha256"] == hashlib.sha256(database).hexdigest()
    name = f"{backup.MEDIA}/{evidence.file.name}"
    assert manifest["files"][name] == {"size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest()}
    # Derived data is rebuilt, not backed up.
    assert "tracking.storedfigures" not in manifest["counts"]
    assert "sessions.session" not in manifest["counts"]


def test_restore_refuses_a_database_in_use_unless_replace_is_asked(
    world: World, media: Path, tmp_path: Path
) -> None:
    school_with_evidence(world)
    archive = tmp_path / "sao-luu.tar.gz"
    backup.backup(archive)
    Organisation.objects.create(name="Phòng Mới", kind="office", parent=world.school)
    rows_now = every_row()

    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(archive), verbosity=0)
    assert every_row() == rows_now

    call_command("restore", str(archive), "--replace", verbosity=0)
    assert not Organisation.objects.filter(name="Phòng Mới").exists()


def test_a_tampered_archive_is_refused_before_anything_is_touched(
    world: World, media: Path, tmp_path: Path
) -> None:
    school_with_evidence(world)
    archive = tmp_path / "sao-luu.tar.gz"
    backup.backup(archive)
    tampered = tmp_path / "sua.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == backup.DATABASE:
                data = data.replace(b"Khoa T", b"Khoa X")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    rows_now, files_now = every_row(), every_file(media)

    with pytest.raises(CommandError, match="sha256"):
        call_command("restore", str(tampered), "--replace", verbosity=0)
    assert every_row() == rows_now
    assert every_file(media) == files_now


def test_a_failure_half_way_leaves_the_database_and_the_files_as_they_were(
    world: World, media: Path, tmp_path: Path
) -> None:
    evidence = school_with_evidence(world)
    archive = tmp_path / "sao-luu.tar.gz"
    backup.backup(archive)

    def break_last_row(rows: list[dict[str, Any]]) -> None:
        # A field this version does not have: the load fails after most rows went in.
        rows[-1]["fields"] = {**rows[-1]["fields"], "no_such_field": 1}

    broken = tmp_path / "hong.tar.gz"
    rewrite(archive, broken, break_last_row)
    # Today's file differs from the archived one: a failed restore must keep today's.
    Path(evidence.file.path).write_bytes(b"%PDF-1.4 ban moi")
    rows_now, files_now = every_row(), every_file(media)

    with pytest.raises(CommandError, match="Chưa khôi phục"):
        call_command("restore", str(broken), "--replace", verbosity=0)
    assert every_row() == rows_now
    assert every_file(media) == files_now


def content_types_renumbered(by: int) -> None:
    """The content types under other ids than a fresh migrate gives (as after a flush that
    restarted no sequence), every reference to them following."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is ContentType:
                model._base_manager.update(**{field.attname: F(field.attname) + by})
    ContentType.objects.update(id=F("id") + by)
    ContentType.objects.clear_cache()


def test_a_failed_restore_leaves_no_content_type_remembered_from_the_rows_it_undid(
    world: World, media: Path, tmp_path: Path
) -> None:
    """The restore's flush makes the content types anew and the load remembers their ids; the
    rollback brings back the old rows, and what the process remembered must go with them (a
    notification written next would name a content type that is not there)."""
    school_with_evidence(world)
    archive = tmp_path / "sao-luu.tar.gz"
    backup.backup(archive)
    broken = tmp_path / "hong.tar.gz"
    rewrite(archive, broken, lambda rows: rows[-1]["fields"].update(no_such_field=1))
    content_types_renumbered(by=100_000)

    with pytest.raises(CommandError, match="Chưa khôi phục"):
        call_command("restore", str(broken), "--replace", verbosity=0)
    for model in apps.get_models():
        remembered = ContentType.objects.get_for_model(model)
        stored = ContentType.objects.get(pk=remembered.pk)
        assert (stored.app_label, stored.model) == (remembered.app_label, remembered.model)


def test_a_file_that_cannot_be_put_in_place_undoes_the_restore(
    world: World, media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    school_with_evidence(world)
    checkin(world, files=[services.Upload("Báo cáo.pdf", PDF + b"% hai")])
    archive = tmp_path / "sao-luu.tar.gz"
    backup.backup(archive)
    for path in media.rglob("*.bin"):
        path.write_bytes(b"%PDF-1.4 ban hom nay " + path.name.encode())
    Organisation.objects.create(name="Phòng Mới", kind="office", parent=world.school)
    rows_now, files_now = every_row(), every_file(media)
    real_put = backup._put_file
    calls: list[Any] = []

    def fail_the_second(*args: Any) -> Any:
        calls.append(args)
        if len(calls) == 2:
            raise OSError("đĩa đầy")
        return real_put(*args)

    monkeypatch.setattr(backup, "_put_file", fail_the_second)
    with pytest.raises(CommandError, match="đĩa đầy"):
        call_command("restore", str(archive), "--replace", verbosity=0)
    # Two files put in, the second failing; then both put back as they were.
    assert len(calls) == 4
    assert every_row() == rows_now
    assert every_file(media) == files_now
