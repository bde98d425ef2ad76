"""Import of a plan's targets and tasks: dry run, all or nothing, round trip, bad files, roles."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import ROLES, World
from planning import services
from planning.excel import TARGET_HEADERS, TASK_HEADERS
from planning.models import Plan, Target, Task, WorkArea

TASK_HEADER = list(TASK_HEADERS.values())
TARGET_HEADER = list(TARGET_HEADERS.values())


def build(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def task_row(**values: Any) -> list[Any]:
    return [values.get(key) for key in TASK_HEADERS]


def import_url(plan: Plan) -> str:
    return reverse("planning:plan_import", args=[plan.pk])


def upload(client: Client, plan: Plan, data: bytes, name: str = "ke-hoach.xlsx") -> Any:
    return client.post(import_url(plan), {"file": SimpleUploadedFile(name, data)})


def confirm(client: Client, plan: Plan, response: Any) -> Any:
    assert response.status_code == 200, response.content.decode()[:3000]
    return client.post(import_url(plan), {"token": response.context["token"]})


def export(world: World, plan: Plan) -> bytes:
    response = world.client("leadership").get(reverse("tracking:plan_export", args=[plan.pk]))
    assert response.status_code == 200
    return response.content


def snapshot(plan: Plan) -> dict[str, Any]:
    """Everything the import carries, keyed by codes and names (not by ids)."""
    tasks = {}
    for t in (
        Task.objects.active()
        .filter(plan=plan)
        .select_related("parent", "area", "lead_unit", "person_in_charge", "target", "serves")
    ):
        tasks[(t.owner_unit_id, t.code)] = (
            t.parent.code if t.parent else None, t.kind, t.title, t.description,
            t.area.name if t.area else None, t.lead_unit_id, t.person_in_charge_id,
            t.start_date, t.due_date, t.completed_on, t.weight,
            t.target.name if t.target else None, t.serves.code if t.serves else None, t.order,
            [c.unit_id for c in t.coordinations.active()],
        )  # fmt: skip
    targets = {
        t.name: (
            t.code,
            t.area.name if t.area else None,
            t.unit_of_measure,
            t.direction,
            t.baseline,
            t.target_value,
            t.range_min,
            t.range_max,
            t.amber_threshold,
            t.red_threshold,
            t.responsible_unit_id,
            t.is_recurring,
            t.order,
        )
        for t in Target.objects.active().filter(plan=plan).select_related("area")
    }
    return {"tasks": tasks, "targets": targets}


def history_count(plan: Plan) -> int:
    return sum(
        model.history.filter(plan=plan).count()  # type: ignore[attr-defined]
        for model in (Task, Target, WorkArea)
    )


# Roles ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("outsider", 404), ("staff", 403), ("unit_head", 403),
     ("leadership", 200)],
)  # fmt: skip
def test_import_page_role_matrix(world: World, role: str, status: int) -> None:
    client = world.client(role)
    response = client.get(import_url(world.plan))
    assert response.status_code == status
    if status == 200:
        assert "Kiểm tra tệp (chưa ghi)" in response.content.decode()
    # Posting a file or a token is refused the same way.
    data = export(world, world.plan)
    posted = upload(client, world.plan, data)
    assert posted.status_code == status
    assert ROLES  # the same five roles as every page


def test_the_plan_page_offers_import_only_to_those_who_may_change_it(world: World) -> None:
    url = reverse("planning:plan_detail", args=[world.plan.pk])
    assert "Nhập từ Excel" in world.client("leadership").get(url).content.decode()
    staff_page = world.client("staff").get(url).content.decode()
    assert "Nhập từ Excel" not in staff_page and "Tải Excel" in staff_page


# Round trip -----------------------------------------------------------------------------------


def test_round_trip_export_import_gives_identical_data(world: World) -> None:
    by = world.users["leadership"]
    world.target.code = "CT1"
    world.target.baseline = Decimal("85.5")
    services.save_plan_object(world.target, by=by)
    services.set_coordinations(
        world.subtask, [(world.office, "Tư vấn"), (world.faculty, "")], by=by
    )
    services.save_plan_object(
        Task(plan=world.plan, parent=world.subtask, kind="activity", title="Ngày hội tư vấn",
             lead_unit=world.office, due_date=dt.date(2024, 3, 1), weight=Decimal("2.5")),
        by=by,
    )  # fmt: skip
    data = export(world, world.plan)
    fresh = services.create_plan(
        school=world.school, start_year=2024, title="Kế hoạch năm học 2024–2025", by=by
    )
    client = world.client("leadership")
    preview = upload(client, fresh, data)
    body = preview.content.decode()
    assert "Sẽ tạo mới 5, cập nhật 0, không đổi 0; 0 dòng có lỗi." in body
    done = confirm(client, fresh, preview)
    assert done.status_code == 302 and done["Location"] == reverse(
        "planning:plan_detail", args=[fresh.pk]
    )
    ours, theirs = snapshot(world.plan), snapshot(fresh)
    assert theirs == ours
    assert theirs["tasks"][(None, "1.1")][-1] == [world.office.pk, world.faculty.pk]
    assert theirs["tasks"][(None, "1.1.1")][0] == "1.1"  # the sub-task under its parent
    assert WorkArea.objects.filter(plan=fresh, name="Đào tạo").exists()
    history = Task.history.filter(plan=fresh).first()  # type: ignore[attr-defined]
    assert history.history_change_reason == "Nhập từ Excel"
    assert history.history_user == by


def test_reimporting_the_same_file_changes_nothing_and_writes_no_history(world: World) -> None:
    data = export(world, world.plan)
    before, rows_before = snapshot(world.plan), history_count(world.plan)
    client = world.client("leadership")
    preview = upload(client, world.plan, data)
    assert "Sẽ tạo mới 0, cập nhật 0, không đổi 4; 0 dòng có lỗi." in preview.content.decode()
    assert "Xác nhận (không có gì thay đổi)" in preview.content.decode()
    confirm(client, world.plan, preview)
    assert snapshot(world.plan) == before
    assert history_count(world.plan) == rows_before


def test_dry_run_shows_changes_then_confirm_writes_them(world: World) -> None:
    data = build({
        "Nhiệm vụ": [
            TASK_HEADER,
            task_row(code="1", title="Tuyển sinh và duy trì sĩ số", lead_unit="khoa tu nhien",
                     coordinating="PDT; Tổ Toán", area="Đào tạo", start_date="1/9/2023",
                     due_date="30/06/2024", person="Hoàng Văn An", target="Tỷ lệ tuyển sinh",
                     weight="1,5"),
            task_row(code="1.2", parent="1", kind="Giải pháp", title="Tuyển sinh trực tuyến",
                     lead_unit="pdt", due_date=dt.datetime(2024, 4, 30)),
        ],
    })  # fmt: skip
    client = world.client("leadership")
    before = history_count(world.plan)
    preview = upload(client, world.plan, data)
    body = preview.content.decode()
    assert "Sẽ tạo mới 1, cập nhật 1, không đổi 0; 0 dòng có lỗi." in body
    assert "<del>31/05/2024</del> → 30/06/2024" in body
    assert "<del>1</del> → 1,5" in body
    assert "Phòng Đào tạo; Tổ Toán" in body
    assert history_count(world.plan) == before  # the dry run wrote nothing
    confirm(client, world.plan, preview)
    world.task.refresh_from_db()
    assert world.task.due_date == dt.date(2024, 6, 30) and world.task.weight == Decimal("1.5")
    assert [c.unit for c in world.task.coordinations.active()] == [world.office, world.group]
    new = Task.objects.get(plan=world.plan, code="1.2")
    assert new.parent == world.task and new.lead_unit == world.office and new.kind == "solution"
    assert Task.objects.get(pk=world.subtask.pk).title == "Tư vấn tuyển sinh"  # left alone


def test_every_error_has_its_row_and_column_and_nothing_is_written(world: World) -> None:
    data = build({
        "Chỉ tiêu": [
            TARGET_HEADER,
            ["CT9", "Tỷ lệ có việc làm", "Đào tạo", "%", "Trong khoảng", None, None, 80, 70],
        ],
        "Nhiệm vụ": [
            TASK_HEADER,
            task_row(code="7", title="A", lead_unit="Phòng Không Có", start_date="31/2/2024"),
            task_row(code="8", title="B", parent="99", weight="một", due_date="1/1/2023",
                     start_date="1/2/2023"),
            task_row(code="7", title="", lead_unit="pdt", coordinating="pdt"),
            task_row(code="9", title="C", parent="10"),
            task_row(code="10", title="D", parent="9", kind="Việc vặt"),
        ],
    })  # fmt: skip
    response = upload(world.client("leadership"), world.plan, data)
    body = response.content.decode()
    assert response.status_code == 400
    expected = [
        (2, "Chỉ tiêu › Cận trên", "Cận trên phải lớn hơn cận dưới."),
        (2, "Nhiệm vụ › Đơn vị chủ trì", "Không có đơn vị “Phòng Không Có”."),
        (2, "Nhiệm vụ › Ngày bắt đầu", "“31/2/2024” không phải là ngày hợp lệ"),
        (3, "Nhiệm vụ › Trọng số", "“một” không phải là số"),
        (3, "Nhiệm vụ › Hạn hoàn thành", "Ngày bắt đầu phải trước hạn hoàn thành."),
        (3, "Nhiệm vụ › Thuộc nhiệm vụ", "Không có nhiệm vụ số “99”"),
        (4, "Nhiệm vụ › Tên nhiệm vụ", "Ô bắt buộc đang trống."),
        (4, "Nhiệm vụ › Số thứ tự", "Trùng với dòng 2."),
        (4, "Nhiệm vụ › Đơn vị phối hợp", "không đồng thời là đơn vị phối hợp"),
        (5, "Nhiệm vụ › Thuộc nhiệm vụ", "không thể nằm dưới chính nó"),
        (6, "Nhiệm vụ › Cấp", "“Việc vặt” không có trong danh sách"),
    ]
    errors = response.context["result"].errors
    for row, column, fragment in expected:
        assert any(r == row and c == column and fragment in m for r, c, m in errors), (
            row, column, fragment, errors,
        )  # fmt: skip
    assert "<td>3</td><td>Nhiệm vụ › Trọng số</td>" in body
    assert "token" not in response.context or not response.context["token"]
    assert not Task.objects.filter(plan=world.plan, code__in=["7", "8", "9", "10"]).exists()
    assert not Target.objects.filter(code="CT9").exists()


def test_vietnamese_numbers_and_text_dates_are_read(world: World) -> None:
    data = build({
        "Chỉ tiêu": [
            TARGET_HEADER,
            ["CT5", "Số đầu sách", "Đào tạo", "cuốn", "Càng cao càng tốt", "1.234,5", "2.000",
             None, None, "1.500", "1.000", "Phòng Đào tạo", "Có", 3],
        ],
    })  # fmt: skip
    client = world.client("leadership")
    confirm(client, world.plan, upload(client, world.plan, data))
    target = Target.objects.get(plan=world.plan, code="CT5")
    assert target.baseline == Decimal("1234.5") and target.target_value == Decimal("2000")
    assert target.amber_threshold == Decimal("1500") and target.red_threshold == Decimal("1000")
    assert target.responsible_unit == world.office and target.order == 3


def test_an_issued_plan_needs_an_open_amendment(world: World) -> None:
    by = world.users["leadership"]
    services.issue_plan(world.plan, by=by)
    changed = build({"Nhiệm vụ": [TASK_HEADER, task_row(code="5", title="Việc mới")]})
    client = world.client("leadership")
    assert "Kế hoạch đã ban hành" in client.get(import_url(world.plan)).content.decode()
    refused = upload(client, world.plan, changed)
    assert refused.status_code == 400 and "Kế hoạch đã ban hành" in refused.content.decode()
    assert upload(client, world.plan, export(world, world.plan)).status_code == 200  # no change
    services.open_amendment(world.plan, reason="Bổ sung nhiệm vụ tháng 10", by=by)
    confirm(client, world.plan, upload(client, world.plan, changed))
    task = Task.objects.get(plan=world.plan, code="5")
    reason = task.history.first().history_change_reason  # type: ignore[attr-defined]
    assert "Bổ sung nhiệm vụ tháng 10" in reason and "Nhập từ Excel" in reason


# The stash between dry run and confirmation ----------------------------------------------------


def test_confirm_needs_the_same_user_plan_and_token(world: World) -> None:
    data = build({"Nhiệm vụ": [TASK_HEADER, task_row(code="5", title="Việc mới")]})
    client = world.client("leadership")
    preview = upload(client, world.plan, data)
    token = preview.context["token"]
    forged = client.post(import_url(world.plan), {"token": "0" * 32})
    assert forged.status_code == 400 and "hết hạn" in forged.content.decode()
    other = Client()
    other.force_login(world.users["leadership"])
    assert other.post(import_url(world.plan), {"token": token}).status_code == 400
    assert not Task.objects.filter(plan=world.plan, code="5").exists()
    client.post(import_url(world.plan), {"token": token})
    assert Task.objects.filter(plan=world.plan, code="5").count() == 1
    again = client.post(import_url(world.plan), {"token": token})  # used once only
    assert again.status_code == 400
    assert Task.objects.filter(plan=world.plan, code="5").count() == 1


def test_confirm_validates_again(world: World) -> None:
    data = build({"Nhiệm vụ": [TASK_HEADER, task_row(code="5", title="Việc", lead_unit="Tổ Toán")]})
    client = world.client("leadership")
    preview = upload(client, world.plan, data)
    world.group.archive()  # the unit went away between the dry run and the confirmation
    response = client.post(import_url(world.plan), {"token": preview.context["token"]})
    assert response.status_code == 400 and "còn 1 lỗi" in response.content.decode()
    assert not Task.objects.filter(plan=world.plan, code="5").exists()


# Bad files ------------------------------------------------------------------------------------


def _merged() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    sheet.append(TASK_HEADER)
    sheet.append(task_row(code="5", title="A"))
    sheet.append(task_row(code="6", title="B"))
    sheet.merge_cells("D2:D3")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            lambda: build({"Sheet1": [TASK_HEADER]}),
            "Không thấy trang tính “Nhiệm vụ” hay “Chỉ tiêu”",
        ),
        (lambda: build({"Nhiệm vụ": [["Tên", "Ngày"]]}), "thiếu cột: Số thứ tự, Tên nhiệm vụ"),
        (_merged, "ô gộp: D2:D3 (dòng 2, cột Tên nhiệm vụ)"),
        (lambda: b"%PDF-1.4 not a workbook", "Tệp không phải Excel (.xlsx)"),
        (_docx, "tệp Word"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "Excel kiểu cũ (.xls)"),
        (lambda: b"PK\x03\x04 broken", "Không đọc được tệp Excel"),
    ],
)
def test_bad_files_get_clear_messages_and_nothing_is_written(
    world: World, data: Any, message: str
) -> None:
    before = history_count(world.plan)
    response = upload(world.client("leadership"), world.plan, data())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert history_count(world.plan) == before


def test_formulas_are_refused_per_cell(world: World) -> None:
    data = build({
        "Nhiệm vụ": [TASK_HEADER, task_row(code="5", title="A", due_date="=DATE(2024,5,1)",
                                           weight="=1+1")],
    })  # fmt: skip
    response = upload(world.client("leadership"), world.plan, data)
    errors = response.context["result"].errors
    assert [(r, c) for r, c, m in errors if "công thức" in m] == [
        (2, "Nhiệm vụ › Hạn hoàn thành"),
        (2, "Nhiệm vụ › Trọng số"),
    ]


def test_a_hundred_thousand_rows_are_refused_quickly(world: World) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhiệm vụ")
    sheet.append(["Số thứ tự", "Tên nhiệm vụ"])
    for number in range(100_000):
        sheet.append([number, "x"])
    buffer = io.BytesIO()
    book.save(buffer)
    before = Task.objects.count()
    started = time.monotonic()
    response = upload(world.client("leadership"), world.plan, buffer.getvalue())
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert "hơn 5.000 dòng" in response.content.decode()
    assert Task.objects.count() == before


def test_exported_file_headers_are_read_back_without_diacritics(world: World) -> None:
    """A user who retypes headers without diacritics or in capitals is still understood."""
    book = load_workbook(io.BytesIO(export(world, world.plan)))
    for cell in book["Nhiệm vụ"][1]:
        if cell.value == "Đơn vị chủ trì":
            cell.value = "DON VI CHU TRI"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(world.client("leadership"), world.plan, buffer.getvalue())
    assert "không đổi 4" in response.content.decode()
