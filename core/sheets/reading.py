"""Opening an uploaded workbook safely, and the results every import reports.

* ``open_workbook(data, max_rows=None)`` refuses, with a Vietnamese message (``BadWorkbook``):
  files over ``MAX_BYTES``; zip and XML bombs (core/uploads.py: ``MAX_PART`` a part,
  ``MAX_UNZIPPED`` in all, ratio, no DTD, comment or oversized token); the old ``.xls`` format
  (or a password-protected file); anything that is not a zip; a zip that is not a workbook (a
  .docx is named as such); with ``max_rows``, a worksheet with more rows than that, counted on
  the raw XML before openpyxl parses it (openpyxl reads a whole sheet just to open it when the
  file has no <dimension>). It opens read-only with ``data_only=False`` so formulas stay visible.
* ``read_bytes(upload)`` reads an uploaded file, refusing it before reading past the size cap.
* ``RowResult`` (row, label, action, errors [(column header, message)], values, changes
  [(column header, old, new)]) and ``ReadResult`` (rows, ``errors`` as (row, column, message),
  ``counts``, ``ok``) drive the generic preview template ``core/import_preview.html``.

Finding a sheet and its columns is core.sheets.sheet; the typed readers of a row are
core.sheets.rows.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.errors import DomainError
from core.text import fold, format_number
from core.uploads import ArchiveRefused, DamagedArchive, check_xml_parts, check_zip

MAX_BYTES = 20 * 1024 * 1024
# Unpacked bounds (core/uploads.py): openpyxl reads a dense sheet at about 3-4 MiB a second on
# a busy server, so a sheet part of at most 16 MiB parses in a few seconds; a real 10 000-row
# import is well under it. Sharing the machine, the whole package stays under 48 MiB.
MAX_PART = 16 * 1024 * 1024
MAX_UNZIPPED = 48 * 1024 * 1024
MAX_ROWS = 10_000  # per import; pass max_rows= to change (reading streams either way)
# The preview lists at most this many rows of each kind (rows to write, rows unchanged) and
# counts the rest: a university's 30 000-row list made a 7.5 MB page that took seconds to render
# and more to show. Errors are listed in full in their own table.
PREVIEW_ROWS = 1_000

ACTION_LABELS = {
    "create": "Tạo mới",
    "update": "Cập nhật",
    "unchanged": "Không đổi",
}


class BadWorkbook(DomainError):
    """The file cannot be read as the expected workbook; the message says why in Vietnamese."""


def header_key(value: Any) -> str:
    """Header text compared without diacritics, case, spaces or punctuation."""
    return re.sub(r"[^a-z0-9]", "", fold(str(value or "")))


def value_key(value: Any) -> str:
    """A cell value compared without diacritics, case or extra spaces (codes, names, labels)."""
    return fold(str(value if value is not None else "")).strip()


# Results ------------------------------------------------------------------------------------


@dataclass
class RowResult:
    """What one row would do: its action, every error, the values read, the changes shown."""

    row: int
    label: str = ""
    action: str = ""  # "create", "update", "unchanged" ("" while the row has errors)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)
    values: dict[str, Any] = field(default_factory=dict)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, old, new)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        return _(ACTION_LABELS[self.action]) if self.action in ACTION_LABELS else _("Lỗi")


@dataclass
class ReadResult:
    rows: list[RowResult] = field(default_factory=list)
    title: str = ""
    problems: list[str] = field(default_factory=list)  # file-wide, not tied to one row

    def add(self, row: RowResult) -> RowResult:
        self.rows.append(row)
        return row

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        """Every error as (row number, column header, message); file-wide ones on row 0."""
        file_wide = [(0, "", message) for message in self.problems]
        return file_wide + [(r.row, col, message) for r in self.rows for col, message in r.errors]

    @property
    def ok(self) -> bool:
        return not self.problems and all(r.ok for r in self.rows)

    def refuse_unless_ok(self) -> None:
        """Before writing: a file with any error writes nothing (all or nothing)."""
        if not self.ok:
            raise BadWorkbook(_("Tệp còn %(n)d lỗi: chưa ghi gì.") % {"n": len(self.errors)})

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            if row.errors:
                counts["error"] += 1
            elif row.action in counts:
                counts[row.action] += 1
        return counts

    @property
    def preview(self) -> list[RowResult]:
        """The rows the preview lists: those with an error or something to write, the first
        PREVIEW_ROWS of them."""
        return [r for r in self.rows if r.errors or r.action != "unchanged"][:PREVIEW_ROWS]

    @property
    def preview_left(self) -> int:
        """Rows with an error or something to write that the preview does not list."""
        listed = sum(1 for r in self.rows if r.errors or r.action != "unchanged")
        return max(0, listed - PREVIEW_ROWS)

    @property
    def unchanged_preview(self) -> list[RowResult]:
        return [r for r in self.rows if not r.errors and r.action == "unchanged"][:PREVIEW_ROWS]

    @property
    def changed(self) -> bool:
        return any(r.action in ("create", "update") for r in self.rows)


# Opening ------------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _row_tags(archive: zipfile.ZipFile, name: str) -> int:
    """How many <row> elements a worksheet part has, read streaming (no XML parsing)."""
    count = 0
    buffer = b""
    with archive.open(name) as source:
        while True:
            chunk = source.read(1 << 20)
            buffer += chunk
            if not chunk:
                return count + len(_ROW_TAG.findall(buffer))
            cut = len(buffer) - 16
            last_end = 0
            for match in _ROW_TAG.finditer(buffer, 0, cut):
                count += 1
                last_end = match.end()
            buffer = buffer[max(cut - 8, last_end) :]


def open_workbook(data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int | None = None) -> Any:
    """A read-only workbook with formulas kept (data_only=False), or BadWorkbook.

    With ``max_rows``, a worksheet with more rows than that (plus a header row) is refused
    before openpyxl reads it: files written without a <dimension> make openpyxl parse the whole
    sheet just to open it, which for 100 000 rows takes seconds.
    """
    if not data:
        raise BadWorkbook(_("Tệp trống."))
    if len(data) > max_bytes:
        raise BadWorkbook(
            _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": format_number(max_bytes // (1024 * 1024))}
        )
    if data[:8] == _OLE_MAGIC:
        raise BadWorkbook(
            _(
                "Đây là tệp Excel kiểu cũ (.xls) hoặc tệp có mật khẩu: hãy mở bằng Excel, bỏ mật "
                "khẩu nếu có, rồi lưu lại dưới dạng “Excel Workbook (.xlsx)”."
            )
        )
    if data[:2] != b"PK":
        raise BadWorkbook(_("Tệp không phải Excel (.xlsx)."))
    try:
        archive = check_zip(data, max_member=MAX_PART, max_total=MAX_UNZIPPED)
    except DamagedArchive as error:
        raise BadWorkbook(_("Không đọc được tệp Excel này.")) from error
    except ArchiveRefused as error:
        raise BadWorkbook(_("%(why)s Chưa ghi gì.") % {"why": error}) from error
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        if "word/document.xml" in names:
            raise BadWorkbook(_("Đây là tệp Word, không phải Excel (.xlsx)."))
        raise BadWorkbook(_("Tệp không phải Excel (.xlsx)."))
    try:
        check_xml_parts(archive)
    except DamagedArchive as error:
        raise BadWorkbook(_("Không đọc được tệp Excel này.")) from error
    except ArchiveRefused as error:
        raise BadWorkbook(_("%(why)s Chưa ghi gì.") % {"why": error}) from error
    if max_rows is not None:
        parts = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        for name in parts:
            if _row_tags(archive, name) > max_rows + 1:
                raise BadWorkbook(
                    _(
                        "Tệp có trang tính hơn %(n)s dòng: mỗi lần nhập tối đa %(n)s dòng "
                        "dữ liệu. Hãy chia tệp ra (và xoá các dòng trống đã định dạng). "
                        "Chưa ghi gì."
                    )
                    % {"n": format_number(max_rows)}
                )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on damaged files
        raise BadWorkbook(_("Không đọc được tệp Excel này.")) from error


def read_bytes(upload: Any, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The uploaded file's bytes, refusing before reading past the size cap."""
    if upload is None:
        raise BadWorkbook(_("Hãy chọn tệp Excel (.xlsx)."))
    if getattr(upload, "size", 0) and upload.size > max_bytes:
        raise BadWorkbook(
            _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": format_number(max_bytes // (1024 * 1024))}
        )
    return bytes(upload.read())
