"""Places and declarations from Excel through the shared flow: a dry run writes nothing, errors
come by row and column, one bad row writes nothing, a second import changes nothing; a student in
two rooms (twice in the file, or already placed elsewhere), a taken bed and a full room are
refused."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook

from core.sheets.reading import BadWorkbook
from residence import excel
from residence.models import Allocation, Declaration
from residence.tests.conftest import Dorm

PLACES = [c.header for c in excel.ALLOCATION_COLUMNS]
DECLARED = [c.header for c in excel.DECLARATION_COLUMNS]


def book(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def places(rows: list[list[Any]]) -> bytes:
    return book(excel.ALLOCATIONS_SHEET, PLACES, rows)


def declared(rows: list[list[Any]]) -> bytes:
    return book(excel.DECLARATIONS_SHEET, DECLARED, rows)


GOOD_PLACES = [
    ["SV003", "", "", "Nhà A", "102", 1, "Đối tượng chính sách", "01/09/2025"],
    [
        "",
        "Nguyễn Văn Học 4",
        "05/01/2005",
        "nha a",
        "102",
        "",
        "Sinh viên năm thứ nhất",
        "01/09/2025",
    ],
    ["SV002", "", "", "Nhà A", "101", "", "Dân tộc thiểu số ở vùng sâu, vùng xa", "01/09/2025"],
]


def errors(result: Any) -> list[tuple[int, str, str]]:
    return result.errors


def test_places_dry_run_then_import_then_nothing_changes(dorm: Dorm) -> None:
    data = places(GOOD_PLACES)
    result = excel.read_allocations(dorm.term, data)
    assert result.ok, result.errors
    assert [r.action for r in result.rows] == ["create", "create", "unchanged"]
    assert Allocation.objects.count() == 1  # the dry run wrote nothing
    excel.import_allocations(dorm.term, data, by=dorm.users["records"])
    beds = dict(Allocation.objects.filter(room=dorm.big).values_list("student__code", "bed"))
    assert beds == {"SV003": 1, "SV004": 2}
    again = excel.read_allocations(dorm.term, data)
    assert [r.action for r in again.rows] == ["unchanged"] * 3


@pytest.mark.parametrize(
    ("rows", "column", "message"),
    [
        (
            [
                ["SV003", "", "", "Nhà A", "102", 1, "Khác", "01/09/2025"],
                ["SV003", "", "", "Nhà A", "101", 2, "Khác", "01/09/2025"],
            ],
            "Mã người học",
            "dòng 3",
        ),
        ([["SV002", "", "", "Nhà A", "102", "", "Khác", "01/09/2025"]], "Phòng", "đang ở phòng"),
        ([["SV003", "", "", "Nhà A", "101", 1, "Khác", "01/09/2025"]], "Giường", "đã có"),
        (
            [
                ["SV003", "", "", "Nhà A", "101", "", "Khác", "01/09/2025"],
                ["SV005", "", "", "Nhà A", "101", "", "Khác", "01/09/2025"],
            ],
            "Phòng",
            "đủ 2 người",
        ),
        ([["SV003", "", "", "Nhà A", "999", "", "Khác", "01/09/2025"]], "Phòng", "không có phòng"),
        ([["SV003", "", "", "Nhà Z", "101", "", "Khác", "01/09/2025"]], "Nhà", "Nhà Z"),
        ([["SV003", "", "", "Nhà A", "102", 9, "Khác", "01/09/2025"]], "Giường", "4 giường"),
        ([["SV003", "", "", "Nhà A", "102", "", "VIP", "01/09/2025"]], "Diện ưu tiên", "VIP"),
        ([["SV003", "", "", "Nhà A", "102", "", "Khác", "32/13/2025"]], "Ngày vào ở", "32/13"),
        ([["SV000", "", "", "Nhà A", "102", "", "Khác", "01/09/2025"]], "Mã người học", "đang học"),
        ([["SV777", "", "", "Nhà A", "102", "", "Khác", "01/09/2025"]], "Mã người học", "SV777"),
    ],
)
def test_bad_places_are_refused_by_row_and_column(
    dorm: Dorm, rows: list[list[Any]], column: str, message: str
) -> None:
    data = places([GOOD_PLACES[1], *rows])
    result = excel.read_allocations(dorm.term, data)
    assert not result.ok
    assert any(c == column and message in m for _r, c, m in errors(result)), result.errors
    with pytest.raises(BadWorkbook):
        excel.import_allocations(dorm.term, data, by=dorm.users["records"])
    assert Allocation.objects.count() == 1  # all or nothing


GOOD_DECLARED = [
    [
        "SV004",
        "",
        "",
        "Thuê nhà, phòng trọ",
        "Số 3 Lê Lợi",
        "Phường Kỳ Lừa",
        "Lạng Sơn",
        "Vi Văn Tài",
        "0912000222",
        "0987000222",
    ],
    [
        "SV003",
        "",
        "",
        "Thuê nhà, phòng trọ",
        "Số 5 Bà Triệu",
        "Phường Đông Kinh",
        "Lạng Sơn",
        "Hoàng Văn Lâm",
        "0912345678",
        "",
    ],
]


def test_declarations_dry_run_then_import_then_nothing_changes(dorm: Dorm) -> None:
    data = declared(GOOD_DECLARED)
    result = excel.read_declarations(dorm.term, data)
    assert result.ok, result.errors
    assert [r.action for r in result.rows] == ["create", "unchanged"]
    excel.import_declarations(dorm.term, data, by=dorm.users["records"], today=dorm.term.starts_on)
    assert Declaration.objects.get(student__code="SV004").source == "import"
    assert [r.action for r in excel.read_declarations(dorm.term, data).rows] == ["unchanged"] * 2


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["SV002", "", "", "Ở cùng gia đình", "x", "y", "z", "", "", ""],
            "Mã người học",
            "ký túc xá",
        ),
        (
            ["SV005", "", "", "Thuê nhà, phòng trọ", "x", "y", "z", "", "", ""],
            "Hình thức ở",
            "chủ nhà",
        ),
        (["SV005", "", "", "Lều", "x", "y", "z", "", "", ""], "Hình thức ở", "Lều"),
        (["SV005", "", "", "Ở cùng gia đình", "x", "", "z", "", "", ""], "Phường/xã", ""),
        (["SV004", "", "", "Ở cùng gia đình", "x", "y", "z", "", "", ""], "Mã người học", "dòng 2"),
    ],
)
def test_bad_declarations_are_refused(
    dorm: Dorm, row: list[Any], column: str, message: str
) -> None:
    data = declared([GOOD_DECLARED[0], row])
    result = excel.read_declarations(dorm.term, data)
    assert any(c == column and message in m for _r, c, m in errors(result)), result.errors
    with pytest.raises(BadWorkbook):
        excel.import_declarations(
            dorm.term, data, by=dorm.users["records"], today=dorm.term.starts_on
        )
    assert Declaration.objects.count() == 2


def test_the_import_pages_run_the_shared_flow(dorm: Dorm) -> None:
    client = dorm.client("records")
    address = reverse("residence:import_allocations") + f"?term={dorm.term.pk}"
    bad = client.post(address, {"file": io.BytesIO(b"not a workbook")})
    assert bad.status_code == 400
    upload = io.BytesIO(places(GOOD_PLACES))
    upload.name = "xep-cho.xlsx"
    preview = client.post(address, {"file": upload})
    assert preview.status_code == 200 and Allocation.objects.count() == 1
    token = preview.context["token"]
    done = client.post(address, {"token": token})
    assert done.status_code == 302 and Allocation.objects.count() == 3
    wrong_sheet = io.BytesIO(declared(GOOD_DECLARED))
    wrong_sheet.name = "x.xlsx"
    assert client.post(address, {"file": wrong_sheet}).status_code == 400
