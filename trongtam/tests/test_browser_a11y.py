"""Browser scenario: the main pages pass an automated accessibility check (axe-core, installed by
npm and injected from node_modules, never a CDN) without a serious or critical violation, and the
keyboard finds the skip link first and lands on the errors of a form sent back."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from conferences.models import Conference
from conftest import login
from demo.loader import demo_school_code
from planning.models import Plan, Task

pytestmark = pytest.mark.browser

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"

RUN_AXE = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
    }));
}
"""


def serious_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return result


def test_main_pages_have_no_serious_accessibility_violation(
    chromium: Any, demo_server: str
) -> None:
    assert AXE.exists(), "axe-core is installed by npm (package.json), run `npm ci`"
    plan = Plan.objects.get(
        school__code=demo_school_code()
    )  # the demo school's, not a sample school's
    task = Task.objects.get(code="KHCN.2")
    conference = Conference.objects.get()
    pages = [
        ("home", "/", 1366, 900),
        ("home on a phone", "/", 390, 844),
        ("plan", f"/plans/{plan.pk}/", 1366, 900),
        ("task", f"/plans/tasks/{task.pk}/", 1366, 900),
        ("check-in form", f"/tracking/tasks/{task.pk}/checkin/", 1366, 900),
        ("dashboard", f"/tracking/plans/{plan.pk}/", 1366, 900),
        ("conference hall", f"/conferences/{conference.pk}/", 1366, 900),
    ]
    # The pages forbid inline scripts (CSP); axe is injected by the test, not by the site.
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    login(page, demo_server, "phungquyson")
    found: dict[str, list[dict[str, Any]]] = {}
    for name, path, width, height in pages:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(demo_server + path)
        page.wait_for_load_state("networkidle")
        assert response is not None and response.status == 200, path
        violations = serious_violations(page)
        if violations:
            found[name] = violations
    context.close()
    assert found == {}, "\n".join(
        f"{name}: {v['id']} ({v['impact']}) {v['help']}\n    " + "\n    ".join(v["nodes"])
        for name, violations in found.items()
        for v in violations
    )


def test_keyboard_starts_at_the_skip_link_and_errors_take_the_focus(
    chromium: Any, demo_server: str
) -> None:
    task = Task.objects.get(code="KHCN.2")
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    login(page, demo_server, "phungquyson")
    page.goto(f"{demo_server}/tracking/tasks/{task.pk}/checkin/")
    page.keyboard.press("Tab")
    skip = page.locator(".tt-skip-link")
    assert page.evaluate("document.activeElement.classList.contains('tt-skip-link')")
    assert skip.is_visible()  # hidden until focused, then shown
    assert skip.inner_text() == "Bỏ qua menu, đến nội dung chính"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Sent without the required answers: the summary has the focus and links to the fields.
    page.fill("#id_done", "")
    page.fill("#id_progress", "150")
    page.locator("#submit-checkin").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary = page.locator("#error-summary")
    assert "Chưa lưu được" in summary.inner_text()
    assert page.locator("#id_progress").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_progress").input_value() == "150"  # what was typed is kept
    summary.locator('a[href="#id_progress"]').click()
    assert page.evaluate("document.activeElement.id") == "id_progress"
