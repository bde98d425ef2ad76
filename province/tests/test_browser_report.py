"""Browser scenario: the Sở's officer asks the colleges for a target's figures by a deadline; the
demo school's principal finds the request in the school's inbox and submits the figures its
issued plan holds; the Sở then sees the school submitted on time, with the figure, and the
school without an answer still waiting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import login
from core.clock import today
from planning.models import Plan
from province.models import ReportRequest, Submission

pytestmark = pytest.mark.browser

TARGET = "Tỷ lệ sinh viên tốt nghiệp đúng hạn"
TITLE = "Số liệu tốt nghiệp đúng hạn, kiểm tra giữa năm"


def test_sgd_asks_for_figures_school_submits_sgd_sees_it(chromium: Any, demo_server: str) -> None:
    plan = Plan.objects.get(school__code="cdsp-lang-son", start_year=2023)
    deadline = today() + dt.timedelta(days=20)

    sgd = chromium.new_page(viewport={"width": 1280, "height": 900})
    login(sgd, demo_server, "sogddt")
    sgd.goto(f"{demo_server}/province/requests/")
    sgd.click("#request-new")
    sgd.wait_for_load_state()
    sgd.select_option("#id_kind", "targets")
    sgd.fill("#id_title", TITLE)
    sgd.fill("#id_start_year", "2023")
    sgd.fill("#id_deadline", deadline.strftime("%d/%m/%Y"))
    sgd.fill("#id_targets", TARGET)
    # Addressed to every school the Sở directs (the form's default).
    assert sgd.locator("input[name=audience][value=all]").is_checked()
    sgd.get_by_role("button", name="Gửi yêu cầu").click()
    sgd.wait_for_load_state()
    assert sgd.locator("h1").inner_text() == TITLE
    asked = ReportRequest.objects.get(title=TITLE)
    row = sgd.locator(f"#standings tr[data-school='{plan.school_id}']")
    assert row.get_attribute("data-state") == "missing"
    assert "Chưa nộp" in row.locator(".state").inner_text()

    school = chromium.new_page(viewport={"width": 1280, "height": 900})
    login(school, demo_server, "phungquyson")
    school.goto(f"{demo_server}/province/inbox/")
    school.locator(f"#received tr[data-request='{asked.pk}'] a").click()
    school.wait_for_load_state()
    assert school.locator("h1").inner_text() == TITLE
    # The figure comes from the school's issued plan: shown before it is sent.
    line = school.locator("#lines tbody tr").first
    assert TARGET in line.inner_text()
    shown = line.locator("td").nth(2).inner_text().strip()
    assert shown and shown != "—"
    school.fill("#id_note", "Số liệu đến hết học kỳ I")
    school.locator("#submit-form").get_by_role("button", name="Nộp").click()
    school.wait_for_load_state()
    assert "Lần 1" in school.locator("#submissions").inner_text()
    submission = Submission.objects.get(request=asked, school_id=plan.school_id)
    assert submission.on_time

    sgd.reload()
    row = sgd.locator(f"#standings tr[data-school='{plan.school_id}']")
    assert row.get_attribute("data-state") == "on_time"
    assert "Nộp đúng hạn" in row.locator(".state").inner_text()
    figures = row.locator(".figure").all_inner_texts()
    assert any(text.strip() for text in figures)
    # Listed under "submitted on time", not under "not yet".
    sgd.locator("#states a[data-state='on_time']").click()
    sgd.wait_for_load_state()
    assert sgd.locator(f"#standings tr[data-school='{plan.school_id}']").count() == 1
    sgd.locator("#states a[data-state='missing']").click()
    sgd.wait_for_load_state()
    assert sgd.locator(f"#standings tr[data-school='{plan.school_id}']").count() == 0
    assert sgd.locator("#standings tbody tr[data-state='missing']").count() >= 1
