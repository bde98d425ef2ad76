"""A course's participants from Excel through the shared flow: a dry run writes nothing, errors
come by row and column, one bad row writes nothing, a second import of the same file changes
nothing, and the course's figures follow the list."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook

from core.sheets.reading import BadWorkbook
from training import excel, figures
from training.models import Participant
from training.tests.conftest import Training

HEADER = [c.header for c in excel.PARTICIPANT_COLUMNS]
GOOD = [
    ["HV01", "Lộc Thị Thu", "02/03/1988", "Trường Mầm non Chi Lăng", "BD-01", "20/12/2024"],
    ["", "hoang thi mai", "02/01/1990", "Trường Mầm non Hoa Sen", "", ""],  # already listed
    ["HV03", "Vi Văn Tài", "", "", "", ""],
]


def book(rows: list[list[Any]], title: str = excel.PARTICIPANTS_SHEET) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_good_file_adds_and_updates_then_changes_nothing(training: Training) -> None:
    by, course = training.users["leadership"], training.course
    result = excel.read_participants(course, book(GOOD))
    assert result.ok and result.counts == {"create": 2, "update": 1, "unchanged": 0, "error": 0}
    assert Participant.objects.filter(course=course).count() == 2  # the dry run wrote nothing
    excel.import_participants(course, book(GOOD), by=by)
    people = Participant.objects.filter(course=course)
    assert people.count() == 4
    mai = people.get(full_name="Hoàng Thị Mai")
    assert mai.workplace == "Trường Mầm non Hoa Sen"
    again = excel.read_participants(course, book(GOOD))
    assert again.counts["unchanged"] == 3
    assert figures.by_year(course.school_id)[2024].participants["continuing"] == 4
    assert figures.by_year(course.school_id)[2024].certificates["continuing"] == 1


def test_errors_by_row_and_column_and_nothing_written(training: Training) -> None:
    by, course = training.users["leadership"], training.course
    bad = [
        *GOOD,
        ["HV01", "Lộc Thị Thu", "", "", "", ""],  # the same code again
        ["HV05", "", "", "", "", ""],  # no name
        ["HV06", "Lý Văn Hải", "31/02/1990", "", "", "01/01/2025"],  # bad date, date without number
        ["HV07", "Hà Thị Hoa", "", "", "BD-07", "01/01/2020"],  # certificate before the course
    ]
    result = excel.read_participants(course, book(bad))
    assert not result.ok
    assert (5, "Mã học viên", "Trùng với dòng 2: mỗi người một dòng.") in result.errors
    assert (6, "Họ và tên", "Ô bắt buộc đang trống.") in result.errors
    columns = {(row, column) for row, column, _m in result.errors}
    assert {(7, "Ngày sinh"), (7, "Số chứng chỉ"), (8, "Ngày cấp chứng chỉ")} <= columns
    with pytest.raises(BadWorkbook):
        excel.import_participants(course, book(bad), by=by)
    assert Participant.objects.filter(course=course).count() == 2


def test_the_import_page_runs_the_shared_flow(training: Training) -> None:
    client = training.client("clerk")
    address = reverse("training:participants_import", args=[training.course.pk])
    upload = io.BytesIO(
        book([["HV09", "Nông Văn Dũng", "", "", "", ""], ["HV09", "X", "", "", "", ""]])
    )
    upload.name = "hoc-vien.xlsx"
    refused = client.post(address, {"file": upload})
    assert refused.status_code == 400
    assert "Trùng với dòng 2" in refused.content.decode()
    wrong = io.BytesIO(book(GOOD, title="Trang khác"))
    wrong.name = "x.xlsx"
    assert "Danh sách học viên" in client.post(address, {"file": wrong}).content.decode()
    good = io.BytesIO(book(GOOD))
    good.name = "hoc-vien.xlsx"
    preview = client.post(address, {"file": good})
    assert preview.status_code == 200
    token = preview.context["token"]
    assert Participant.objects.filter(course=training.course).count() == 2
    done = client.post(address, {"token": token})
    assert done.status_code == 302
    assert Participant.objects.filter(course=training.course).count() == 4
    assert training.client("staff").post(address, {"token": token}).status_code == 403
