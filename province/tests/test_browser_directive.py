"""Browser scenario: the Sở's officer issues a directive to all colleges; the demo school's
principal links a task to it from the school's own register; the Sở then sees the school in the
"đã xây dựng nhiệm vụ" column, with a count and no task named."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from conftest import login
from documents.models import DocumentType
from planning import services as plan_services
from planning.models import Plan

pytestmark = pytest.mark.browser


def test_sgd_issues_to_all_colleges_and_sees_who_acted(chromium: Any, demo_server: str) -> None:
    plan = Plan.objects.get(school__code="cdsp-lang-son", start_year=2023)
    principal = get_user_model().objects.get(username="phungquyson")
    if plan_services.open_amendment_of(plan) is None:
        # The demo plan is issued: a task gains a basis in an amendment.
        plan_services.open_amendment(plan, reason="Bổ sung căn cứ của Sở", by=principal)
    task = plan.tasks.filter(parent=None, archived_at=None).order_by("order").first()
    assert task is not None
    guidance = DocumentType.objects.get(code="HD")

    sgd = chromium.new_page(viewport={"width": 1280, "height": 900})
    login(sgd, demo_server, "sogddt")
    sgd.goto(f"{demo_server}/province/")
    assert "1850/HD-SGDĐT" in sgd.locator("#directives").inner_text()
    sgd.click("#directive-new")
    sgd.wait_for_load_state()
    sgd.select_option("#id_doc_type", str(guidance.pk))
    sgd.fill("#id_number", "2105")
    sgd.fill("#id_issuer_code", "SGDĐT")
    sgd.fill("#id_issued_on", "02/10/2023")
    sgd.fill("#id_summary", "Hướng dẫn công tác tuyển sinh cao đẳng năm 2024")
    sgd.check("input[name=audience][value=level]")
    sgd.select_option("#id_level", "college")
    sgd.get_by_role("button", name="Vào sổ và gửi").click()
    sgd.wait_for_load_state()
    assert sgd.locator("h1").inner_text().endswith("2105/HD-SGDĐT")
    school_row = sgd.locator(f"#uptake tr[data-school='{plan.school_id}']")
    assert school_row.locator(".not-acted").inner_text().strip() == "✗"
    # Both colleges received it, the upper secondary school did not.
    assert "Trường Trung học phổ thông Mẫu Sơn" not in sgd.locator("#uptake").inner_text()
    assert sgd.locator("#uptake tbody tr").count() == 2

    school = chromium.new_page(viewport={"width": 1280, "height": 900})
    login(school, demo_server, "phungquyson")
    school.goto(f"{demo_server}/documents/")
    assert "2105/HD-SGDĐT" in school.locator("table").inner_text()
    school.goto(f"{demo_server}/plans/tasks/{task.pk}/")
    option = school.locator("select[name=document] option", has_text="2105/HD-SGDĐT")
    school.select_option("select[name=document]", option.get_attribute("value"))
    school.fill("input[name=clause]", "Mục II")
    school.get_by_role("button", name="Gắn căn cứ").click()
    school.wait_for_load_state()
    assert "2105/HD-SGDĐT" in school.locator("main").inner_text()

    sgd.goto(sgd.url.split("?")[0] + "?show=acted")
    acted = sgd.locator(f"#uptake tr[data-school='{plan.school_id}'] .acted").inner_text()
    assert acted.strip() == "1 nhiệm vụ"
    assert task.title not in sgd.content()
