"""Browser scenario in headless Chromium: the principal opens the plan and a task."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import login

pytestmark = pytest.mark.browser


def test_principal_opens_the_plan_and_a_task(chromium: Any, demo_server: str) -> None:
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    login(page, demo_server, "phungquyson")
    # Home is "Việc của tôi", which links to the school's current plan.
    page.locator("main a", has_text="Kế hoạch năm học 2023–2024").first.click()
    page.wait_for_load_state()
    assert (
        page.locator("h1").inner_text() == "Kế hoạch thực hiện nhiệm vụ trọng tâm năm học 2023–2024"
    )
    page.locator("#can-cu > summary").click()  # the bases fold away
    assert page.locator("#can-cu li").count() >= 4
    assert "2457/QĐ-BGDĐT" in page.locator("#can-cu").inner_text()
    tasks = page.locator("#nhiem-vu li.tt-depth-0")
    assert tasks.count() == 8

    page.get_by_role("link", name="5. Công tác tuyển sinh", exact=False).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("5. ")
    assert page.locator("#lead-unit").inner_text() == "Phòng Đào tạo"
    coordinating = page.locator("#coordinating-units").inner_text()
    assert "Phòng Công tác học sinh, sinh viên" in coordinating
    assert "Khoa Tiểu học – Mầm non" in coordinating
    # Each coordinating unit carries its own duty line.
    assert (
        page.locator("#coordinating-units .tt-duty").count()
        == page.locator("#coordinating-units a").count()
    )


def test_search_on_a_phone_without_diacritics(chromium: Any, demo_server: str) -> None:
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    login(page, demo_server, "nongthihanh")
    page.goto(f"{demo_server}/search/?q=nguyen the duong")
    assert page.get_by_role("link", name="Nguyễn Thế Dương").count() == 1
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
