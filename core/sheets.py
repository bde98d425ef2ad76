"""Excel in and out, shared by every import and export (.xlsx through openpyxl).

Reading — validate first, write all or nothing
----------------------------------------------
::

    COLUMNS = [
        Column("code", "Mã", required=True),
        Column("name", "Tên nhiệm vụ", required=True),
        Column("start", "Ngày bắt đầu"),
    ]
    sheet = open_sheet(data, COLUMNS, sheet="Nhiệm vụ", max_rows=5_000)   # BadWorkbook if unusable
    result = ReadResult(title=_("Nhiệm vụ"))
    for row in sheet.rows():                       # streaming; empty rows skipped
        code = row.text("code", required=True)      # every reader records its own errors …
        start = row.date("start")                   # … as (row number, column header, message)
        result.add(row.result)                      # a RowResult: action, errors, values, changes
        ...
        row.result.action = "create" | "update" | "unchanged"
    if result.errors: nothing is written; the preview page lists them.

* ``open_workbook(data, max_rows=None)`` refuses, with a Vietnamese message (``BadWorkbook``):
  files over ``MAX_BYTES``; zip and XML bombs (core/uploads.py: ``MAX_PART`` a part,
  ``MAX_UNZIPPED`` in all, ratio, no DTD, comment or oversized token); the old ``.xls`` format (or a password-protected file);
  anything that is not a zip; a zip that is not a workbook (a .docx is named as such); with
  ``max_rows``, a worksheet with more rows than that, counted on the raw XML before openpyxl
  parses it (openpyxl reads a whole sheet just to open it when the file has no <dimension>).
  It opens read-only with ``data_only=False`` so formulas stay visible.
* ``open_sheet(data, columns, sheet=…, max_rows=MAX_ROWS, workbook=None)`` finds the sheet by
  name (diacritics, case, spaces and punctuation ignored; a wrong name gets a message naming the
  expected sheet and the ones the file has), maps the header row to the columns (same folding;
  ``Column.aliases`` for other spellings; unknown columns are ignored; missing required columns
  are named), refuses merged cells (naming the cells with row and column header) and sheets
  with more than ``max_rows`` data rows (one message; a 100 000-row file is turned away in well
  under a second, and ``rows()`` enforces the limit again while streaming). Pass ``workbook=``
  to read several sheets of one opened file.
* ``Row`` readers — ``text``, ``number`` (real numbers and "1.234,5" via core.text.parse_number),
  ``integer``, ``date`` (real Excel dates and "23/8/2023" via core.text.parse_date; "31/2/2024"
  is an error), ``choice`` (by label or value, folded), ``lookup``/``lookups`` (a ``Lookup`` of
  objects by code or name: diacritics, case and punctuation ignored, an exact match first,
  ambiguity reported; ``lookups`` splits on ";" or new lines, and on commas only where the
  names have none). A formula cell or an error cell (#N/A) is an error of its own, and the
  readers then return None for it. ``check_unique`` marks repeated keys with the first row.
* ``RowResult`` (row, label, action, errors [(column header, message)], values, changes
  [(column header, old, new)]) and ``ReadResult`` (rows, ``errors`` as (row, column, message),
  ``counts``, ``ok``) drive the generic preview template ``sheets/preview.html``.
* ``stash_upload`` / ``take_upload`` / ``drop_upload`` keep the uploaded bytes between the dry
  run and the confirmation: a private temporary file named per user and token, its SHA-256 in
  the session; the confirming step gets the same bytes back (or BadWorkbook) and re-validates.
  ``sheets/flow.py`` (``run_import``) wires all this into an upload → dry run → confirm page.

Writing
-------
::

    book = SheetWriter()                                    # write_only: constant memory
    book.sheet("Nhiệm vụ", [Out("Mã", 10), Out("Ngày bắt đầu", kind="date"), "Ghi chú"], rows)
    return xlsx_response(book.to_bytes(), "nhiem-vu-2023.xlsx")

Header row bold, column widths, frozen header row, dates as real Excel dates shown dd/mm/yyyy,
numbers (int, float, Decimal) as numbers. Every string is written as a string cell, never as a
formula ("=HYPERLINK(…)", "+84 …", "-5 giờ", "@x" are shown as typed and read back unchanged);
``SheetWriter.append(sheet, row)`` does the same for sheets built by hand. ``xlsx_response`` sets a Vietnamese-safe file name
(ASCII fallback plus RFC 5987 UTF-8 name).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.errors import DomainError
from core.text import fold, format_number, parse_date, parse_number
from core.uploads import ArchiveRefused, DamagedArchive, check_xml_parts, check_zip

T = TypeVar("T")

MAX_BYTES = 20 * 1024 * 1024
# Unpacked bounds (core/uploads.py): openpyxl reads a dense sheet at about 3-4 MiB a second on
# a busy server, so a sheet part of at most 16 MiB parses in a few seconds; a real 10 000-row
# import is well under it. Sharing the machine, the whole package stays under 48 MiB.
MAX_PART = 16 * 1024 * 1024
MAX_UNZIPPED = 48 * 1024 * 1024
MAX_ROWS = 10_000  # per import; pass max_rows= to change (reading streams either way)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"

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


@dataclass(frozen=True)
class Column:
    """An expected column: a key for the code, the Vietnamese header the user sees."""

    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _merged_ranges(workbook: Any, worksheet: Any) -> list[str]:
    """Merged ranges read straight from the sheet's XML (read-only sheets do not parse them)."""
    path = getattr(worksheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if path is None or archive is None:
        return [str(r) for r in getattr(worksheet, "merged_cells", None) or []]
    found: list[str] = []
    tail = b""
    with archive.open(path) as source:
        while chunk := source.read(1 << 20):
            block = tail + chunk
            found.extend(m.decode() for m in _MERGE.findall(block))
            tail = block[-300:]
            # a tag cut at the chunk border is found again in the next block; remove repeats
    return list(dict.fromkeys(found))


class Sheet:
    """One worksheet with its header mapped; ``rows()`` streams the data rows."""

    def __init__(
        self,
        workbook: Any,
        worksheet: Any,
        columns: Sequence[Column],
        positions: dict[str, int],
        headers: dict[int, str],
        *,
        header_row: int,
        max_rows: int,
    ) -> None:
        self.workbook = workbook
        self.worksheet = worksheet
        self.columns = {c.key: c for c in columns}
        self.positions = positions  # column key -> 0-based index
        self.headers = headers  # 0-based index -> header text as written in the file
        self.header_row = header_row
        self.max_rows = max_rows
        self.title = worksheet.title

    def header(self, key: str) -> str:
        return self.columns[key].header

    def has(self, key: str) -> bool:
        return key in self.positions

    def _too_many(self) -> BadWorkbook:
        return BadWorkbook(
            _(
                "Trang tính “%(sheet)s” có hơn %(n)s dòng dữ liệu: mỗi lần nhập tối đa %(n)s "
                "dòng. Hãy chia tệp ra. Chưa ghi gì."
            )
            % {"sheet": self.title, "n": format_number(self.max_rows)}
        )

    def count_rows(self) -> int:
        """Non-empty data rows, stopping one past the limit."""
        count = 0
        for values in self.worksheet.iter_rows(min_row=self.header_row + 1, values_only=True):
            if any(v not in (None, "") for v in values):
                count += 1
                if count > self.max_rows:
                    break
        return count

    def rows(self) -> Iterator[Row]:
        """Data rows as ``Row`` objects; BadWorkbook once more than ``max_rows`` were seen."""
        count = 0
        wanted = sorted(self.positions.items(), key=lambda item: item[1])
        for number, cells in enumerate(
            self.worksheet.iter_rows(min_row=self.header_row + 1), start=self.header_row + 1
        ):
            if not cells or all(
                getattr(c, "value", None) in (None, "") or str(c.value).strip() == "" for c in cells
            ):
                continue
            count += 1
            if count > self.max_rows:
                raise self._too_many()
            row = Row(self, number)
            for key, index in wanted:
                cell = cells[index] if index < len(cells) else None
                value = getattr(cell, "value", None)
                kind = getattr(cell, "data_type", None)
                if kind == "f" or (
                    isinstance(value, str) and value.startswith("=") and kind != "s"
                ):
                    row.error(
                        key,
                        _("Ô chứa công thức (%(f)s): hãy dán giá trị (Dán đặc biệt → Giá trị).")
                        % {"f": str(value)[:40]},
                    )
                    value = None
                elif kind == "e":
                    row.error(key, _("Ô có lỗi %(v)s.") % {"v": value})
                    value = None
                row.raw[key] = value
            yield row


def open_sheet(
    data: bytes,
    columns: Sequence[Column],
    *,
    sheet: str | None = None,
    max_rows: int = MAX_ROWS,
    header_row: int = 1,
    max_bytes: int = MAX_BYTES,
    workbook: Any = None,
) -> Sheet:
    """Open the workbook (or use the one given), find the sheet, check it and map its header
    row; BadWorkbook if not."""
    if workbook is None:
        workbook = open_workbook(data, max_bytes=max_bytes, max_rows=max_rows + header_row - 1)
    if sheet is None:
        worksheet = workbook.worksheets[0]
    else:
        matches = [ws for ws in workbook.worksheets if header_key(ws.title) == header_key(sheet)]
        if not matches:
            raise BadWorkbook(
                _(
                    "Không thấy trang tính “%(want)s”; tệp có: %(have)s. Hãy đặt tên trang tính là “%(want)s”."
                )
                % {
                    "want": sheet,
                    "have": ", ".join(f"“{ws.title}”" for ws in workbook.worksheets),
                }
            )
        worksheet = matches[0]
    header_values: tuple[Any, ...] | None = None
    for values in worksheet.iter_rows(min_row=header_row, max_row=header_row, values_only=True):
        header_values = values
    if not header_values or all(v in (None, "") for v in header_values):
        raise BadWorkbook(
            _("Trang tính “%(sheet)s” trống hoặc dòng %(row)d không phải dòng tiêu đề cột.")
            % {"sheet": worksheet.title, "row": header_row}
        )
    lookup: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            lookup.setdefault(header_key(name), column)
    positions: dict[str, int] = {}
    headers: dict[int, str] = {}
    for index, value in enumerate(header_values):
        column_for = lookup.get(header_key(value)) if value not in (None, "") else None
        if column_for is not None and column_for.key not in positions:
            positions[column_for.key] = index
            headers[index] = column_for.header
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        raise BadWorkbook(
            _(
                "Trang tính “%(sheet)s” thiếu cột: %(columns)s. Dòng %(row)d phải là dòng tiêu đề "
                "cột (tên cột tiếng Việt như trong tệp mẫu)."
            )
            % {"sheet": worksheet.title, "columns": ", ".join(missing), "row": header_row}
        )
    merged = _merged_ranges(workbook, worksheet)
    if merged:
        described = []
        for ref in merged[:5]:
            match = _CELL_REF.match(ref)
            where = ref
            if match:
                index = _column_index(match.group(1))
                name = headers.get(index) or _("cột %(c)s") % {"c": match.group(1)}
                where = _("%(ref)s (dòng %(row)s, cột %(col)s)") % {
                    "ref": ref,
                    "row": match.group(2),
                    "col": name,
                }
            described.append(where)
        raise BadWorkbook(
            _("Trang tính có ô gộp: %(cells)s. Hãy bỏ gộp ô (Unmerge) trước khi nhập.")
            % {"cells": "; ".join(described)}
        )
    result = Sheet(
        workbook,
        worksheet,
        columns,
        positions,
        headers,
        header_row=header_row,
        max_rows=max_rows,
    )
    declared = getattr(worksheet, "max_row", None)
    too_long = isinstance(declared, int) and declared - header_row > max_rows
    if too_long and result.count_rows() > max_rows:
        raise result._too_many()
    return result


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - 64)
    return index - 1


# Rows and typed readers -----------------------------------------------------------------------


class Lookup:
    """Objects found by any of their fields (code, name …): diacritics, case, spaces and
    punctuation ignored ("phong ke hoach tai chinh" finds "Phòng Kế hoạch – Tài chính"); an
    exact folded match wins over a loose one."""

    def __init__(self, objects: Iterable[Any], fields: Sequence[str], what: str) -> None:
        self.what = what
        self.index: dict[str, Any] = {}
        self.ambiguous: set[str] = set()
        self.loose: dict[str, Any] = {}
        self.loose_ambiguous: set[str] = set()
        for obj in objects:
            for name in fields:
                value = getattr(obj, name, None)
                if not value:
                    continue
                for key, index, ambiguous in (
                    (value_key(value), self.index, self.ambiguous),
                    (header_key(value), self.loose, self.loose_ambiguous),
                ):
                    if key in index and index[key].pk != obj.pk:
                        ambiguous.add(key)
                    index.setdefault(key, obj)

    def find(self, text: Any) -> tuple[Any, bool]:
        """(the object or None, whether the text names several objects)."""
        key = value_key(text)
        if key in self.index:
            return (None, True) if key in self.ambiguous else (self.index[key], False)
        loose = header_key(text)
        if loose in self.loose:
            return (None, True) if loose in self.loose_ambiguous else (self.loose[loose], False)
        return None, False

    def get(self, text: Any) -> Any:
        return self.find(text)[0]

    def knows(self, text: Any) -> bool:
        """The text names one object or several (then the reader reports the ambiguity)."""
        found, ambiguous = self.find(text)
        return found is not None or ambiguous


class Row:
    """One data row; readers return typed values and record errors against the row."""

    def __init__(self, sheet: Sheet, number: int) -> None:
        self.sheet = sheet
        self.row = number  # the row number as Excel shows it
        self.raw: dict[str, Any] = {}
        self.result = RowResult(row=number)

    # errors
    def error(self, key: str, message: str) -> None:
        self.result.errors.append((self.sheet.header(key), message))

    def has_error(self, key: str) -> bool:
        header = self.sheet.header(key)
        return any(column == header for column, _m in self.result.errors)

    def present(self, key: str) -> bool:
        value = self.raw.get(key)
        return value is not None and not (isinstance(value, str) and not value.strip())

    def _empty(self, key: str, required: bool) -> bool:
        if self.present(key):
            return False
        if required and not self.has_error(key):
            if not self.sheet.has(key):
                self.error(key, _("Thiếu cột này."))
            else:
                self.error(key, _("Ô bắt buộc đang trống."))
        return True

    # readers
    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        if self._empty(key, required):
            return ""
        value = self.raw[key]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime):
            text = value.strftime("%d/%m/%Y") if value.time() == dt.time() else str(value)
        elif isinstance(value, dt.date):
            text = value.strftime("%d/%m/%Y")
        else:
            text = " ".join(str(value).split())
        if max_length is not None and len(text) > max_length:
            self.error(
                key, _("Dài quá %(n)s ký tự (đang có %(m)s).") % {"n": max_length, "m": len(text)}
            )
        return text

    def number(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: Decimal | int | None = None,
        maximum: Decimal | int | None = None,
    ) -> Decimal | None:
        if self._empty(key, required):
            return None
        value = self.raw[key]
        number: Decimal | None
        if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
            number = None
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            try:
                number = parse_number(str(value))
            except (ValueError, InvalidOperation):
                number = None
        if number is None or not number.is_finite():
            self.error(
                key, _("“%(v)s” không phải là số (viết 1.234,5 hoặc 1234.5).") % {"v": value}
            )
            return None
        if minimum is not None and number < minimum:
            self.error(key, _("Phải từ %(n)s trở lên.") % {"n": format_number(minimum)})
            return None
        if maximum is not None and number > maximum:
            self.error(key, _("Phải không quá %(n)s.") % {"n": format_number(maximum)})
            return None
        return number

    def integer(
        self, key: str, *, required: bool = False, minimum: int | None = None
    ) -> int | None:
        number = self.number(key, required=required, minimum=minimum)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.error(key, _("Cần một số nguyên."))
            return None
        return int(number)

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        if self._empty(key, required):
            return None
        value = self.raw[key]
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return parse_date(value)
            except ValueError:
                pass
        self.error(
            key,
            _("“%(v)s” không phải là ngày hợp lệ (viết ngày/tháng/năm, ví dụ 23/8/2023).")
            % {"v": value},
        )
        return None

    def choice(
        self, key: str, choices: Iterable[tuple[T, str]], *, required: bool = False
    ) -> T | None:
        """A value chosen by its label (or its value), e.g. the status "Đang thực hiện"."""
        if self._empty(key, required):
            return None
        options = list(choices)
        wanted = value_key(self.raw[key])
        for value, label in options:
            if wanted in (value_key(label), value_key(value)):
                return value
        self.error(
            key,
            _("“%(v)s” không có trong danh sách: %(options)s.")
            % {"v": self.raw[key], "options": ", ".join(str(label) for _v, label in options)},
        )
        return None

    def lookup(self, key: str, index: Lookup, *, required: bool = False) -> Any:
        if self._empty(key, required):
            return None
        return self._find(key, str(self.raw[key]).strip(), index)

    def lookups(self, key: str, index: Lookup, *, required: bool = False) -> list[Any]:
        """Several objects in one cell, separated by ";" or new lines, or by commas when the
        names themselves have none ("Phòng Công tác học sinh, sinh viên" stays one name)."""
        if self._empty(key, required):
            return []
        found: list[Any] = []
        for part in re.split(r"[;\n]", str(self.raw[key])):
            part = part.strip()
            if not part:
                continue
            names = [part] if index.knows(part) else _comma_names(part, index)
            for name in names:
                obj = self._find(key, name, index)
                if obj is not None and obj not in found:
                    found.append(obj)
        return found

    def _find(self, key: str, text: str, index: Lookup) -> Any:
        obj, ambiguous = index.find(text)
        if ambiguous:
            self.error(
                key,
                _("Có nhiều %(what)s “%(v)s”: hãy ghi mã.") % {"what": index.what, "v": text},
            )
            return None
        if obj is None:
            self.error(key, _("Không có %(what)s “%(v)s”.") % {"what": index.what, "v": text})
        return obj


def _comma_names(text: str, index: Lookup) -> list[str]:
    """Split "A, B, C" into known names, joining pieces back when a name has a comma in it."""
    pieces = [p.strip() for p in text.split(",")]
    names: list[str] = []
    start = 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            candidate = ", ".join(pieces[start:end])
            if index.knows(candidate):
                names.append(candidate)
                start = end
                break
        else:
            if pieces[start]:
                names.append(pieces[start])
            start += 1
    return names


def check_unique(rows: Iterable[tuple[Row, str]], key: str) -> None:
    """Mark repeated values of one column (e.g. codes) with the row they repeat."""
    seen: dict[str, int] = {}
    for row, value in rows:
        folded = value_key(value)
        if not folded:
            continue
        if folded in seen:
            row.error(key, _("Trùng với dòng %(row)d.") % {"row": seen[folded]})
        else:
            seen[folded] = row.row


# Keeping the upload between the dry run and the confirmation ------------------------------------

_STASH_DIR = Path(tempfile.gettempdir()) / "trongtam-sheets"
_STASH_AGE = 24 * 3600


def _stash_path(user_pk: Any, token: str) -> Path:
    return _STASH_DIR / f"{int(user_pk)}-{token}.xlsx"


def stash_upload(request: HttpRequest, purpose: str, data: bytes, scope: Any = None) -> str:
    """Keep the checked file for this user; returns the token the confirm form sends back."""
    _STASH_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = time.time()
    for old in _STASH_DIR.glob("*.xlsx"):
        try:
            if now - old.stat().st_mtime > _STASH_AGE:
                old.unlink(missing_ok=True)
        except OSError:
            pass
    drop_upload(request, purpose)
    token = uuid.uuid4().hex
    path = _stash_path(request.user.pk, token)
    path.write_bytes(data)
    path.chmod(0o600)
    request.session[f"sheets:{purpose}"] = {
        "token": token,
        "sha256": hashlib.sha256(data).hexdigest(),
        "scope": str(scope),
    }
    return token


def take_upload(request: HttpRequest, purpose: str, token: str, scope: Any = None) -> bytes:
    """The bytes stashed by the same user for the same purpose and scope, or BadWorkbook."""
    pending = request.session.get(f"sheets:{purpose}") or {}
    expired = BadWorkbook(_("Phiên nhập đã hết hạn hoặc đã dùng: hãy chọn lại tệp."))
    if (
        not token
        or not re.fullmatch(r"[0-9a-f]{32}", token)
        or pending.get("token") != token
        or pending.get("scope") != str(scope)
    ):
        raise expired
    try:
        data = _stash_path(request.user.pk, token).read_bytes()
    except OSError as error:
        raise expired from error
    if hashlib.sha256(data).hexdigest() != pending.get("sha256"):
        raise expired
    return data


def drop_upload(request: HttpRequest, purpose: str) -> None:
    pending = request.session.pop(f"sheets:{purpose}", None) or {}
    token = pending.get("token")
    if token and re.fullmatch(r"[0-9a-f]{32}", token):
        _stash_path(request.user.pk, token).unlink(missing_ok=True)


# Writing ------------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)


@dataclass(frozen=True)
class Out:
    """An exported column: header, width (characters) and kind ("text", "number", "date")."""

    header: str
    width: float | None = None
    kind: str = "text"


def _out(column: str | Out) -> Out:
    return column if isinstance(column, Out) else Out(column)


def cell_value(value: Any) -> Any:
    """A Python value as openpyxl should store it (numbers stay numbers, no time zones)."""
    if isinstance(value, str):
        # Control characters (pasted from Word, say) cannot be stored in the file's XML and
        # would make openpyxl refuse the whole export; they are dropped.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return value
    return str(value)


class SheetWriter:
    """A workbook being built; ``write_only`` (the default) keeps memory flat for long lists."""

    def __init__(self, *, write_only: bool = True) -> None:
        self.write_only = write_only
        self.workbook = Workbook(write_only=write_only)
        if not write_only:
            self.workbook.remove(self.workbook.active)
        self.titles: set[str] = set()

    def _title(self, title: str) -> str:
        cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
        candidate, n = cleaned, 1
        while candidate.lower() in self.titles:
            n += 1
            candidate = f"{cleaned[:28]} ~{n}"
        self.titles.add(candidate.lower())
        return candidate

    def sheet(self, title: str, columns: Sequence[str | Out], rows: Iterable[Sequence[Any]]) -> Any:
        outs = [_out(c) for c in columns]
        sheet = self.workbook.create_sheet(title=self._title(title))
        sample = list(rows[:200]) if isinstance(rows, list) else []
        for index, out in enumerate(outs, start=1):
            width = out.width
            if width is None:
                longest = max(
                    [
                        len(out.header),
                        *(len(_shown(r[index - 1])) for r in sample if len(r) >= index),
                    ]
                )
                width = min(max(10 if out.kind != "date" else 12, longest + 2), 60)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        header: list[Any] = []
        for out in outs:
            if self.write_only:
                cell = WriteOnlyCell(sheet, value=out.header)
                cell.font = HEADER_FONT
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                header.append(cell)
            else:
                header.append(out.header)
        sheet.append(header)
        if not self.write_only:
            for cell in sheet[1]:
                cell.font = HEADER_FONT
                cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in rows:
            self.append(sheet, row)
        return sheet

    def append(self, sheet: Any, row: Sequence[Any]) -> None:
        """One row of values after the last: dates formatted, and text always written as text.

        openpyxl stores any string starting with "=" as a live formula; a task titled
        '=HYPERLINK("http://…")' would then run in Excel and the file could not be imported
        back. Each string cell is forced to a string (an inline string in the file), which Excel
        and LibreOffice show literally, without altering the text.
        """
        line: list[Any] = []
        for value in row:
            value = cell_value(value)
            if isinstance(value, str | dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                else:
                    cell.number_format = _date_format(value)
                line.append(cell)
            else:
                line.append(value)
        sheet.append(line)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def _date_format(value: dt.date) -> str:
    return DATETIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return "00/00/0000"
    return "" if value is None else str(value)


def ascii_filename(filename: str) -> str:
    """ "Kế hoạch 2023–2024.xlsx" -> "ke-hoach-2023-2024.xlsx" (for old browsers)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(stem.replace("–", "-"))).strip("-") or "bang-tinh"
    return f"{slug}.{ext.lower()}" if ext else slug


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """Serve an .xlsx download; the Vietnamese name survives (RFC 5987) with an ASCII fallback."""
    response = HttpResponse(data, content_type=XLSX_TYPE)
    name = filename if filename.lower().endswith(".xlsx") else f"{filename}.xlsx"
    header = content_disposition_header(True, name) or ""
    if "filename*=" in header:
        header = f'attachment; filename="{ascii_filename(name)}"; ' + header.split("; ", 1)[1]
    response["Content-Disposition"] = header
    response["X-Content-Type-Options"] = "nosniff"
    return response


def read_bytes(upload: Any, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The uploaded file's bytes, refusing before reading past the size cap."""
    if upload is None:
        raise BadWorkbook(_("Hãy chọn tệp Excel (.xlsx)."))
    if getattr(upload, "size", 0) and upload.size > max_bytes:
        raise BadWorkbook(
            _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": format_number(max_bytes // (1024 * 1024))}
        )
    return bytes(upload.read())
