"""PDF from a .docx with LibreOffice, where it is installed.

Each conversion runs `soffice --headless --convert-to pdf` in its own temporary directory with its
own user profile (-env:UserInstallation), so conversions running side by side neither share nor
lock a profile, and nothing is left behind. A time limit stops a hung office process.

LibreOffice is heavy (a process of a few hundred MB, seconds of CPU), so conversions are bounded:
- each paper's content is converted once: the PDF is kept in the default storage under
  `cache/pdf/<sha256 of the .docx's content>.pdf` (the content of its parts, not the zip's bytes,
  which carry the time the paper was made), and a request for the same content waits for the
  conversion under way instead of starting its own;
- at most PDF_CONVERSION_SLOTS (settings, default 1) LibreOffice processes run at once across
  every web and worker process of the site: each takes one of N lock files (`fcntl.flock`) under
  MEDIA_ROOT/cache, which the kernel releases if the process dies. A request that waits longer
  than SLOT_WAIT_SECONDS gets a clear message (503) and the .docx link instead.

The conversion runs in the django-tasks worker, not in the web request: `papers.tasks` keeps the
request's side (the cache, the queue, the state a waiting page polls) and the job that calls
`docx_to_pdf`.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from core.errors import DomainError

TIMEOUT_SECONDS = 90
SLOT_WAIT_SECONDS = 120.0
CACHE_FOLDER = "cache/pdf"


class PdfUnavailable(DomainError):
    """LibreOffice is not installed on this server (HTTP 503: the .docx is still there)."""

    status = 503


class PdfError(DomainError):
    """The conversion ran and failed, or found no free slot in time (HTTP 503: try again)."""

    status = 503


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return office_binary() is not None


def content_key(docx: bytes) -> str:
    """The sha256 of what the .docx says: its parts' names and bytes, not the zip's dates."""
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                digest.update(info.filename.encode("utf-8") + b"\0")
                digest.update(hashlib.sha256(archive.read(info)).digest())
    except (zipfile.BadZipFile, OSError, ValueError):
        return hashlib.sha256(b"raw\0" + docx).hexdigest()
    return digest.hexdigest()


def _lock_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "cache" / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _try_lock(path: Path) -> int | None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextmanager
def _hold_one_of(paths: list[Path], deadline: float) -> Iterator[None]:
    """Hold one of `paths` (a semaphore of len(paths) slots), waiting until `deadline`."""
    while True:
        for path in paths:
            fd = _try_lock(path)
            if fd is not None:
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                    os.close(fd)
                return
        if time.monotonic() >= deadline:
            raise PdfError(
                _(
                    "Máy chủ đang tạo nhiều tệp PDF cùng lúc; hãy thử lại sau ít phút hoặc tải "
                    "bản .docx."
                )
            )
        time.sleep(0.1)


def pdf_name(key: str) -> str:
    return f"{CACHE_FOLDER}/{key}.pdf"


def cached(name: str) -> bytes | None:
    """What the default storage keeps under `name`, or None."""
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stored:
        data: bytes = stored.read()
    return data


def keep(name: str, data: bytes) -> None:
    """Keep `data` under `name` once (the first keeper wins)."""
    if default_storage.exists(name):
        return
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another process kept it first; the storage picked another name
        default_storage.delete(saved)


def docx_to_pdf(content: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The PDF of a .docx: from the cache, or converted (one conversion per content, bounded)."""
    binary = office_binary()
    if binary is None:
        raise PdfUnavailable(
            _("Máy chủ chưa cài LibreOffice nên chưa tạo được tệp PDF; hãy tải bản .docx.")
        )
    key = content_key(content)
    name = pdf_name(key)
    if (found := cached(name)) is not None:
        return found
    deadline = time.monotonic() + SLOT_WAIT_SECONDS
    folder = _lock_folder()
    # Requests for the same content queue behind the one converting it (256 buckets of keys).
    with _hold_one_of([folder / f"pdf-{key[:2]}.lock"], deadline):
        if (found := cached(name)) is not None:
            return found
        slots = max(1, int(getattr(settings, "PDF_CONVERSION_SLOTS", 1)))
        with _hold_one_of([folder / f"pdf-slot-{i}.lock" for i in range(slots)], deadline):
            data = _convert(binary, content, timeout)
        keep(name, data)
    return data


def _convert(binary: str, content: bytes, timeout: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix="trongtam-pdf-") as work:
        folder = Path(work)
        source = folder / "giay-to.docx"
        source.write_bytes(content)
        profile = (folder / "profile").as_uri()
        command = [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            result = subprocess.run(  # fixed arguments, no shell
                command,
                capture_output=True,
                timeout=timeout,
                cwd=folder,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise PdfError(
                _("Tạo PDF quá %(seconds)s giây nên đã dừng; hãy thử lại hoặc tải bản .docx.")
                % {"seconds": int(timeout)}
            ) from error
        except OSError as error:
            raise PdfError(
                _("Không chạy được LibreOffice: %(error)s") % {"error": error}
            ) from error
        target = folder / "out" / "giay-to.pdf"
        if result.returncode != 0 or not target.exists():
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()[-300:]
            raise PdfError(
                _("LibreOffice không chuyển được văn bản sang PDF (mã %(code)s). %(detail)s")
                % {"code": result.returncode, "detail": detail}
            )
        return target.read_bytes()
