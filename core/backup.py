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
- `media/…`: every file of the default storage (MEDIA_ROOT, or the S3 bucket in production), read
  and written through Django's storage API, except the `cache/` folder (derived files) and
  `tmp/` (imports waiting for confirmation).

Restore checks every checksum before touching anything, refuses a database that holds user
accounts unless told to replace it, then empties the database and loads the rows in one
transaction, and puts the files in the storage only once the rows are loaded, putting back any
file it replaced if anything fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import Storage, default_storage
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
SKIPPED_MEDIA = {"cache", "tmp"}
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


@contextmanager
def _storage_errors() -> Iterator[None]:
    """An error of the file store (a disk, or an S3 server's refusal or absence) as BackupError,
    so the command says what went wrong instead of a traceback."""
    try:
        yield
    except BackupError:
        raise
    except Exception as error:  # boto3's errors are not OSErrors; a disk's are
        raise BackupError(
            _("Kho tệp báo lỗi: %(error)s") % {"error": f"{type(error).__name__}: {error}"}
        ) from error


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """The name of every file in the storage, in a stable order, derived folders left out."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}{name}"
    for name in sorted(folders):
        if not folder and name in SKIPPED_MEDIA:
            continue
        yield from stored_files(storage, f"{folder}{name}/")


def _copy_out(storage: Storage, name: str, target: Path) -> dict[str, Any]:
    """Copy a stored file to `target`; its size and sha256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as source, target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


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
        # Copied out of the storage once (one download each from S3), then archived.
        files: list[tuple[str, Path]] = []
        with _storage_errors():
            for name in stored_files(default_storage):
                path = Path(work) / MEDIA / name
                manifest.files[f"{MEDIA}/{name}"] = _copy_out(default_storage, name, path)
                files.append((name, path))
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
    """Restore the archive: the database exactly as backed up, and its files in the storage."""
    with tempfile.TemporaryDirectory(prefix="trongtam-restore-") as staging:
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
        moved: list[tuple[str, Path | None]] = []  # (file put in place, the file it replaced)
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
                with _storage_errors():
                    _put_files_in(work, default_storage, moved)
        except BaseException:
            _put_files_back(default_storage, moved)
            # The content types the flush made anew and the load looked up are remembered by
            # the process under ids the rollback has just taken away.
            ContentType.objects.clear_cache()
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


def _put_file(storage: Storage, name: str, path: Path) -> None:
    """Store the file at `path` under exactly `name` (whatever is there is removed first)."""
    storage.delete(name)
    with path.open("rb") as stream:
        saved = storage.save(name, File(stream))
    if saved != name:
        storage.delete(saved)
        raise BackupError(_("Kho tệp không lưu được %(name)s dưới đúng tên đó.") % {"name": name})


def _put_files_in(work: Path, storage: Storage, moved: list[tuple[str, Path | None]]) -> None:
    source_root = work / "new" / MEDIA
    old_root = work / "old"
    if not source_root.is_dir():
        return
    for path in sorted(source_root.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(source_root).as_posix()
        previous: Path | None = None
        if storage.exists(name):
            # Kept aside, to be put back if anything later fails.
            previous = old_root / name
            _copy_out(storage, name, previous)
        moved.append((name, previous))
        _put_file(storage, name, path)


def _put_files_back(storage: Storage, moved: list[tuple[str, Path | None]]) -> None:
    for name, previous in reversed(moved):
        if previous is not None and previous.exists():
            _put_file(storage, name, previous)
        else:
            storage.delete(name)


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
