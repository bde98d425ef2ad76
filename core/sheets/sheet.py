"""Finding a sheet in an uploaded workbook and mapping its header row to the expected columns.

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

``open_sheet(data, columns, sheet=…, max_rows=MAX_ROWS, workbook=None)`` finds the sheet by name
(diacritics, case, spaces and punctuation ignored; a wrong name gets a message naming the
expected sheet and the ones the file has), maps the header row to the columns (same folding;
``Column.aliases`` for other spellings; unknown columns are ignored; missing required columns are
named), refuses merged cells (naming the cells with row and column header) and sheets with more
than ``max_rows`` data rows (one message; a 100 000-row file is turned away in well under a
second, and ``rows()`` enforces the limit again while streaming). Pass ``workbook=`` to read
several sheets of one opened file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.sheets.reading import MAX_BYTES, MAX_ROWS, BadWorkbook, header_key, open_workbook
from core.sheets.rows import Row
from core.text import format_number


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
