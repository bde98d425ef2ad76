"""The typed readers of one data row, and finding objects by code or name.

``Row`` readers — ``text``, ``number`` (real numbers and "1.234,5" via core.text.parse_number),
``integer``, ``date`` (real Excel dates and "23/8/2023" via core.text.parse_date; "31/2/2024" is
an error), ``choice`` (by label or value, folded), ``lookup``/``lookups`` (a ``Lookup`` of objects
by code or name: diacritics, case and punctuation ignored, an exact match first, ambiguity
reported; ``lookups`` splits on ";" or new lines, and on commas only where the names have none).
A formula cell or an error cell (#N/A) is an error of its own (core.sheets.sheet), and the
readers then return None for it. ``check_unique`` marks repeated keys with the first row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

from django.utils.translation import gettext as _

from core.sheets.reading import RowResult, header_key, value_key
from core.text import format_number, parse_date, parse_number

T = TypeVar("T")


class SheetColumns(Protocol):
    """What a row needs of its sheet (core.sheets.sheet.Sheet): the headers of its columns."""

    def header(self, key: str) -> str: ...

    def has(self, key: str) -> bool: ...


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

    def __init__(self, sheet: SheetColumns, number: int) -> None:
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
