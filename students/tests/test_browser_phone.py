"""The students pages on a phone (390×844), as the demo school's principal sees them (every
figure and every name): no page is wider than the screen; a wide table scrolls inside its own
frame instead of pushing the page sideways."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import login
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
