"""Browser scenario: a unit head, on a phone, downloads the unit's reporting sheet from the unit
dashboard, fills one row in, checks it and confirms; the task shows the new progress."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import login
from tracking import excel_reporting
from tracking.models import CheckIn

pytestmark = pytest.mark.browser


def test_unit_head_reports_through_the_sheet_on_a_phone(chromium: Any, demo_server: str) -> None:
    page = chromium.new_page(viewport={"width": 390, "height": 844}, accept_downloads=True)
    login(page, demo_server, "nguyenthiphuongloan")
    page.goto(f"{demo_server}/tracking/")
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.locator(".reporting-sheet-buttons a", has_text="Tải bảng báo cáo").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book[excel_reporting.SHEET]
    first = next(iter(sheet.iter_rows(min_row=2)))
    task_id = first[0].value
    first[7].value = 95
    first[9].value = "Đã hoàn thiện, chờ nghiệm thu (báo cáo qua Excel)"
    first[12].value = "Chắc chắn hoàn thành"
    buffer = io.BytesIO()
    book.save(buffer)
    before = CheckIn.objects.count()

    page.locator(".reporting-sheet-buttons a", has_text="Nhập bảng báo cáo").click()
    page.wait_for_load_state()
    page.set_input_files(
        "#id_file",
        files=[{"name": "bao-cao.xlsx", "mimeType": "application/octet-stream",
                "buffer": buffer.getvalue()}],
    )  # fmt: skip
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Sẽ tạo mới 1" in page.locator("#import-summary").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Xác nhận ghi").click()
    page.wait_for_load_state()
    assert "Đã nhập: 1 mới" in page.locator("main").inner_text()
    assert CheckIn.objects.count() == before + 1
    latest = CheckIn.objects.filter(task_id=task_id).order_by("-pk").first()
    assert latest is not None and latest.progress == 95
