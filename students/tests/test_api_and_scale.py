"""The students API answers figures with the pages' permissions and never a name; the pages and
the API cost the same number of queries for a few students or many."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.services import create_token
from students.models import Cohort, StatusChange, Student
from students.tests.conftest import Campus


def call(url: str, secret: str) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return Client().get(url, **headers)


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", None),
        ("outsider", False),
        ("officer", False),
        ("staff", True),
        ("records", True),
    ],
)
@pytest.mark.parametrize("endpoint", ["programmes", "enrolment", "cohorts"])
def test_api_for_role(campus: Campus, role: str, sees: bool | None, endpoint: str) -> None:
    secret = "" if role == "anonymous" else create_token(campus.users[role], name="báo cáo")[1]
    response = call(f"/api/students/{endpoint}", secret)
    if sees is None:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    data = response.json()
    assert "Nguyễn Văn Học" not in str(data)
    rows = data["intakes"] if endpoint == "enrolment" else data
    assert bool(rows) == sees


def test_api_cohort_figures(campus: Campus) -> None:
    secret = create_token(campus.users["staff"], name="báo cáo")[1]
    k1 = next(c for c in call("/api/students/cohorts", secret).json() if c["code"] == "CĐMN-K1")
    assert (k1["entered"], k1["studying_now"]) == (6, 4)
    assert [t["studying"] for t in k1["terms"]][:2] == [5, 4]
    enrolment = call("/api/students/enrolment", secret).json()
    assert enrolment["benchmark_percent"] == "50.00" or float(enrolment["benchmark_percent"]) == 50


def grow(campus: Campus, n: int) -> None:
    """n more students in each class and a change for every third of them."""
    by = campus.users["leadership"]
    for cohort in (campus.k1, campus.k2):
        made = Student.objects.bulk_create(
            Student(
                school=campus.world.school, cohort=cohort, code=f"X{cohort.pk}-{i}",
                full_name=f"Người Học {i}", name_key=f"nguoihoc{i}", birth_date=dt.date(2005, 1, 1),
                entered_on=cohort.starts_on,
            )
            for i in range(n)
        )  # fmt: skip
        StatusChange.objects.bulk_create(
            StatusChange(
                student=s, kind="withdrawn", happened_on=dt.date(2025, 1, 6), reason="family"
            )
            for s in made[::3]
        )
    assert by is not None


PAGES = [
    ("home", lambda c: reverse("students:home")),
    ("enrolment", lambda c: reverse("students:enrolment")),
    ("retention", lambda c: reverse("students:retention")),
    ("cell", lambda c: reverse("students:retention_cell", args=[c.k1.pk, 3])),
    ("dropout", lambda c: reverse("students:dropout")),
    ("class", lambda c: reverse("students:cohort", args=[c.k1.pk])),
    ("list", lambda c: reverse("students:student_list")),
]


@pytest.mark.parametrize(("name", "address"), PAGES, ids=[p[0] for p in PAGES])
def test_queries_do_not_grow_with_students(
    campus: Campus, name: str, address: Any, django_assert_max_num_queries: Any
) -> None:
    client = campus.client("records")
    client.get(address(campus))  # warm the session and membership
    with CaptureQueriesContext(connection) as few:
        assert client.get(address(campus)).status_code == 200
    grow(campus, 120)
    Cohort.objects.update()  # nothing cached between the two
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(address(campus))
    assert response.status_code == 200
