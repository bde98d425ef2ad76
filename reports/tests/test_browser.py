"""Browser scenario: the principal edits the draft tổng kết and issues it; staff read it on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import login
from papers.models import IssuedPaper
from reports.models import Report

pytestmark = pytest.mark.browser


def test_principal_edits_and_issues_the_year_report(
    chromium: Any,
    demo_server: str,
) -> None:
    report = Report.objects.get(kind="year")
    desk = chromium.new_page(viewport={"width": 1280, "height": 900})
    login(desk, demo_server, "phungquyson")
    desk.goto(f"{demo_server}/plans/{report.plan_id}/")
    desk.click("#plan-reports")
    desk.get_by_role("link", name="Báo cáo tổng kết năm học").click()
    desk.click("#edit-report")
    desk.fill("#id_proposals", "Đề nghị Sở GD&ĐT hỗ trợ kinh phí chuyển đổi số.")
    desk.click("#save-narrative")  # sent by htmx, answered with a redirect to the report
    desk.wait_for_url(f"{demo_server}/reports/{report.pk}/")
    assert (
        "Đề nghị Sở GD&ĐT hỗ trợ kinh phí chuyển đổi số." in desk.locator("#de-xuat").inner_text()
    )
    desk.click("#issue-report")
    desk.fill("#id_issued_on", "05/07/2024")
    # What will happen and the problems come first; nothing is issued without the tick.
    desk.click("#confirm-issue")
    desk.wait_for_load_state()
    assert not Report.objects.get(pk=report.pk).is_issued
    assert "dự kiến số 02/BC-CĐSPLS" in desk.locator("#issue-effects").inner_text()
    desk.check("#id_confirm")
    desk.click("#confirm-issue")
    desk.wait_for_load_state()
    assert desk.locator("#symbol").inner_text() == "Số 02/BC-CĐSPLS"
    assert desk.locator("#unchanged").count() == 1
    assert IssuedPaper.objects.get(kind="report_year", object_id=report.pk).number == 2

    phone = chromium.new_page(viewport={"width": 390, "height": 844})
    login(phone, demo_server, "nongthihanh")
    phone.goto(f"{demo_server}/reports/{report.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator("#edit-report").count() == 0
    with phone.expect_download() as download:
        phone.click("#download-docx")
    assert download.value.suggested_filename == "bao-cao-tong-ket-2023-2024.docx"
