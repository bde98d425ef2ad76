"""Writing .xlsx files and serving them as downloads.

::

    book = SheetWriter()                                    # write_only: constant memory
    book.sheet("Nhiệm vụ", [Out("Mã", 10), Out("Ngày bắt đầu", kind="date"), "Ghi chú"], rows)
    return xlsx_response(book.to_bytes(), "nhiem-vu-2023.xlsx")

Header row bold, column widths, frozen header row, dates as real Excel dates shown dd/mm/yyyy,
numbers (int, float, Decimal) as numbers. Every string is written as a string cell, never as a
formula ("=HYPERLINK(…)", "+84 …", "-5 giờ", "@x" are shown as typed and read back unchanged);
``SheetWriter.append(sheet, row)`` does the same for sheets built by hand. ``xlsx_response`` sets
a Vietnamese-safe file name (ASCII fallback plus RFC 5987 UTF-8 name).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.text import fold

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"

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
            # A header can be text someone typed (a target's name as a column): text, as every
            # string cell (`append`), never a formula.
            cell = WriteOnlyCell(sheet, value=str(out.header))
            cell.data_type = "s"
            cell.font = HEADER_FONT
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        sheet.append(header)
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


def file_slug(text: str) -> str:
    """A name or title as a file name part: "Tổ Toán/Tin" -> "to-toan-tin" (60 characters at most)."""
    return "-".join(fold(text).replace("/", " ").split())[:60]


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
