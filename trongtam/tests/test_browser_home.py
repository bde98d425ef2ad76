"""Browser scenario: on a phone, the unit head's home page ("Việc của tôi") shows the overdue
task of their unit on the first screen, and the plan page opens on its tasks, not its preamble."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import login
from demo.loader import demo_school_code
from planning.models import Plan, Task

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_unit_heads_phone_home_shows_the_overdue_task_first(
    chromium: Any, demo_server: str
) -> None:
    # The demo's KHCN.4 (led by Phòng KHCN&ĐBCL, headed by nguyenthiphuongloan) is still open
    # after its deadline (30/06/2024).
    task = Task.objects.get(code="KHCN.4")
    page = chromium.new_page(viewport=PHONE)
    login(page, demo_server, "nguyenthiphuongloan")
    page.goto(f"{demo_server}/")
    assert page.locator("h1").inner_text() == "Việc của tôi"
    item = page.locator(f'#qua-han [data-task="{task.pk}"]')
    assert item.count() == 1, (task.pk, page.locator("#qua-han").inner_text())
    item.wait_for(state="visible")
    box = item.bounding_box()
    assert box is not None
    # Entirely on the first screen, without scrolling.
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    assert "Quá hạn" in item.inner_text() and "KHCN.4" in item.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The task page it leads to says the same.
    item.click()
    page.wait_for_load_state()
    status = page.locator("#task-status")
    assert status.get_attribute("data-status") == "overdue"
    overdue_days = status.inner_text().split()[-2]
    page.go_back()
    item_days = page.locator(f'#qua-han [data-task="{task.pk}"] .badge').inner_text().split()[-2]
    assert overdue_days == item_days


def test_plan_page_folds_its_long_texts(chromium: Any, demo_server: str) -> None:
    plan = Plan.objects.get(
        school__code=demo_school_code()
    )  # the demo school's, not a sample school's
    page = chromium.new_page(viewport=PHONE)
    login(page, demo_server, "nongthihanh")
    page.goto(f"{demo_server}/plans/{plan.pk}/")
    preamble = page.locator("#chu-de")
    bases = page.locator("#can-cu")
    assert preamble.get_attribute("open") is None and bases.get_attribute("open") is None
    # Folded, the preamble takes a few lines: the tasks' heading is reached soon.
    assert preamble.bounding_box()["height"] < 200  # type: ignore[index]
    bases.locator("summary").click()
    assert bases.get_attribute("open") is not None
    assert "63-NQ/TU" in bases.inner_text()
    bases.locator("summary").click()
    # On a phone the goals and targets are folded too: the tasks start on the first screen.
    targets = page.locator("#muc-tieu")
    assert targets.get_attribute("open") is None
    tasks_heading = page.locator("#nhiem-vu h2").bounding_box()
    assert tasks_heading is not None and tasks_heading["y"] + tasks_heading["height"] <= 844
    # The in-page link to them opens them.
    page.locator('main a[href="#muc-tieu"]').click()
    page.locator("#muc-tieu[open]").wait_for()  # on "hashchange"
    assert targets.locator("table").first.is_visible()
    # On a wide screen they are open from the start.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{demo_server}/plans/{plan.pk}/")
    assert page.locator("#muc-tieu").get_attribute("open") is not None
