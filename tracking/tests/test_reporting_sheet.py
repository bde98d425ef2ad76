"""A unit's reporting sheet: export, fill in, dry run, check-ins all or nothing, re-import."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import World
from core.sheets.reading import BadWorkbook
from core.tests.sheets_helpers import confirm, errors, upload
from notifications.models import Notification, NotificationKind
from tracking import excel_reporting, services
from tracking.models import CheckIn, CheckInRole

DAY = dt.date(2023, 11, 20)
COLUMN = {c.key: i for i, c in enumerate(excel_reporting.COLUMNS)}


def sheet_url(world: World, name: str = "reporting_import", unit: Any = None) -> str:
    return reverse(f"tracking:{name}", args=[world.plan.pk, (unit or world.office).pk])


def exported(world: World, unit: Any = None) -> Workbook:
    data = excel_reporting.reporting_workbook(world.plan, unit or world.office, on=DAY)
    return load_workbook(io.BytesIO(data))


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fill(book: Workbook, task_id: int, **values: Any) -> None:
    sheet = book[excel_reporting.SHEET]
    for row in sheet.iter_rows(min_row=2):
        if row[COLUMN["task_id"]].value == task_id:
            for key, value in values.items():
                row[COLUMN[key]].value = value
            return
    raise AssertionError(f"no row for task {task_id}")


def filled(world: World) -> bytes:
    book = exported(world)
    fill(book, world.unit_task.pk, progress=40, done="Đã cập nhật 30 trang",
         confidence="Có thể hoàn thành")  # fmt: skip
    fill(book, world.task.pk, progress="50%", actual_value="1.234,5", done="Đã tổng hợp số liệu",
         difficulties="Thiếu số liệu khoa", confidence="Khó hoàn thành")  # fmt: skip
    return save(book)


def test_the_sheet_lists_the_units_tasks_with_locked_read_only_columns(world: World) -> None:
    book = exported(world)
    sheet = book[excel_reporting.SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in excel_reporting.COLUMNS]
    by_id = {r[0]: r for r in rows[1:]}
    assert set(by_id) == {world.task.pk, world.unit_task.pk}  # coordinates one, leads the other
    task = by_id[world.task.pk]
    assert (
        task[COLUMN["role"]] == "Phối hợp" and task[COLUMN["target"]] == "Tỷ lệ tuyển sinh (90 %)"
    )
    assert task[COLUMN["due_date"]] == dt.datetime(2024, 5, 31)
    assert by_id[world.unit_task.pk][COLUMN["role"]] == "Chủ trì"
    assert sheet.protection.sheet
    second = next(iter(sheet.iter_rows(min_row=2, max_row=2)))
    assert second[COLUMN["title"]].protection.locked
    assert not second[COLUMN["done"]].protection.locked
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert lists and "Chắc chắn hoàn thành" in lists[0].formula1
    assert book["Hướng dẫn"]["B1"].value == "Phòng Đào tạo"


def test_dry_run_then_check_ins_and_the_same_file_again_creates_nothing(world: World) -> None:
    client = world.client("unit_head")
    url = sheet_url(world)
    response = upload(client, url, filled(world))
    assert response.status_code == 200, errors(response)
    assert "Sẽ tạo mới 2, cập nhật 0, không đổi 0; 0 dòng có lỗi." in response.content.decode()
    assert not CheckIn.objects.exists()
    assert confirm(client, url, response).status_code == 302
    lead = CheckIn.objects.get(task=world.unit_task)
    assert (lead.role, lead.unit, lead.progress, lead.confidence) == (
        CheckInRole.LEAD,
        world.office,
        40,
        "medium",
    )
    assert lead.submitted_by == world.users["unit_head"]
    world.unit_task.refresh_from_db()
    assert world.unit_task.progress == 40
    coordinating = CheckIn.objects.get(task=world.task)
    assert coordinating.role == CheckInRole.COORDINATING and coordinating.progress == 50
    assert coordinating.actual_value == Decimal("1234.5")
    assert coordinating.difficulties == "Thiếu số liệu khoa"
    again = upload(client, url, filled(world))
    assert "Sẽ tạo mới 0, cập nhật 0, không đổi 2; 0 dòng có lỗi." in again.content.decode()
    confirm(client, url, again)
    assert CheckIn.objects.count() == 2


def test_export_after_reports_round_trips_to_nothing_new(world: World) -> None:
    excel_reporting.import_report(
        world.plan, world.office, filled(world), by=world.users["unit_head"], on=DAY
    )
    book = exported(world)
    rows = {r[0]: r for r in book[excel_reporting.SHEET].iter_rows(min_row=2, values_only=True)}
    assert rows[world.unit_task.pk][COLUMN["progress"]] == 40
    assert rows[world.unit_task.pk][COLUMN["current"]] == 40
    assert rows[world.task.pk][COLUMN["actual_value"]] == 1234.5
    result = excel_reporting.read_report(
        world.plan, world.office, save(book), by=world.users["unit_head"]
    )
    assert result.ok and result.counts["unchanged"] == 2 and not result.changed
    excel_reporting.import_report(
        world.plan, world.office, save(book), by=world.users["unit_head"], on=DAY
    )
    assert CheckIn.objects.count() == 2
    # One edited cell is one new check-in, and the preview shows the change.
    fill(book, world.unit_task.pk, progress=60)
    result = excel_reporting.read_report(
        world.plan, world.office, save(book), by=world.users["unit_head"]
    )
    assert result.counts["create"] == 1
    assert ("Tiến độ (%)", "40", "60") in next(
        r for r in result.rows if r.action == "create"
    ).changes


def test_every_error_has_its_row_and_column_and_nothing_is_written(world: World) -> None:
    book = exported(world)
    fill(book, world.unit_task.pk, progress=120, actual_value=5, done="", confidence="Chắc chắn")
    fill(book, world.task.pk, progress="=40+10", actual_value="nhiều", done="x",
         confidence="Chắc chắn hoàn thành")  # fmt: skip
    sheet = book[excel_reporting.SHEET]
    sheet.protection.sheet = False
    sheet.append(
        [999999, "", "", "", None, None, "", 10, None, "Việc lạ", "", "", "Khó hoàn thành"]
    )
    response = upload(world.client("unit_head"), sheet_url(world), save(book))
    assert response.status_code == 400
    found = {(row, column) for row, column, _m in errors(response)}
    order = [r[0] for r in sheet.iter_rows(min_row=2, max_row=3, values_only=True)]
    lead_row = 2 + order.index(world.unit_task.pk)
    other_row = 2 + order.index(world.task.pk)
    assert found == {
        (lead_row, "Tiến độ (%)"),
        (lead_row, "Giá trị chỉ tiêu đạt được"),
        (lead_row, "Kết quả đã thực hiện"),
        (lead_row, "Khả năng hoàn thành"),
        (other_row, "Tiến độ (%)"),
        (other_row, "Giá trị chỉ tiêu đạt được"),
        (4, "Mã nhiệm vụ (không sửa)"),
    }
    body = response.content.decode()
    assert "Ô chứa công thức" in body and "Nhiệm vụ không gắn chỉ tiêu" in body
    assert not CheckIn.objects.exists()


def test_a_failure_while_writing_rolls_back_the_rows_already_written(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = services.submit_checkin
    calls: list[int] = []

    def second_fails(task: Any, **kwargs: Any) -> Any:
        calls.append(task.pk)
        if len(calls) == 2:
            raise services.TrackingError("Nhiệm vụ đã hủy bỏ, không nhận báo cáo.")
        return real(task, **kwargs)

    monkeypatch.setattr(services, "submit_checkin", second_fails)
    with pytest.raises(BadWorkbook, match="Chưa ghi gì"):
        excel_reporting.import_report(
            world.plan, world.office, filled(world), by=world.users["unit_head"], on=DAY
        )
    assert len(calls) == 2 and not CheckIn.objects.exists()
    world.unit_task.refresh_from_db()
    assert world.unit_task.progress == 0


def _merged(world: World) -> bytes:
    book = exported(world)
    book[excel_reporting.SHEET].merge_cells("J2:L2")
    return save(book)


def _wrong_sheet(world: World) -> bytes:
    book = exported(world)
    book[excel_reporting.SHEET].title = "Trang 1"
    return save(book)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_merged, "Trang tính có ô gộp: J2:L2 (dòng 2, cột Kết quả đã thực hiện)"),
        (_wrong_sheet, "Không thấy trang tính “Báo cáo tiến độ”; tệp có: “Trang 1”"),
        (lambda w: b"Ho va ten;Tien do\nAn;50\n", "Tệp không phải Excel (.xlsx)."),
        (lambda w: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "tệp Excel kiểu cũ (.xls)"),
    ],
    ids=["merged", "wrong-sheet", "csv", "xls"],
)
def test_bad_files_get_a_clear_message_and_nothing_is_written(
    world: World, make: Any, message: str
) -> None:
    response = upload(world.client("unit_head"), sheet_url(world), make(world))
    assert response.status_code == 400
    assert message in response.context["error"]
    assert not CheckIn.objects.exists()


LOGIN, NOT_FOUND, FORBIDDEN, OK = 302, 404, 403, 200
MATRIX = {
    # role: (sheet or import for the office, the same for the faculty, the index)
    "anonymous": (LOGIN, LOGIN, LOGIN),
    "outsider": (NOT_FOUND, NOT_FOUND, OK),
    "staff": (FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "unit_head": (OK, FORBIDDEN, OK),
    "leadership": (OK, OK, OK),
    "clerk": (FORBIDDEN, FORBIDDEN, FORBIDDEN),
}


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("name", ["reporting_sheet", "reporting_import"])
def test_role_matrix(world: World, role: str, name: str) -> None:
    client = world.client(role)
    own, other, index = MATRIX[role]
    assert client.get(sheet_url(world, name)).status_code == own
    assert client.get(sheet_url(world, name, world.faculty)).status_code == other
    response = client.get(reverse("tracking:reporting_index"))
    assert response.status_code == index
    if role == "unit_head":
        assert [u.name for u, _n in response.context["rows"]] == ["Phòng Đào tạo"]
    if role == "leadership":
        names = {u.name: n for u, n in response.context["rows"]}
        assert names == {"Phòng Đào tạo": 2, "Khoa Tự nhiên": 1, "Tổ Toán": 1}


def test_a_unit_head_cannot_post_into_another_units_sheet(world: World) -> None:
    response = upload(
        world.client("unit_head"), sheet_url(world, unit=world.faculty), filled(world)
    )
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_index_costs_the_same_queries_for_few_and_many_tasks(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from planning import services as planning

    client = world.client("leadership")
    url = reverse("tracking:reporting_index")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        task = planning.save_plan_object(
            type(world.task)(plan=world.plan, title=f"Việc {n}", lead_unit=world.group),
            by=world.users["leadership"],
        )
        planning.set_coordinations(task, [(world.office, "")], by=world.users["leadership"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_importing_a_units_sheet_tells_leadership(world: World) -> None:
    excel_reporting.import_report(
        world.plan, world.office, filled(world), by=world.users["unit_head"], on=DAY
    )
    (told,) = Notification.objects.filter(kind=NotificationKind.SHEET_IMPORTED)
    assert told.user == world.users["leadership"]  # the unit head imported it
    assert told.url == f"/tracking/plans/{world.plan.pk}/units/{world.office.pk}/"
    assert "Phòng Đào tạo" in told.title and "(2 nhiệm vụ)" in told.title
    excel_reporting.import_report(  # nothing new: nobody is told again
        world.plan, world.office, filled(world), by=world.users["unit_head"], on=DAY
    )
    assert Notification.objects.filter(kind=NotificationKind.SHEET_IMPORTED).count() == 1
