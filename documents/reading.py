"""Text out of what a clerk pastes or uploads: plain text (UTF-8) or Word (.docx)."""

from __future__ import annotations

import io
import zipfile
from typing import BinaryIO

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class UnreadableFile(Exception):
    """The file is not text or Word; the message says so in Vietnamese."""


def text_from_docx(stream: BinaryIO) -> str:
    import docx  # python-docx

    document = docx.Document(stream)
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.extend(cell.text for cell in row.cells)
    return "\n".join(paragraphs)


def text_from_upload(name: str, data: bytes) -> str:
    """Decode an uploaded .txt or .docx, judging by its content as well as its name."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(_("Tệp quá lớn (tối đa 5 MB)."))
    if data[:2] == b"PK" or name.lower().endswith(".docx"):
        try:
            return text_from_docx(io.BytesIO(data))
        except (zipfile.BadZipFile, KeyError, ValueError) as error:
            raise UnreadableFile(_("Không đọc được tệp Word (.docx) này.")) from error
    if name.lower().endswith(".doc") or data[:4] == b"\xd0\xcf\x11\xe0":
        raise UnreadableFile(
            _("Tệp .doc cũ chưa được hỗ trợ: hãy lưu lại thành .docx hoặc dán nội dung.")
        )
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise UnreadableFile(_("Tệp không phải văn bản thuần (UTF-8) hay Word (.docx)."))
