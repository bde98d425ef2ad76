"""Browser scenario in headless Chromium: the principal takes the plan out to Excel, edits it,
checks it (dry run) on a phone, and confirms; the plan page then shows the change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from demo.loader import DEMO_PASSWORD, demo_school_code
from planning import services
from planning.models import Plan, Task

pytestmark = pytest.mark.browser


def test_principal_edits_the_plan_in_excel_on_a_phone(
    chromium: Any, demo_server: str, tmp_path: Path
) -> None:
    from django.contrib.auth import get_user_model

    plan = Plan.objects.active().get(
        start_year=2023, school__code=demo_school_code()
    )  # the demo school's, not a sample school's
    principal = get_user_model().objects.get(username="phungquyson")
    services.open_amendment(plan, reason="Bổ sung sau sơ kết", by=principal)
    page = chromium.new_page(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page.goto(f"{demo_server}/login/")
    page.fill("#id_username", "phungquyson")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{demo_server}/plans/{plan.pk}/")
    with page.expect_download() as download:
        page.click("#plan-excel")
    path = tmp_path / "ke-hoach.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    sheet = book["Nhiệm vụ"]
    sheet.append(["1.9", "1", "Giải pháp", "Số hoá hồ sơ công việc", "", "",
                  "phong to chuc hanh chinh", "Phòng Kế hoạch – Tài chính; Khoa Tự nhiên", "",
                  "1/3/2024", "31/05/2024"])  # fmt: skip
    book.save(path)

    # On a phone the import is one of the "Thêm thao tác" (more actions) menu's.
    assert not page.locator("#plan-import").is_visible()
    page.get_by_role("button", name="Thêm thao tác").click()
    page.click("#plan-import")
    page.set_input_files("input[name=file]", str(path))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator("#import-summary").inner_text()
    assert "Sẽ tạo mới 1, cập nhật 0" in summary and "0 dòng có lỗi" in summary
    rows = page.locator("#import-rows tbody tr")
    assert rows.count() == 1 and "Tạo mới" in rows.first.inner_text()
    # The page fits the phone: nothing wider than the screen but the scrolling table.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.click("main form:has(input[name=token]) button[type=submit]")
    page.wait_for_load_state()
    assert "Đã nhập: 1 mới, 0 cập nhật" in page.locator(".alert-success").inner_text()
    task = Task.objects.get(plan=plan, code="1.9")
    assert task.parent and task.parent.code == "1"
    assert [c.unit.name for c in task.coordinations.active()] == [
        "Phòng Kế hoạch – Tài chính",
        "Khoa Tự nhiên",
    ]
