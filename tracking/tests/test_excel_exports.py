"""Exports of every list: permissions, filters, content and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import ROLES, World
from planning import services
from planning.models import Plan, PlanStatus, Task
from tracking.models import CheckIn, CheckInRole, Confidence

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(content: bytes, sheet: str | None = None) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content))
    ws = book[sheet] if sheet else book.worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def as_dicts(content: bytes, sheet: str | None = None) -> list[dict[str, Any]]:
    rows = sheet_rows(content, sheet)
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def plan_urls(world: World) -> list[str]:
    pk = world.plan.pk
    return [
        reverse("tracking:plan_export", args=[pk]),
        reverse("tracking:tasks_export", args=[pk]),
        reverse("tracking:targets_export", args=[pk]),
        reverse("tracking:checkins_export", args=[pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_plan_exports_role_matrix(world: World, role: str) -> None:
    for url in plan_urls(world):
        response = world.client(role).get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response["Location"], url
        elif role == "outsider":
            assert response.status_code == 404, url
        else:
            assert response.status_code == 200, url
            assert response["Content-Type"] == XLSX
            assert response["Content-Disposition"].startswith("attachment; filename=")


@pytest.mark.parametrize("role", ROLES)
def test_register_and_people_exports_role_matrix(world: World, role: str) -> None:
    for name in ("documents:documents_export", "organisations:people_export"):
        response = world.client(role).get(reverse(name))
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response["Location"]
            continue
        assert response.status_code == 200, (name, role)
        text = str(sheet_rows(response.content))
        if role == "outsider":  # another school sees its own lists, never ours
            assert "2457" not in text and "Phùng Quý Sơn" not in text
        elif name == "documents:documents_export":
            assert "2457/QĐ-BGDĐT" in text
        else:
            assert "Phùng Quý Sơn" in text


def test_tasks_export_has_the_hierarchy_units_dates_status_and_progress(world: World) -> None:
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.ISSUED)  # deadlines in force
    response = world.client("staff").get(reverse("tracking:tasks_export", args=[world.plan.pk]))
    rows = {r["Số thứ tự"]: r for r in as_dicts(response.content, "Nhiệm vụ")}
    assert set(rows) == {"1", "1.1", "PDT.1"}
    top, sub, own = rows["1"], rows["1.1"], rows["PDT.1"]
    assert top["Tên nhiệm vụ"] == "Tuyển sinh và duy trì sĩ số"
    assert top["Đơn vị chủ trì"] == "Khoa Tự nhiên"
    assert top["Đơn vị phối hợp"] == "Phòng Đào tạo"
    assert top["Người phụ trách"] == "Hoàng Văn An"
    assert top["Ngày bắt đầu"] == dt.datetime(2023, 9, 1)  # a real Excel date
    assert top["Hạn hoàn thành"] == dt.datetime(2024, 5, 31)
    assert top["Chỉ tiêu"] == "CT01" and top["Lĩnh vực"] == "Đào tạo"
    assert top["Tiến độ (%)"] == 0 and top["Trạng thái"]
    assert sub["Thuộc nhiệm vụ"] == "1" and sub["Cấp"] == "Giải pháp"
    assert own["Kế hoạch đơn vị"] == "Phòng Đào tạo" and own["Phục vụ nhiệm vụ"] == "1"
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Nhiệm vụ"]
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    date_column = next(c.column_letter for c in sheet[1] if c.value == "Hạn hoàn thành")
    assert sheet[f"{date_column}2"].number_format == "DD/MM/YYYY"


def test_tasks_export_honours_the_task_list_filters(world: World) -> None:
    client = world.client("leadership")
    url = reverse("tracking:tasks_export", args=[world.plan.pk])
    by_unit = as_dicts(client.get(url, {"unit": world.group.pk}).content)
    assert [r["Số thứ tự"] for r in by_unit] == ["1.1"]
    by_search = as_dicts(client.get(url, {"q": "cong tuyen sinh"}).content)
    assert [r["Số thứ tự"] for r in by_search] == ["PDT.1"]
    # The same filters give the same tasks as the list page.
    page = client.get(reverse("tracking:task_list", args=[world.plan.pk]), {"unit": world.group.pk})
    assert [t.code for t in page.context["page"]] == ["1.1"]
    assert f"?unit={world.group.pk}" in page.content.decode()  # the button keeps the filter


def test_targets_export_has_value_direction_actual_and_state(world: World) -> None:
    world.target.actual_value = Decimal("95")
    world.target.code = "CT1"
    world.target.save()
    content = world.client("staff").get(reverse("tracking:targets_export", args=[world.plan.pk]))
    (row,) = as_dicts(content.content, "Chỉ tiêu")
    assert row["Mã"] == "CT1" and row["Chỉ tiêu"] == "Tỷ lệ tuyển sinh"
    assert row["Giá trị chỉ tiêu"] == 90 and row["Giá trị thực hiện"] == 95
    assert row["Chiều đánh giá"] == "Càng cao càng tốt"
    assert row["Đánh giá"] == "Đạt"
    assert row["Đơn vị chịu trách nhiệm"] == "Phòng Đào tạo"


def test_checkins_export_lists_reports_of_the_filtered_tasks(world: World) -> None:
    for task, text in ((world.task, "Đã tuyển 300"), (world.unit_task, "Đã cập nhật cổng")):
        CheckIn.objects.create(
            task=task, unit=world.office, role=CheckInRole.LEAD, reported_on=dt.date(2023, 10, 5),
            progress=40, done=text, confidence=Confidence.HIGH,
        )  # fmt: skip
    client = world.client("staff")
    url = reverse("tracking:checkins_export", args=[world.plan.pk])
    rows = as_dicts(client.get(url).content)
    assert {r["Kết quả đã thực hiện"] for r in rows} == {"Đã tuyển 300", "Đã cập nhật cổng"}
    assert rows[0]["Ngày báo cáo"] == dt.datetime(2023, 10, 5) and rows[0]["Tiến độ (%)"] == 40
    only = as_dicts(client.get(url, {"q": "cong tuyen sinh"}).content)
    assert [r["Kết quả đã thực hiện"] for r in only] == ["Đã cập nhật cổng"]


def test_document_and_people_exports_honour_the_search(world: World) -> None:
    client = world.client("staff")
    documents = as_dicts(
        client.get(reverse("documents:documents_export"), {"q": "trong tam"}).content
    )
    assert [d["Số, ký hiệu"] for d in documents] == ["2457/QĐ-BGDĐT"]
    assert documents[0]["Ngày ban hành"] == dt.datetime(2023, 8, 23)
    assert documents[0]["Số nhiệm vụ thực hiện"] == 1
    none = as_dicts(client.get(reverse("documents:documents_export"), {"q": "khong co"}).content)
    assert none == []
    people = as_dicts(client.get(reverse("organisations:people_export"), {"q": "loan"}).content)
    assert [p["Họ và tên"] for p in people] == ["Nguyễn Thị Phương Loan"]
    assert people[0]["Chức vụ"] == "Trưởng phòng" and people[0]["Đơn vị"] == "Phòng Đào tạo"


def _grow(world: World, n: int) -> None:
    by = world.users["leadership"]
    for i in range(n):
        task = services.save_plan_object(
            Task(plan=world.plan, parent=world.task, title=f"Việc {i}", lead_unit=world.group),
            by=by,
        )
        services.set_coordinations(task, [(world.office, ""), (world.faculty, "")], by=by)
        CheckIn.objects.create(
            task=task, unit=world.group, role=CheckInRole.LEAD, reported_on=dt.date(2023, 10, 1),
            progress=10, done="x", confidence=Confidence.HIGH,
        )  # fmt: skip
        services.save_plan_object(
            type(world.target)(plan=world.plan, name=f"Chỉ tiêu {i}", unit_of_measure="%",
                               target_value=Decimal(50), area=world.area,
                               responsible_unit=world.office),
            by=by,
        )  # fmt: skip


def _count(world: World, url: str) -> int:
    client = world.client("leadership")
    client.get(url)  # warm the session and membership caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_exports_take_the_same_number_of_queries_for_few_and_many_rows(world: World) -> None:
    urls = [
        *plan_urls(world),
        reverse("documents:documents_export"),
        reverse("organisations:people_export"),
    ]
    few = [_count(world, url) for url in urls]
    _grow(world, 25)
    many = [_count(world, url) for url in urls]
    assert few == many
    content = world.client("leadership").get(urls[1]).content
    assert len(as_dicts(content)) == 28
