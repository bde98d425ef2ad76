"""Evidence files (minh chứng) checked by their content, not by their name. Standard library only.

A file is accepted when its first bytes say it is a PDF, an image, or an Office document, and its
name's extension agrees with what it is.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from core.uploads import check_zip

MAX_FILES = 10
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class BadEvidence(ValueError):
    """The message is shown to the user as is."""


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("application/pdf", ("pdf",))
PNG = Kind("image/png", ("png",))
JPEG = Kind("image/jpeg", ("jpg", "jpeg"))
WEBP = Kind("image/webp", ("webp",))
GIF = Kind("image/gif", ("gif",))
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",))
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",))
DOC = Kind("application/msword", ("doc",))
XLS = Kind("application/vnd.ms-excel", ("xls",))

ACCEPTED_EXTENSIONS = "pdf, doc, docx, xls, xlsx, pptx, png, jpg, jpeg, webp, gif"


def max_bytes() -> int:
    return int(getattr(settings, "TRACKING_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def clean_name(name: str) -> str:
    """A file name safe to show and to offer on download: no path, no control characters."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip().lstrip(".")
    if len(name) > 200:
        stem, _dot, ext = name.rpartition(".")
        name = f"{stem[:190]}.{ext[:8]}" if stem else name[:200]
    return name or "minh-chung"


def _office(data: bytes) -> Kind | None:
    # Evidence is stored, never unpacked: only the member count is bounded before listing them
    # (200 000 empty members fit in 16 MiB and cost seconds to list).
    try:
        with check_zip(
            data, max_member=1 << 62, max_total=1 << 62, max_ratio=1 << 62, max_members=10_000
        ) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):  # ArchiveRefused is a ValueError
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "ppt/presentation.xml" in names:
        return PPTX
    return None


def sniff(data: bytes, name: str) -> Kind:
    """What the file is; BadEvidence (in Vietnamese) if it is none of the accepted kinds."""
    if not data:
        raise BadEvidence(_("Tệp “%(name)s” rỗng.") % {"name": clean_name(name)})
    if len(data) > max_bytes():
        raise BadEvidence(
            _("Tệp “%(name)s” quá lớn (tối đa %(mb)s MB).")
            % {"name": clean_name(name), "mb": max_bytes() // (1024 * 1024)}
        )
    extension = extension_of(name)
    kind: Kind | None = None
    if data.startswith(b"%PDF-"):
        kind = PDF
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif data.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = WEBP
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        kind = GIF
    elif data.startswith(b"PK\x03\x04"):
        kind = _office(data)
    elif data.startswith(_OLE):
        kind = DOC if extension == "doc" else XLS if extension == "xls" else None
    if kind is None:
        raise BadEvidence(
            _("Tệp “%(name)s” không phải PDF, Word, Excel hay ảnh (chấp nhận: %(accepted)s).")
            % {"name": clean_name(name), "accepted": ACCEPTED_EXTENSIONS}
        )
    if extension not in kind.extensions:
        raise BadEvidence(
            _("Tên tệp “%(name)s” không khớp với nội dung (nội dung là tệp .%(ext)s).")
            % {"name": clean_name(name), "ext": kind.extensions[0]}
        )
    return kind
