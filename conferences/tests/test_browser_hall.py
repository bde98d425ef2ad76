"""Browser scenario: an attendee marks themselves present from their phone through the link on
the hall's screen; the secretary's roll shows it, live quorum and all."""

from __future__ import annotations

from typing import Any

import pytest

from conferences import services
from conferences.models import Attendance, Conference, ConferenceStatus
from conftest import login
from demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_attendee_marks_themselves_present_from_a_phone(chromium: Any, demo_server: str) -> None:
    conference = Conference.objects.get()
    services.set_status(conference, ConferenceStatus.IN_SESSION, by=None)
    invitation = conference.invitations.get(person__full_name="Nông Thị Hạnh")
    services.mark_attendance(invitation, attendance=Attendance.UNKNOWN, by=None)
    present_before = conference.invitations.filter(attendance=Attendance.PRESENT).count()

    desk = chromium.new_page(viewport={"width": 1366, "height": 900})
    login(desk, demo_server, "hathithutrang")
    desk.goto(f"{demo_server}/conferences/")
    # The conference in session is listed first.
    assert "Đang họp" in desk.locator("#conferences a").first.inner_text()
    desk.locator("#conferences a").first.click()
    desk.get_by_role("link", name="Màn hình hội trường").click()
    desk.wait_for_load_state()
    url = desk.locator("#checkin-link").get_attribute("href")
    assert url and "/conferences/checkin/" in url

    phone = chromium.new_page(viewport={"width": 390, "height": 844})
    phone.goto(url)
    # Not signed in on this phone yet: the sign-in page, then back to the link.
    phone.fill("#id_username", "nongthihanh")
    phone.fill("#id_password", DEMO_PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_load_state()
    assert "Nông Thị Hạnh" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Tôi có mặt").click()
    phone.wait_for_load_state()
    assert "có mặt" in phone.locator("#checkin-done").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    invitation.refresh_from_db()
    assert invitation.attendance == Attendance.PRESENT and invitation.self_marked
    assert (
        conference.invitations.filter(attendance=Attendance.PRESENT).count() == present_before + 1
    )

    # The secretary finds her on the roll, without diacritics, marked by herself.
    desk.goto(f"{demo_server}/conferences/{conference.pk}/attendance/")
    desk.fill("#roll-q", "nong thi hanh")
    desk.wait_for_selector("#roll-count:has-text('Đang hiện 1/')")
    # The swapped roll is live once htmx has settled it (leaving the search box must not
    # reload the roll over the secretary's click: it once did).
    desk.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping, .htmx-added')"
    )
    row = desk.locator(".tt-attendee")
    assert row.count() == 1 and "tự điểm danh" in row.inner_text()
    # She can still correct it.
    with desk.expect_response(lambda r: "/mark/" in r.url) as answer:
        row.get_by_role("button", name="Vắng").click()
    assert answer.value.status == 200
    desk.wait_for_selector(".tt-attendee:not(:has(.tt-self))")
    invitation.refresh_from_db()
    assert invitation.attendance == Attendance.ABSENT and not invitation.self_marked
