"""One archive holding the database and the uploaded files; restored all or nothing.

Why Django's own serialisation (dumpdata/loaddata) and not pg_dump or a copy of the SQLite file:
the same archive restores on SQLite and on PostgreSQL (a school can move from the embedded
database to a server with it), it needs no client tools of a matching version on the machine,
and a school's data (tens of thousands of rows) dumps in seconds. Natural keys stand in for the
ids of content types and permissions, which each database numbers itself when migrating.

The archive (.tar.gz) holds:
- `manifest.json`: format, when, the engine it came from, the applied migrations, the number of
  rows of each model, and the size and sha256 of every other member;
- `database.json`: every row of every model, through each model's base manager (archived rows
  too), except data that is derived and rebuilt on demand (sessions, the job queue, and models
  marked `backup_skip = True`; the cache is a table of its own, not a model, and is emptied);
- `media/…`: every uploaded file under MEDIA_ROOT, except the `cache/` folder (derived files).

Restore checks every checksum before touching anything, refuses a database that holds user
accounts unless told to replace it, then empties the database and loads the rows in one
transaction, and moves the files in place only once the rows are loaded, putting back any file
it replaced if anything fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "trongtam-backup/1"
MANIFEST = "manifest.json"
DATABASE = "database.json"
MEDIA = "media"
# Derived or transient: rebuilt on demand, never worth restoring (and, for sessions, better not).
SKIPPED_APPS = {"sessions", "django_tasks_database"}
SKIPPED_MEDIA = {"cache"}
CHUNK = 1024 * 1024


class _ExactEncoder(DjangoJSONEncoder):
    """Django's JSON cuts times to milliseconds; history is ordered by them, so keep them whole."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    """The "backupjson" format: Django's JSON with times to the microsecond."""

    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]  # Django's private hook, not in django-stubs
        self.json_kwargs["cls"] = _ExactEncoder


Deserializer = django_json.Deserializer
FORMAT_NAME = "backupjson"
serializers.register_serializer(FORMAT_NAME, __name__)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person running it."""


@dataclass
class Manifest:
    created_at: str
    engine: str
    migrations: list[list[str]]
    counts: dict[str, int]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    format: str = FORMAT


def backed_up_models() -> list[Any]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in SKIPPED_APPS
        and not getattr(model, "backup_skip", False)
        and not model._meta.proxy
        and model._meta.managed
    ]


def _labels(models: list[Any]) -> list[str]:
    return [model._meta.label for model in models]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(path inside the archive's media folder, file on disk), in a stable order."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in SKIPPED_MEDIA or not path.is_file() or path.is_symlink():
            continue
        yield relative.as_posix(), path


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup(out: Path, *, using: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Write the archive to `out` (through a temporary file, so a failure leaves no half file)."""
    models = backed_up_models()
    media_root = Path(settings.MEDIA_ROOT)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trongtam-backup-") as work:
        dump = Path(work) / DATABASE
        connection = connections[using]
        # One snapshot: rows written while the dump runs are all in it or all out of it.
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            call_command(
                "dumpdata",
                *_labels(models),
                database=using,
                natural_foreign=True,
                natural_primary=True,
                use_base_manager=True,
                format=FORMAT_NAME,
                output=str(dump),
                verbosity=0,
            )
            migrations = _applied_migrations(using)
        rows = json.loads(dump.read_text("utf-8"))
        counts = Counter(row["model"] for row in rows)
        manifest = Manifest(
            created_at=timezone.now().isoformat(),
            engine=connection.vendor,
            migrations=migrations,
            counts={
                model._meta.label_lower: counts.get(model._meta.label_lower, 0) for model in models
            },
        )
        manifest.files[DATABASE] = {"size": dump.stat().st_size, "sha256": _sha256(dump)}
        files = list(media_files(media_root))
        for name, path in files:
            manifest.files[f"{MEDIA}/{name}"] = {
                "size": path.stat().st_size,
                "sha256": _sha256(path),
            }
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(
                archive,
                MANIFEST,
                json.dumps(manifest.__dict__, ensure_ascii=False, indent=1).encode("utf-8"),
            )
            archive.add(dump, arcname=DATABASE)
            for name, path in files:
                archive.add(path, arcname=f"{MEDIA}/{name}")
        os.replace(partial, out)
    return manifest


def _safe_member_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(_("Tệp sao lưu có đường dẫn không hợp lệ: %(name)s") % {"name": name})
    return path.as_posix()


def read_archive(source: Path, work: Path) -> Manifest:
    """Unpack into `work` and check every member against the manifest; nothing else is touched."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            return _read_members(archive, work)
    except (OSError, EOFError, tarfile.TarError, zlib.error) as error:
        raise BackupError(
            _("Không đọc được tệp sao lưu %(name)s: %(error)s") % {"name": source, "error": error}
        ) from error


def _read_members(archive: tarfile.TarFile, work: Path) -> Manifest:
    try:
        manifest_member = archive.extractfile(MANIFEST)
        if manifest_member is None:
            raise KeyError(MANIFEST)
        manifest = Manifest(**json.loads(manifest_member.read().decode("utf-8")))
    except (KeyError, ValueError, TypeError) as error:
        raise BackupError(_("Tệp sao lưu không có bản kê (manifest.json) hợp lệ.")) from error
    if manifest.format != FORMAT:
        raise BackupError(
            _("Tệp sao lưu theo định dạng %(format)s, không phải %(expected)s.")
            % {"format": manifest.format, "expected": FORMAT}
        )
    seen: set[str] = set()
    for member in archive.getmembers():
        name = _safe_member_name(member.name)
        if name == MANIFEST or member.isdir():
            continue
        expected = manifest.files.get(name)
        if expected is None or not member.isfile():
            raise BackupError(
                _("Tệp sao lưu có thành phần không có trong bản kê: %(name)s") % {"name": name}
            )
        stream: IO[bytes] | None = archive.extractfile(member)
        assert stream is not None
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with target.open("wb") as out:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected["sha256"]:
            raise BackupError(
                _("Tệp %(name)s trong bản sao lưu đã bị thay đổi hoặc hỏng (sai mã sha256).")
                % {"name": name}
            )
        seen.add(name)
    missing = sorted(set(manifest.files) - seen)
    if missing:
        raise BackupError(_("Tệp sao lưu thiếu: %(names)s") % {"names": ", ".join(missing[:5])})
    return manifest


def database_holds_data(using: str = DEFAULT_DB_ALIAS) -> bool:
    """A database in use has user accounts; a new one (just migrated) has none."""
    return get_user_model()._base_manager.using(using).exists()


def _check_migrations(manifest: Manifest, using: str) -> None:
    here = {tuple(item) for item in _applied_migrations(using)}
    unknown = sorted({tuple(item) for item in manifest.migrations} - here)
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            _(
                "Bản sao lưu được tạo từ phiên bản mới hơn (có %(count)s migration chưa có ở "
                "đây, ví dụ %(app)s.%(name)s); hãy cập nhật mã nguồn rồi khôi phục."
            )
            % {"count": len(unknown), "app": app, "name": name}
        )


def restore(source: Path, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Restore the archive: the database exactly as backed up, and its files under MEDIA_ROOT."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    # Unpacked beside MEDIA_ROOT so that moving each file in place is a rename on one disk.
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=media_root.parent) as staging:
        work = Path(staging)
        manifest = read_archive(source, work / "new")
        call_command("migrate", database=using, interactive=False, verbosity=0)
        _check_migrations(manifest, using)
        if not replace and database_holds_data(using):
            raise BackupError(
                _(
                    "Cơ sở dữ liệu đích đã có dữ liệu (có tài khoản người dùng); không ghi đè. "
                    "Nếu thật sự muốn thay toàn bộ bằng bản sao lưu, chạy lại với --replace."
                )
            )
        moved: list[tuple[Path, Path | None]] = []  # (file put in place, the file it replaced)
        try:
            with transaction.atomic(using=using):
                # Start from nothing, so the result is exactly the archive (rows that migrations
                # put in a new database come back from the archive with their own ids).
                empty_database(using)
                try:
                    # loaddata knows the format by the file's extension.
                    fixture = work / f"database.{FORMAT_NAME}"
                    os.replace(work / "new" / DATABASE, fixture)
                    call_command("loaddata", str(fixture), database=using, verbosity=0)
                except Exception as error:  # loaddata's errors are of many kinds
                    raise BackupError(
                        _("Không nạp được dữ liệu của bản sao lưu: %(error)s") % {"error": error}
                    ) from error
                _check_counts(manifest, using)
                _move_files_in(work, media_root, moved)
        except BaseException:
            _put_files_back(moved)
            raise
    return manifest


def empty_database(using: str = DEFAULT_DB_ALIAS) -> None:
    """Every table emptied (`flush`), inside the caller's transaction."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred foreign-key checks still pending in this
        # transaction: run those checks now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", database=using, interactive=False, verbosity=0)
    # What is cached was computed from the rows just emptied (and its keys hold their ids).
    cache.clear()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _check_counts(manifest: Manifest, using: str) -> None:
    for label, expected in manifest.counts.items():
        try:
            model = apps.get_model(label)
        except LookupError as error:
            raise BackupError(
                _("Bản sao lưu có bảng %(label)s mà phiên bản này không có.") % {"label": label}
            ) from error
        found = model._base_manager.using(using).count()
        # Content types and permissions: the migrations also create those of newer models.
        natural = hasattr(model._default_manager, "get_by_natural_key")
        if found != expected and not (natural and found > expected):
            raise BackupError(
                _("Khôi phục %(label)s được %(found)s dòng, bản sao lưu có %(expected)s.")
                % {"label": label, "found": found, "expected": expected}
            )


def _move_files_in(work: Path, media_root: Path, moved: list[tuple[Path, Path | None]]) -> None:
    source_root = work / "new" / MEDIA
    old_root = work / "old"
    if not source_root.is_dir():
        return
    for path in sorted(source_root.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(source_root)
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        previous: Path | None = None
        if target.exists():
            previous = old_root / relative
            previous.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, previous)
        moved.append((target, previous))
        shutil.move(path, target)


def _put_files_back(moved: list[tuple[Path, Path | None]]) -> None:
    for target, previous in reversed(moved):
        target.unlink(missing_ok=True)
        if previous is not None and previous.exists():
            os.replace(previous, target)


def describe(manifest: Manifest) -> str:
    rows = sum(manifest.counts.values())
    files = len([name for name in manifest.files if name.startswith(f"{MEDIA}/")])
    return _("%(rows)s dòng dữ liệu, %(files)s tệp (sao lưu lúc %(at)s)") % {
        "rows": rows,
        "files": files,
        "at": dt.datetime.fromisoformat(manifest.created_at)
        .astimezone()
        .strftime("%d/%m/%Y %H:%M"),
    }
