"""Student lists and status changes from Excel through the shared flow: dry run, errors by row
and column, all or nothing, a second import changes nothing; matching by code, else by name and
date of birth ignoring diacritics and spacing, ambiguities reported."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook

from core.sheets.reading import BadWorkbook
from students import excel
from students.models import Status, StatusChange, Student
from students.tests.conftest import Campus

STUDENT_HEADER = [
    "Mã người học",
    "Họ và tên",
    "Ngày sinh",
    "Lớp",
    "Ngày nhập học",
    "Địa chỉ",
    "Điện thoại",
]
CHANGE_HEADER = [
    "Mã người học",
    "Họ và tên",
    "Ngày sinh",
    "Loại thay đổi",
    "Ngày",
    "Lý do",
    "Ghi chú",
]


def workbook(
    title: str, header: list[str], rows: list[list[Any]], merge: str | None = None
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def students_file(rows: list[list[Any]], **kwargs: Any) -> bytes:
    return workbook(kwargs.pop("title", "Người học"), STUDENT_HEADER, rows, **kwargs)


def count() -> int:
    return Student.objects.count()


def test_new_and_changed_students_then_nothing_on_a_second_import(campus: Campus) -> None:
    data = students_file([
        ["SV100", "Lò Thị Mới", dt.datetime(2006, 2, 3), "CĐMN-K1", None, "Cao Lộc", "0988"],
        ["SV002", "Nguyễn Văn Học 2", dt.datetime(2005, 1, 3), "CĐMN-K1", None, "Văn Lãng", "0912000000"],
        ["SV003", "Nguyễn Văn Học 3", "04/01/2005", "CĐMN-K1", None, "Lạng Sơn", "0912000000"],
    ])  # fmt: skip
    school, by = campus.world.school, campus.users["records"]
    result = excel.read_students(school, data)
    assert result.ok and [r.action for r in result.rows] == ["create", "update", "unchanged"]
    assert count() == 10  # the dry run wrote nothing
    excel.import_students(school, data, by=by)
    assert count() == 11 and Student.objects.get(code="SV002").address == "Văn Lãng"
    again = excel.read_students(school, data)
    assert [r.action for r in again.rows] == ["unchanged"] * 3


def test_an_imported_list_keeps_each_rows_history_and_is_searchable(campus: Campus) -> None:
    data = students_file([
        ["SV100", "Lò Thị Mới", dt.datetime(2006, 2, 3), "CĐMN-K1", None, "Cao Lộc", "0988"],
        ["SV002", "Nguyễn Văn Học 2", dt.datetime(2005, 1, 3), "CĐMN-K1", None, "Văn Lãng", "0912000000"],
    ])  # fmt: skip
    school, by = campus.world.school, campus.users["records"]
    excel.import_students(school, data, by=by)
    new = Student.objects.get(code="SV100")
    assert new.name_key == "lothimoi" and list(Student.objects.search("lo thi moi")) == [new]
    created = new.history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+", by, "Nhập từ Excel",
    )  # fmt: skip
    changed = Student.objects.get(code="SV002").history.order_by("-history_id").first()
    assert changed is not None and changed.history_type == "~" and changed.address == "Văn Lãng"
    assert changed.history_user == by


def test_a_bulk_write_refuses_a_code_already_given(campus: Campus) -> None:
    from students import services

    school, by = campus.world.school, campus.users["records"]
    clash = Student(
        school=school, cohort=campus.k1, code="SV001", full_name="Người Khác",
        birth_date=dt.date(2005, 5, 5), entered_on=campus.k1.starts_on,
    )  # fmt: skip
    with pytest.raises(services.StudentsError, match="SV001"):
        services.save_students(school, [clash], by=by)
    other = Student(
        school=school, cohort=campus.k2, code="SV900", full_name="Người Lạ",
        birth_date=dt.date(2005, 5, 5), entered_on=campus.k2.starts_on,
    )  # fmt: skip
    with pytest.raises(services.StudentsError, match="Lớp"):
        services.save_students(campus.world.other_school, [other], by=by)
    assert count() == 10


def test_a_row_without_code_matches_by_name_and_birth_ignoring_diacritics(campus: Campus) -> None:
    data = students_file([["", "nguyen  van HOC 4", "05/01/2005", "CĐMN-K1", None, "Mới", ""]])
    result = excel.read_students(campus.world.school, data)
    assert result.ok and result.rows[0].action == "update"
    assert result.rows[0].values["student"] == campus.students[4]


def test_two_students_with_the_same_name_and_birth_are_an_ambiguity(campus: Campus) -> None:
    by = campus.users["records"]
    twin = Student(
        school=campus.world.school, cohort=campus.k2, code="SV900", full_name="Nguyễn Văn Học 4",
        birth_date=dt.date(2005, 1, 5), entered_on=campus.k2.starts_on,
    )  # fmt: skip
    twin.save()
    data = students_file([["", "Nguyen Van Hoc 4", "05/01/2005", "CĐMN-K1", None, "", ""]])
    result = excel.read_students(campus.world.school, data)
    assert not result.ok
    ((row, column, message),) = result.errors
    assert (row, column) == (2, "Họ và tên") and "hãy ghi mã" in message
    with pytest.raises(BadWorkbook):
        excel.import_students(campus.world.school, data, by=by)


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (
            students_file(
                [["SV1", "A", "01/01/2005", "CĐMN-K1"], ["SV1", "B", "02/01/2005", "CĐMN-K1"]]
            ),
            (3, "Mã người học"),
        ),
        (students_file([["SV1", "A", "ngày 5 tháng 9", "CĐMN-K1"]]), (2, "Ngày sinh")),
        (students_file([["SV1", "A", "31/02/2005", "CĐMN-K1"]]), (2, "Ngày sinh")),
        (students_file([["SV1", "A", "01/01/2005", "KHÔNG-CÓ"]]), (2, "Lớp")),
    ],
    ids=["duplicate codes", "date as words", "impossible date", "unknown class"],
)
def test_bad_rows_are_refused_with_row_and_column(
    campus: Campus, data: bytes, where: tuple[int, str]
) -> None:
    result = excel.read_students(campus.world.school, data)
    assert where in [(row, column) for row, column, _m in result.errors]
    with pytest.raises(BadWorkbook):
        excel.import_students(campus.world.school, data, by=campus.users["records"])
    assert count() == 10


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (
            students_file([["SV1", "A", "01/01/2005", "CĐMN-K1"]], title="Sheet1"),
            "Không thấy trang tính",
        ),
        (
            students_file(
                [["SV1", "A", "01/01/2005", "CĐMN-K1"], ["SV2", "B", "01/01/2005", "CĐMN-K1"]],
                merge="D2:D3",
            ),
            "ô gộp",
        ),
        (workbook("Người học", ["Mã", "Tên"], [["1", "A"]]), "thiếu cột"),
    ],
    ids=["wrong sheet", "merged cells", "missing columns"],
)
def test_bad_files_are_refused_whole(campus: Campus, data: bytes, says: str) -> None:
    with pytest.raises(BadWorkbook, match=says):
        excel.read_students(campus.world.school, data)


def test_the_import_page_runs_dry_then_writes_on_confirmation(campus: Campus) -> None:
    client = campus.client("records")
    address = reverse("students:import_students")
    data = students_file([["SV100", "Lò Thị Mới", "03/02/2006", "CĐTH-K2"]])
    upload = io.BytesIO(data)
    upload.name = "ds.xlsx"
    response = client.post(address, {"file": upload})
    assert response.status_code == 200 and count() == 10
    token = response.context["token"]
    response = client.post(address, {"token": token})
    assert response.status_code == 302 and count() == 11
    bad = io.BytesIO(students_file([["SV1", "A", "hôm qua", "CĐMN-K1"]]))
    bad.name = "x.xlsx"
    response = client.post(address, {"file": bad})
    assert response.status_code == 400 and "Ngày sinh" in response.content.decode()
    assert client.post(address, {"file": io.BytesIO(b"not excel")}).status_code == 400


def changes_file(rows: list[list[Any]]) -> bytes:
    return workbook("Thay đổi tình trạng", CHANGE_HEADER, rows)


def test_status_changes_import_and_re_import(campus: Campus) -> None:
    data = changes_file([
        ["SV003", "", "", "Bảo lưu", "01/02/2025", "Nghĩa vụ quân sự", ""],
        ["", "Nguyễn Văn Học 1", "02/01/2005", "Trở lại học", "01/09/2024", "sức khỏe", ""],
        ["SV000", "", "", "Thôi học", "10/01/2024", "Hoàn cảnh kinh tế", ""],
    ])  # fmt: skip
    school, by = campus.world.school, campus.users["records"]
    result = excel.read_changes(school, data)
    assert result.ok, result.errors
    assert [r.action for r in result.rows] == ["create", "create", "unchanged"]
    excel.import_changes(school, data, by=by)
    assert Student.objects.get(code="SV003").status == Status.DEFERRED
    assert Student.objects.get(code="SV001").status == Status.STUDYING
    before = StatusChange.objects.count()
    assert [r.action for r in excel.read_changes(school, data).rows] == ["unchanged"] * 3
    excel.import_changes(school, data, by=by)
    assert StatusChange.objects.count() == before


def test_impossible_changes_are_refused_with_nothing_written(campus: Campus) -> None:
    data = changes_file([
        ["SV003", "", "", "Tốt nghiệp", "01/06/2026", "Hoàn thành khóa học", ""],
        ["SV000", "", "", "Trở lại học", "01/09/2024", "Lý do khác", ""],
        ["SV999", "", "", "Thôi học", "01/09/2024", "Lý do khác", ""],
        ["SV004", "", "", "Thôi học", "01/09/2024", "Khác", ""],
    ])  # fmt: skip
    result = excel.read_changes(campus.world.school, data)
    errors = {(row, column) for row, column, _m in result.errors}
    assert (3, "Loại thay đổi") in errors  # withdrawn cannot return
    assert (5, "Lý do") in errors  # "Khác" is not a reason category
    assert (4, "Mã người học") in errors  # no such student
    with pytest.raises(BadWorkbook):
        excel.import_changes(campus.world.school, data, by=campus.users["records"])
    assert not StatusChange.objects.filter(student__code="SV003").exists()
