"""The log of who saw students' personal details: the leadership and the student affairs office
read their own school's, nobody else; the views of the named pages appear in it; bad input is no
error; it costs the same with many entries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from students.models import PersonalDataView
from students.tests.conftest import ROLES, Campus

URL = "/students/personal-data-log/"
# anonymous, outsider (another school's leader: their own school's log), officer, staff,
# adviser, faculty head, records office, leadership
EXPECTED = (302, 200, 403, 403, 403, 403, 200, 200)


@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, EXPECTED, strict=True)))
def test_who_may_read_the_log(campus: Campus, role: str, status: int) -> None:
    assert reverse("students:personal_data_log") == URL
    campus.client("adviser").get(reverse("students:cohort", args=[campus.k1.pk]))
    response = campus.client(role).get(URL)
    assert response.status_code == status
    if role == "outsider":  # their own school's log: nothing of this school
        assert "Lê Thị Bình" not in response.content.decode()


def test_the_views_of_named_pages_are_listed_with_who_and_what(campus: Campus) -> None:
    campus.client("adviser").get(reverse("students:cohort", args=[campus.k1.pk]))
    student = campus.students[2]
    campus.client("faculty_head").get(reverse("students:student", args=[student.pk]))
    body = campus.client("records").get(URL).content.decode()
    assert "Lê Thị Bình" in body and "Xem danh sách lớp" in body and "CĐMN-K1" in body
    assert "Vũ Thị Dung" in body and "Xem hồ sơ người học" in body and student.full_name in body
    # Reading the log shows names: that is written down too.
    assert PersonalDataView.objects.filter(what="Xem nhật ký truy cập dữ liệu cá nhân").exists()
    home = campus.client("records").get(reverse("students:home")).content.decode()
    assert URL in home
    assert URL not in campus.client("staff").get(reverse("students:home")).content.decode()


@pytest.mark.parametrize("query", ["?page=abc", "?page=-1", "?page=99999", "?page=%00"])
def test_bad_pages_are_no_error(campus: Campus, query: str) -> None:
    assert campus.client("leadership").get(URL + query).status_code == 200


def test_the_log_costs_the_same_with_many_entries(campus: Campus) -> None:
    client: Any = campus.client("leadership")
    client.get(URL)
    campus.client("adviser").get(reverse("students:student", args=[campus.students[1].pk]))
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for student in campus.students[:6]:
        for role in ("adviser", "faculty_head", "records"):
            campus.client(role).get(reverse("students:student", args=[student.pk]))
    assert PersonalDataView.objects.count() >= 20
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
