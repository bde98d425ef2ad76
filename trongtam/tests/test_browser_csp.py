"""Browser scenario: the main pages run under the Content-Security-Policy without a single
violation or script error, and the confirmations moved out of inline handlers still ask."""

from __future__ import annotations

from typing import Any

import pytest

from conferences.models import Conference
from conftest import login
from demo.loader import demo_school_code
from planning.models import Plan, Task

pytestmark = pytest.mark.browser

# Recorded in the page before any of its own scripts run (Playwright's init scripts are not
# subject to the page's policy).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def test_main_pages_have_no_csp_violation_or_script_error(
    chromium: Any,
    demo_server: str,
) -> None:
    plan = Plan.objects.get(
        school__code=demo_school_code()
    )  # the demo school's, not a sample school's
    task = Task.objects.get(code="KHCN.2")
    conference = Conference.objects.get()
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(WATCH_VIOLATIONS)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
    )
    login(page, demo_server, "phungquyson")
    pages = [
        "/",
        f"/plans/{plan.pk}/",
        f"/plans/tasks/{task.pk}/",
        f"/tracking/plans/{plan.pk}/",
        f"/tracking/plans/{plan.pk}/tasks/",
        f"/tracking/tasks/{task.pk}/checkin/",
        f"/conferences/{conference.pk}/",
        f"/conferences/{conference.pk}/attendance/",
        f"/conferences/{conference.pk}/votes/",
        "/organisations/people/",
        "/password/",
        "/api/docs",
    ]
    for path in pages:
        response = page.goto(demo_server + path)
        page.wait_for_load_state("networkidle")
        assert response is not None and response.status < 400, path
        assert "script-src 'self'" in (response.header_value("content-security-policy") or "")
        violations = page.evaluate("window.__violations")
        assert violations == [], (path, violations)
    assert errors == []

    # A quick confirmation comes from static/js/app.js (a form's data-confirm): dismissing it
    # leaves the article as it is. (Archiving a task has its own confirmation page now.)
    page.goto(f"{demo_server}/conferences/{conference.pk}/article/")
    before = page.locator("main").inner_text()
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.locator("form[data-confirm] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert asked and asked[0].startswith("Viết lại bài tin từ dữ liệu?")
    assert page.url.endswith(f"/conferences/{conference.pk}/article/")
    assert page.locator("main").inner_text() == before
    assert task.archived_at is None
    # The charts of the dashboard were drawn (Chart.js from static, data from json_script).
    page.goto(f"{demo_server}/tracking/plans/{plan.pk}/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("Object.keys(Chart.instances).length") > 0
    assert page.evaluate("window.__violations") == [] and errors == []
