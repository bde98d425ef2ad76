"""Titles of the years before the product, from Excel: checked row by row first (nothing
written while any row is wrong), then all written; the sheet exported imports back unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import World
from core.sheets.reading import BadWorkbook
from core.sheets.writing import SheetWriter
from emulation import excel
from emulation.models import TitleHistory, TitleSource

HEADERS = [
    "Năm học",
    "Họ và tên",
    "Thư điện tử",
    "Đơn vị",
    "Danh hiệu",
    "Xếp loại",
    "Quyết định",
    "Ghi chú",
]


def workbook(rows: list[list[Any]], sheet: str = excel.TITLES_SHEET) -> bytes:
    book = SheetWriter()
    book.sheet(sheet, HEADERS, rows)
    return book.to_bytes()


GOOD = [
    ["2021-2022", "Hoàng Văn An", "", "Khoa Tự nhiên", "Lao động tiên tiến, chien si thi dua co so", "htxs", "QĐ 120/QĐ-CĐM", ""],
    ["2022-2023", "Hoàng Văn An", "", "", "LĐTT; CSTĐCS", "HTT", "", "Năm thứ hai"],
    ["2022–2023", "", "", "Phòng Đào tạo", "TTLĐXS", "", "", ""],
]  # fmt: skip


def test_rows_are_checked_and_then_all_written(world: World) -> None:
    result = excel.read_titles(world.school, workbook(GOOD))
    assert result.ok, result.errors
    assert result.counts["create"] == 3
    by = world.users["clerk"]
    excel.import_titles(world.school, workbook(GOOD), by=by)
    rows = {(row.person_id, row.unit_id, row.start_year): row for row in TitleHistory.objects.all()}
    first = rows[(world.people["staff"].pk, world.faculty.pk, 2021)]
    assert first.titles == ["LĐTT", "CSTĐCS"] and first.level == "HTXS"
    assert first.source == TitleSource.IMPORTED and first.history.first().history_user == by
    assert rows[(None, world.office.pk, 2022)].titles == ["TTLĐXS"]
    # Imported again: nothing changes; the sheet the school exports imports back unchanged.
    assert excel.read_titles(world.school, workbook(GOOD)).counts["unchanged"] == 3
    exported = excel.titles_workbook(world.school)
    assert excel.read_titles(world.school, exported).counts == {
        "create": 0, "update": 0, "unchanged": 3, "error": 0
    }  # fmt: skip


def test_each_wrong_row_says_what_and_nothing_is_written(world: World) -> None:
    rows = [
        *GOOD,
        ["2022", "Hoàng Văn An", "", "", "LĐTT", "", "", ""],
        ["2020-2021", "Người Không Có", "", "", "LĐTT", "", "", ""],
        ["2020-2021", "Hoàng Văn An", "", "", "Bằng khen", "", "", ""],
        ["2020-2021", "Lý Thị Hoa", "", "", "TTLĐTT", "Giỏi", "", ""],
        ["2021-2022", "", "", "Phòng Đào tạo", "LĐTT", "HTT", "", ""],
        ["2021-2022", "Hoàng Văn An", "", "", "LĐTT", "", "", ""],
        ["2020-2021", "", "", "", "LĐTT", "", "", ""],
    ]
    result = excel.read_titles(world.school, workbook(rows))
    errors = {(row, message) for row, _column, message in result.errors}
    assert (5, "Năm học viết dạng 2022-2023.") in errors
    assert (6, "Không có người “Người Không Có”.") in errors
    assert (7, "Không rõ danh hiệu: Bằng khen.") in errors
    assert (8, "Cá nhân chỉ nhận danh hiệu cá nhân.") in errors
    assert (8, "Xếp loại là HTXS, HTT, HT hoặc KHT.") in errors
    assert (9, "Đơn vị chỉ nhận danh hiệu tập thể.") in errors
    assert (9, "Xếp loại chỉ ghi cho cá nhân.") in errors
    assert (10, "Trùng với dòng 2.") in errors
    assert (11, "Hãy ghi họ và tên (cá nhân) hoặc đơn vị (tập thể).") in errors
    client = world.client("clerk")
    response = client.post(
        reverse("emulation:titles_import"),
        {"file": SimpleUploadedFile("danh-hieu.xlsx", workbook(rows))},
    )
    assert response.status_code == 400 and "Trùng với dòng 2." in response.content.decode()
    assert not TitleHistory.objects.exists()


def test_the_import_page_previews_then_confirms(world: World) -> None:
    client = world.client("clerk")
    response = client.post(
        reverse("emulation:titles_import"), {"file": SimpleUploadedFile("d.xlsx", workbook(GOOD))}
    )
    assert response.status_code == 200 and not TitleHistory.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("emulation:titles_import"), {"token": token})
    assert response.status_code == 302
    assert TitleHistory.objects.count() == 3
    page = world.client("staff").get(reverse("emulation:titles") + "?year=2021").content.decode()
    assert "Hoàng Văn An" in page and "LĐTT, CSTĐCS" in page and "Phòng Đào tạo" not in page


def test_a_sheet_by_another_name_is_named(world: World) -> None:
    from core.sheets.reading import BadWorkbook

    try:
        excel.read_titles(world.school, workbook(GOOD, sheet="Sheet1"))
    except BadWorkbook as error:
        assert "Danh hiệu các năm" in str(error)
    else:
        raise AssertionError("a sheet by another name was read")


def test_rows_written_by_a_decision_read_back_unchanged_and_are_never_changed_by_a_file(
    world: World,
) -> None:
    """A title the Sở awarded on a dossier may be named freely (a Bằng khen): the exported sheet
    imports back unchanged; a file that changes such a row, or the school's own decided row, is
    refused on that row, and nothing is written."""
    staff, head = world.people["staff"], world.people["unit_head"]
    TitleHistory.objects.create(
        school=world.school, person=staff, start_year=2022, source=TitleSource.HIGHER,
        titles=["LĐTT", "Bằng khen của Chủ tịch UBND tỉnh"], higher_decision="QĐ 88/QĐ-UBND",
    )  # fmt: skip
    TitleHistory.objects.create(
        school=world.school, person=head, start_year=2022, source=TitleSource.DECIDED,
        titles=["LĐTT"], level="HTT", decision="12/QĐ-CĐM",
    )  # fmt: skip
    exported = excel.titles_workbook(world.school)
    assert excel.read_titles(world.school, exported).counts == {
        "create": 0, "update": 0, "unchanged": 2, "error": 0
    }  # fmt: skip

    changed = workbook([
        ["2022-2023", staff.full_name, "", "", "LĐTT", "", "", ""],
        ["2022-2023", head.full_name, "", "", "LĐTT, CSTĐCS", "HTT", "12/QĐ-CĐM", ""],
        ["2021-2022", staff.full_name, "", "", "LĐTT", "", "", ""],
    ])  # fmt: skip
    result = excel.read_titles(world.school, changed)
    assert result.counts["error"] == 2 and result.counts["create"] == 1
    assert all("ghi theo quyết định" in message for _row, _column, message in result.errors)
    with pytest.raises(BadWorkbook):
        excel.import_titles(world.school, changed, by=world.users["clerk"])
    assert TitleHistory.objects.count() == 2
    assert TitleHistory.objects.get(person=staff).titles == [
        "LĐTT",
        "Bằng khen của Chủ tịch UBND tỉnh",
    ]
