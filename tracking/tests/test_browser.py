"""Browser scenario: a staff member reports on a phone, leadership sees it on the dashboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import login
from planning.models import Task
from tracking.models import CheckIn
from tracking.tests.helpers import PDF
from tracking.views import PAGE_SIZE

pytestmark = pytest.mark.browser


@pytest.fixture
def evidence_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "Biên bản nghiệm thu.pdf"
    path.write_bytes(PDF)
    yield path


def test_staff_reports_on_a_phone_and_leadership_sees_it(
    chromium: Any,
    demo_server: str,
    evidence_file: Path,
) -> None:
    task = Task.objects.get(code="KHCN.2")  # Nông Thị Hạnh is in charge
    before = task.checkins.count()
    phone = chromium.new_page(viewport={"width": 390, "height": 844})
    login(phone, demo_server, "nongthihanh")
    phone.goto(f"{demo_server}/plans/tasks/{task.pk}/")
    phone.click("#checkin-link")
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.fill("#id_progress", "100")
    phone.fill("#id_done", "Đã xây dựng xong kho minh chứng số, 312 minh chứng đã số hóa.")
    phone.fill("#id_difficulties", "Một số minh chứng cũ chỉ còn bản giấy.")
    phone.select_option("#id_confidence", "high")
    phone.set_input_files("#id_evidence", str(evidence_file))
    phone.click("#submit-checkin")
    phone.wait_for_load_state()
    assert "Đã gửi báo cáo tiến độ" in phone.content()
    assert phone.locator("#tien-do .tt-checkin").first.inner_text().count("100%") == 1
    assert phone.get_by_role("link", name="Biên bản nghiệm thu.pdf").count() == 1
    assert task.checkins.count() == before + 1
    assert CheckIn.objects.filter(task=task).first().evidence.count() == 1  # type: ignore[union-attr]

    desk = chromium.new_page(viewport={"width": 1280, "height": 900})
    login(desk, demo_server, "phungquyson")
    today = dt.date.today().strftime("%d/%m/%Y")
    desk.goto(f"{demo_server}/tracking/plans/{task.plan_id}/?on={today}")
    desk.wait_for_load_state()
    assert desk.locator("h1").inner_text().startswith("Bảng điều hành")
    task.refresh_from_db()
    assert task.completed_on is not None
    cell = "done_late" if task.completed_on > task.due_date else "done_on_time"  # type: ignore[operator]
    count = desk.locator(f"[data-cell={cell}] .tt-cell-count").inner_text()
    desk.click(f"[data-cell={cell}]")
    desk.wait_for_load_state()
    # The list shows the cell's tasks, PAGE_SIZE a page.
    assert desk.locator("#task-table tbody tr").count() == min(int(count), PAGE_SIZE)
    if desk.get_by_role("link", name="KHCN.2.", exact=False).count() == 0:
        assert int(count) > PAGE_SIZE
        desk.locator(".pagination a", has_text="»").click()
        desk.wait_for_load_state()
    desk.get_by_role("link", name="KHCN.2.", exact=False).click()
    desk.wait_for_load_state()
    assert "312 minh chứng đã số hóa" in desk.locator("#tien-do").inner_text()
