"""The students pages on a phone (390×844), as the demo school's principal sees them (every
figure and every name): no page is wider than the screen; a wide table scrolls inside its own
frame instead of pushing the page sideways."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import login
from organisations.models import Person
from students.models import AcademicWarning, Cohort, Student

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _pages() -> list[str]:
    cohort = Cohort.objects.filter(students__isnull=False).order_by("pk").first()
    student = Student.objects.order_by("pk").first()
    assert cohort is not None and student is not None
    pages = [
        "/students/", "/students/programmes/", "/students/enrolment/", "/students/retention/",
        f"/students/retention/{cohort.pk}/1/", "/students/dropout/", f"/students/cohorts/{cohort.pk}/",
        "/students/list/", f"/students/list/{student.pk}/", "/students/warnings/",
        "/students/support/", "/students/targets/", "/students/headcounts/",
        "/students/personal-data-log/", "/students/import/students/",
    ]  # fmt: skip
    supported = Student.objects.filter(support_grants__isnull=False).order_by("pk").first()
    if supported is not None:
        pages.append(f"/students/support/students/{supported.pk}/mark/")
    pages.append("/students/support/rules/new/")
    intake = cohort.programme.intakes.order_by("pk").first()
    if intake is not None:
        pages.append(f"/students/intakes/{intake.pk}/")
    assert AcademicWarning.objects.exists()
    return pages


def test_no_students_page_is_wider_than_a_phone(chromium: Any, demo_server: str) -> None:
    page = chromium.new_page(viewport=PHONE)
    login(page, demo_server, "phungquyson")
    wide = {}
    for path in _pages():
        response = page.goto(f"{demo_server}{path}")
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            # What sticks out, to say which element to fix.
            wide[path] = page.evaluate(
                """() => [...document.querySelectorAll('main *')]
                    .filter(e => e.getBoundingClientRect().right > innerWidth + 1
                        && !e.closest('.table-responsive'))
                    .slice(0, 3).map(e => e.tagName + '#' + e.id + '.' + e.className)"""
            )
    assert wide == {}


PHONE_375 = {"width": 375, "height": 812}


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= innerWidth"))


def test_a_class_adviser_follows_up_a_warning_of_their_class_on_a_phone(
    chromium: Any, demo_server: str
) -> None:
    """The adviser (GVCN) sees the warned students of their own class only, on a 375 px screen
    without sideways scrolling, and records how they followed one up (giving a plan task is the
    office's and the faculty's; the outcome is the adviser's)."""
    warning = (
        AcademicWarning.objects.filter(outcome="", task__isnull=False)
        .select_related("student__cohort")
        .order_by("pk")
        .first()
    )
    assert warning is not None
    # The demo's adviser takes the class the semester's warnings name.
    cohort = warning.student.cohort
    Cohort.objects.filter(pk=cohort.pk).update(
        adviser=Person.objects.get(user__username="langthihuyen", school=cohort.school)
    )
    others = set(
        AcademicWarning.objects.exclude(student__cohort=cohort).values_list("pk", flat=True)
    )
    assert others
    page = chromium.new_page(viewport=PHONE_375)
    login(page, demo_server, "langthihuyen")
    term = f"{warning.school_year}-{warning.semester}"
    response = page.goto(f"{demo_server}/students/warnings/?term={term}")
    assert response is not None and response.status == 200
    assert _fits(page)
    shown = page.locator("#warnings tbody tr").evaluate_all(
        "rows => rows.map(r => Number(r.dataset.warning))"
    )
    assert warning.pk in shown and not set(shown) & others
    row = page.locator(f"#w{warning.pk}")
    assert row.get_by_role("button", name="Giao theo dõi").count() == 0
    row.locator("textarea[name=outcome]").fill("Đã gặp người học; học lại học phần trong hè.")
    row.get_by_role("button", name="Ghi kết quả").click()
    page.wait_for_load_state()
    warning.refresh_from_db()
    assert warning.outcome == "Đã gặp người học; học lại học phần trong hè."
    assert "học lại học phần trong hè" in page.locator(f"#w{warning.pk}").inner_text()
    assert _fits(page)
    # The headcounts: a card per count, not a table scrolled sideways in its frame.
    page.goto(f"{demo_server}/students/headcounts/")
    assert page.locator("#headcounts tbody tr").count() > 0
    assert page.evaluate(
        "(() => { const t = document.querySelector('#headcounts');"
        " return t.scrollWidth <= t.parentElement.clientWidth; })()"
    )
    cell = page.locator('#headcounts tbody tr td[data-label="Sĩ số"]').first
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert _fits(page)
