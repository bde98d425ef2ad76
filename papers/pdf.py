"""PDF from a .docx with LibreOffice, where it is installed.

Each conversion runs `soffice --headless --convert-to pdf` in its own temporary directory with its
own user profile (-env:UserInstallation), so conversions running side by side neither share nor
lock a profile, and nothing is left behind. A time limit stops a hung office process.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 90


class PdfUnavailable(Exception):
    """LibreOffice is not installed on this server."""


class PdfError(Exception):
    """The conversion ran and failed."""


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return office_binary() is not None


def docx_to_pdf(content: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    binary = office_binary()
    if binary is None:
        raise PdfUnavailable(
            _("Máy chủ chưa cài LibreOffice nên chưa tạo được tệp PDF; hãy tải bản .docx.")
        )
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
