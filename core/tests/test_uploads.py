"""Zip and XML bombs in uploaded workbooks are refused before openpyxl parses them, quickly."""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Callable

import pytest
from openpyxl import Workbook

from core.sheets.reading import BadWorkbook
from core.sheets.sheet import Column, open_sheet
from core.uploads import ArchiveRefused, MiB, check_package, check_zip

COLUMNS = [Column("code", "Mã", required=True), Column("name", "Tên đơn vị")]
SHEET = "xl/worksheets/sheet1.xml"


def workbook(edit: dict[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """A small valid .xlsx, with the named parts changed by the given functions."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    sheet.append(["Mã", "Tên đơn vị"])
    sheet.append(["pdt", "Phòng Đào tạo"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = source.read(name)
            archive.writestr(name, edit[name](data) if edit and name in edit else data)
    return out.getvalue()


def after_data(extra: bytes) -> dict[str, Callable[[bytes], bytes]]:
    return {SHEET: lambda data: data.replace(b"</sheetData>", b"</sheetData>" + extra)}


def in_data(extra: bytes) -> dict[str, Callable[[bytes], bytes]]:
    return {SHEET: lambda data: data.replace(b"</sheetData>", extra + b"</sheetData>")}


def refused_quickly(data: bytes, match: str) -> None:
    started = time.monotonic()
    with pytest.raises(BadWorkbook, match=match):
        list(open_sheet(data, COLUMNS, sheet="Đơn vị").rows())
    assert time.monotonic() - started < 1


def test_a_plain_workbook_is_still_read() -> None:
    rows = list(open_sheet(workbook(), COLUMNS, sheet="Đơn vị").rows())
    assert [row.raw["name"] for row in rows] == ["Phòng Đào tạo"]


def test_a_large_comment_after_the_sheet_data_is_refused_before_parsing() -> None:
    # 6 MiB of comment: within the size and ratio bounds, but expat would take seconds (its
    # time grows with the square of the comment's size).
    data = workbook(after_data(b"<!--" + os.urandom(3 * MiB).hex().encode() + b"-->"))
    refused_quickly(data, "cấu trúc bất thường.*Chưa ghi gì")


def test_a_comment_full_of_angle_brackets_is_refused_too() -> None:
    refused_quickly(workbook(after_data(b"<!--" + b"<a>" * 1000 + b"-->")), "cấu trúc bất thường")


def test_one_huge_text_token_is_refused() -> None:
    text = os.urandom(MiB).hex().encode()
    cell = b'<row r="3"><c r="A3" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    refused_quickly(workbook(in_data(cell)), "cấu trúc bất thường")


def test_an_entity_bomb_in_the_styles_is_refused() -> None:
    laughs = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    data = workbook({"xl/styles.xml": lambda data: laughs + data.split(b"?>", 1)[-1]})
    refused_quickly(data, "cấu trúc bất thường")


def test_a_part_in_utf16_cannot_hide_a_doctype() -> None:
    book = io.BytesIO(workbook())
    out = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/workbook.xml":
                data = data.decode().replace("UTF-8", "UTF-16").encode("utf-16")
            target.writestr(name, data)
    refused_quickly(out.getvalue(), "cấu trúc bất thường")


def test_a_member_that_unpacks_past_the_bound_is_refused_without_unpacking() -> None:
    # 60 MiB of sheet in a file of a few dozen KB (the old bound was 400 MiB unpacked).
    cells = b'<c r="A3"><v>1</v></c>' * (60 * MiB // 22)
    padding = b'<row r="3">' + cells + b"</row>"  # one row: the row limit does not see it
    data = workbook(in_data(padding))
    assert len(data) < 1 * MiB
    refused_quickly(data, "quá lớn.*Chưa ghi gì")


def test_a_highly_compressed_member_is_refused_by_ratio() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", b"<a>" + b" " * (2 * MiB) + b"</a>")
    with pytest.raises(ArchiveRefused, match="gấp"):
        check_zip(out.getvalue(), max_member=16 * MiB, max_total=48 * MiB)


def test_too_many_members_and_damaged_files() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(30):
            archive.writestr(f"{n}.xml", b"<a/>")
    with pytest.raises(ArchiveRefused, match="30 phần"):
        check_package(out.getvalue(), max_member=MiB, max_total=MiB, max_members=20)
    with pytest.raises(ArchiveRefused, match="hỏng"):
        check_package(b"PK\x03\x04" + b"\0" * 100, max_member=MiB, max_total=MiB)


def test_a_package_of_many_empty_members_is_refused_before_listing_them() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for n in range(100_000):
            archive.writestr(f"{n:x}", b"")
    data = out.getvalue()
    started = time.process_time()
    with pytest.raises(ArchiveRefused, match=r"100\.000 phần"):
        check_zip(data, max_member=MiB, max_total=MiB)
    assert time.process_time() - started < 0.1
