"""Every students page for every role: anonymous → login; another school's leader and the Sở's
officer see nothing of this school (404 for its objects, their own empty organisation
elsewhere, never a name); staff see figures without names; the class adviser sees their class
only, the faculty's head its programmes' students, the student affairs office and the leadership
every student."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from conftest import close_response
from students.models import Intake, PersonalDataView
from students.tests.conftest import ROLES, Campus

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


def url(name: str, *args: Any) -> str:
    return reverse(f"students:{name}", args=args)


# anonymous, outsider, officer, staff, adviser, faculty head, records office, leadership
ALL = (LOGIN, OK, OK, OK, OK, OK, OK, OK)
# A page of the user's own school: another school's leader manages their own; the Sở keeps none.
MANAGERS = (LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
K1_NAMES = (
    LOGIN,
    NOT_FOUND,
    NOT_FOUND,
    FORBIDDEN,
    OK,
    OK,
    OK,
    OK,
)  # the adviser's class, the faculty's
K2_NAMES = (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
SOME_NAMES = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK)
SCHOOL_OBJECT = (LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK, OK)
MANAGERS_OBJECT = (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)

PAGES: list[tuple[str, Callable[[Campus], str], tuple[int, ...]]] = [
    ("home", lambda c: url("home"), ALL),
    ("programmes", lambda c: url("programmes"), ALL),
    ("programmes xlsx", lambda c: url("programmes_xlsx"), ALL),
    ("programme create", lambda c: url("programme_create"), MANAGERS),
    ("programme edit", lambda c: url("programme_edit", c.preschool.pk), MANAGERS_OBJECT),
    ("intake", lambda c: url("intake", c.intakes[0].pk), SCHOOL_OBJECT),
    ("enrolment", lambda c: url("enrolment"), ALL),
    ("enrolment xlsx", lambda c: url("enrolment") + "?format=xlsx", ALL),
    ("retention", lambda c: url("retention"), ALL),
    ("retention xlsx", lambda c: url("retention") + "?format=xlsx", ALL),
    ("retention cell", lambda c: url("retention_cell", c.k1.pk, 2), SCHOOL_OBJECT),
    ("dropout", lambda c: url("dropout"), ALL),
    ("dropout xlsx", lambda c: url("dropout") + "?format=xlsx", ALL),
    ("cohort create", lambda c: url("cohort_create"), MANAGERS),
    ("cohort edit", lambda c: url("cohort_edit", c.k1.pk), MANAGERS_OBJECT),
    ("class K1", lambda c: url("cohort", c.k1.pk), K1_NAMES),
    ("class K1 xlsx", lambda c: url("cohort", c.k1.pk) + "?format=xlsx", K1_NAMES),
    ("class K2", lambda c: url("cohort", c.k2.pk), K2_NAMES),
    ("student of K1", lambda c: url("student", c.students[2].pk), K1_NAMES),
    ("student of K2", lambda c: url("student", c.students[7].pk), K2_NAMES),
    ("student list", lambda c: url("student_list"), SOME_NAMES),
    ("student list xlsx", lambda c: url("student_list") + "?format=xlsx", SOME_NAMES),
    ("import students", lambda c: url("import_students"), MANAGERS),
    ("import changes", lambda c: url("import_changes"), MANAGERS),
    ("import template", lambda c: url("import_template", "changes"), MANAGERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "address", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_for_role(
    campus: Campus, role: str, name: str, address: Any, expected: tuple[int, ...]
) -> None:
    response = campus.client(role).get(address(campus))
    close_response(response)
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


FIGURE_PAGES = ["home", "programmes", "enrolment", "retention", "dropout"]


@pytest.mark.parametrize("role", ["outsider", "officer", "staff"])
@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_figures_never_carry_a_name(campus: Campus, role: str, page: str) -> None:
    body = campus.client(role).get(url(page)).content.decode()
    assert "Nguyễn Văn Học" not in body
    assert url("student_list") not in body


@pytest.mark.parametrize("role", ["outsider", "officer"])
def test_another_organisation_sees_none_of_the_schools_figures(campus: Campus, role: str) -> None:
    body = campus.client(role).get(url("retention")).content.decode()
    assert "CĐMN-K1" not in body
    body = campus.client(role).get(url("enrolment")).content.decode()
    assert "Giáo dục Mầm non" not in body


def test_the_adviser_lists_only_their_class(campus: Campus) -> None:
    body = campus.client("adviser").get(url("student_list")).content.decode()
    assert "Nguyễn Văn Học 2" in body and "Nguyễn Văn Học 7" not in body
    everyone = campus.client("records").get(url("student_list")).content.decode()
    assert "Nguyễn Văn Học 2" in everyone and "Nguyễn Văn Học 7" in everyone


def test_the_cell_names_students_only_to_who_may_see_them(campus: Campus) -> None:
    address = url("retention_cell", campus.k1.pk, 2)
    staff = campus.client("staff").get(address, HTTP_HX_REQUEST="true").content.decode()
    assert "Nghỉ học tạm thời" in staff and "Sức khỏe" in staff
    assert url("cohort", campus.k1.pk) not in staff
    adviser = campus.client("adviser").get(address, HTTP_HX_REQUEST="true").content.decode()
    assert url("cohort", campus.k1.pk) in adviser


def test_every_view_of_personal_details_is_logged(campus: Campus) -> None:
    student = campus.students[2]
    response = campus.client("adviser").get(url("student", student.pk))
    assert "0912000000" in response.content.decode()
    log = PersonalDataView.objects.get()
    assert log.user == campus.users["adviser"] and log.student == student
    campus.client("adviser").get(url("cohort", campus.k1.pk))
    close_response(campus.client("records").get(url("student_list") + "?format=xlsx"))
    assert PersonalDataView.objects.count() == 3
    campus.client("staff").get(url("student", student.pk))  # refused: not logged
    assert PersonalDataView.objects.count() == 3


ACTIONS: list[tuple[str, Callable[[Campus], str], dict[str, str], tuple[int, ...]]] = [
    ("set a quota", lambda c: url("quota_set", c.preschool.pk), {"year": "2026", "quota": "90"},
     (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN, LOGIN)),
    ("record a count", lambda c: url("intake", c.intakes[0].pk),
     {"counted_on": "15/10/2023", "applications": "90", "admitted": "50", "enrolled": "45"},
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN, LOGIN)),
    ("record a change", lambda c: url("student", c.students[3].pk),
     {"kind": "deferred", "happened_on": "01/02/2025", "reason": "military"},
     (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN, LOGIN)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "address", "data", "expected"), ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_action_for_role(
    campus: Campus, role: str, name: str, address: Any, data: dict[str, str],
    expected: tuple[int, ...],
) -> None:  # fmt: skip
    response = campus.client(role).post(address(campus), data)
    assert response.status_code == expected[ROLES.index(role)], f"{name} as {role}"
    written = {
        "set a quota": lambda: Intake.objects.filter(year=2026).exists(),
        "record a count": lambda: campus.intakes[0].counts.count() == 2,
        "record a change": lambda: campus.students[3].changes.exists(),
    }[name]()
    assert written == (expected[ROLES.index(role)] == LOGIN and role != "anonymous")
