"""Browser scenario on the demo school, in the declaration window: the leadership's list of
off-campus students who have not declared; a student opens the link the school sent on a phone
(390×844), types the code, declares a rented room with its landlord; the list shrinks by one and
the student is on it no more."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from conftest import login
from residence import demo as residence_demo
from residence import figures, links
from residence.models import Declaration, Term

pytestmark = pytest.mark.browser


def test_a_student_declares_on_a_phone_and_the_list_shrinks(
    chromium: Any, demo_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: residence_demo.IN_THE_WINDOW)
    term = Term.objects.get()
    student = figures.not_declared(term).select_related("cohort").order_by("pk").first()
    assert student is not None
    [link] = links.issue(term, [student], by=None)  # type: ignore[arg-type]

    desk = chromium.new_page(viewport={"width": 1366, "height": 900})
    login(desk, demo_server, "phungquyson")
    missing_url = f"{demo_server}/residence/declarations/?term={term.pk}&missing=1"
    desk.goto(missing_url)
    before = int(desk.locator("#missing-count").inner_text())
    assert before == figures.not_declared(term).count() > 0

    phone = chromium.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{demo_server}/residence/k/{links.token(link)}/")
    assert student.full_name not in phone.locator("main").inner_text()  # the code comes first
    phone.fill("#id_code", links.code(link))
    phone.get_by_role("button", name="Tiếp tục").click()
    phone.wait_for_load_state()
    assert student.full_name in phone.locator("main").inner_text()
    phone.select_option("#id_housing", "rented")
    phone.fill("#id_address", "Số 21 đường Bà Triệu")
    phone.fill("#id_ward", "Phường Đông Kinh")
    phone.fill("#id_province", "Lạng Sơn")
    phone.fill("#id_landlord", "Hoàng Văn Lâm")
    phone.fill("#id_landlord_phone", "0912 345 678")
    phone.get_by_role("button", name="Gửi khai báo").click()
    phone.wait_for_load_state()
    assert "Đã ghi nhận" in phone.locator("#declared").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    declaration = Declaration.objects.get(term=term, student=student)
    assert (declaration.ward, declaration.source) == ("Phường Đông Kinh", "link")

    desk.goto(missing_url)
    assert int(desk.locator("#missing-count").inner_text()) == before - 1
    desk.goto(f"{missing_url}&q={student.code}")
    assert student.code not in desk.locator("#declarations").inner_text()


def test_a_student_without_an_account_declares_on_a_375px_phone(
    chromium: Any, demo_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The link and its code are all a student needs: no login, no sideways scrolling."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: residence_demo.IN_THE_WINDOW)
    term = Term.objects.get()
    student = figures.not_declared(term).order_by("-pk").first()
    assert student is not None
    [link] = links.issue(term, [student], by=None)  # type: ignore[arg-type]
    phone = chromium.new_context(viewport={"width": 375, "height": 812}).new_page()
    phone.goto(f"{demo_server}/residence/k/{links.token(link)}/")
    assert "/login/" not in phone.url
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    phone.fill("#id_code", links.code(link))
    phone.get_by_role("button", name="Tiếp tục").click()
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    phone.select_option("#id_housing", "rented")
    phone.fill("#id_address", "Số 5 ngõ 12 đường Lê Lợi")
    phone.fill("#id_ward", "Phường Tam Thanh")
    phone.fill("#id_province", "Lạng Sơn")
    phone.fill("#id_landlord", "Nông Thị Mai")
    phone.fill("#id_landlord_phone", "0987 654 321")
    phone.get_by_role("button", name="Gửi khai báo").click()
    phone.wait_for_load_state()
    assert "Đã ghi nhận" in phone.locator("#declared").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    declaration = Declaration.objects.get(term=term, student=student)
    assert (declaration.address, declaration.source) == ("Số 5 ngõ 12 đường Lê Lợi", "link")
