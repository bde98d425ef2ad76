"""The early warnings in the API, with the pages' rules: the figures by class for every member of
the school, the warned students by name only for the classes the pages show the caller (the
adviser their class, the faculty's head its programmes, the office and the leadership all),
every list logged; bad parameters refused with 4xx, never a 500; the cost does not grow with
the number of warnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from api.services import create_token
from students import alerts, services
from students.models import (
    AcademicWarning,
    Cohort,
    PersonalDataView,
    Programme,
    Student,
    TermResult,
)
from students.tests.conftest import Campus
from students.tests.test_warnings import warned  # noqa: F401  (the fixture)


def call(campus: Campus, role: str, url: str) -> Any:
    if role == "anonymous":
        return Client().get(url)
    secret = create_token(campus.users[role], name="cảnh báo")[1]
    return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")


NAMES_SEEN = {
    "outsider": None,
    "officer": None,
    "staff": None,
    "adviser": {"SV002", "SV004"},
    "faculty_head": {"SV002", "SV004"},
    "records": {"SV002", "SV004", "SV007"},
    "leadership": {"SV002", "SV004", "SV007"},
}


@pytest.mark.parametrize("role", ["anonymous", *NAMES_SEEN])
def test_the_warned_students_by_name_only_for_those_the_pages_show_them_to(
    warned: Campus,  # noqa: F811
    role: str,
) -> None:
    response = call(warned, role, "/api/students/warnings?school_year=2024&semester=1")
    if role == "anonymous":
        assert response.status_code == 401
        return
    seen = NAMES_SEEN[role]
    if seen is None:
        assert response.status_code == 403, response.content
        assert "Nguyễn Văn Học" not in response.content.decode()
        assert not PersonalDataView.objects.filter(user=warned.users[role]).exists()
        return
    assert response.status_code == 200, response.content
    data = response.json()
    assert {row["student_code"] for row in data["items"]} == seen
    assert data["count"] == len(seen)
    row = next(r for r in data["items"] if r["student_code"] == "SV002")
    assert row["full_name"] == "Nguyễn Văn Học 2"
    assert row["cohort_code"] == "CĐMN-K1"
    assert row["reasons"][0].startswith("Điểm trung bình học kỳ dưới 1")
    assert row["status"] == "open"
    log = PersonalDataView.objects.get(user=warned.users[role])
    assert log.rows == len(seen) and "API" in log.what


@pytest.mark.parametrize(
    ("role", "warned_count"),
    [("outsider", 0), ("officer", 0), ("staff", 3), ("adviser", 3), ("records", 3)],
)
def test_the_figures_for_every_member_without_a_name(
    warned: Campus,  # noqa: F811
    role: str,
    warned_count: int,
) -> None:
    response = call(warned, role, "/api/students/warnings/summary")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["warned"] == warned_count
    assert "Nguyễn Văn Học" not in response.content.decode()
    assert not PersonalDataView.objects.exists()
    if warned_count:
        assert (data["school_year"], data["semester"], data["terms"]) == (2024, 1, ["2024-1"])
        by_code = {c["cohort_code"]: c for c in data["cohorts"]}
        assert by_code["CĐMN-K1"]["warned"] == 2 and by_code["CĐMN-K1"]["open"] == 2
        assert by_code["CĐTH-K2"]["warned"] == 1
    else:
        assert data["cohorts"] == [] and data["school_year"] is None


def test_the_summary_counts_by_follow_up_state_and_term(warned: Campus) -> None:  # noqa: F811
    warning = AcademicWarning.objects.get(student__code="SV004")
    alerts.record_outcome(
        warning, outcome="Đã gặp gia đình", on=dt.date(2025, 3, 1), by=warned.users["records"]
    )
    data = call(warned, "staff", "/api/students/warnings/summary?school_year=2024&semester=1")
    k1 = next(c for c in data.json()["cohorts"] if c["cohort_code"] == "CĐMN-K1")
    assert (k1["open"], k1["closed"], k1["following"]) == (1, 1, 0)
    other = call(warned, "staff", "/api/students/warnings/summary?school_year=2023&semester=2")
    assert other.status_code == 200 and other.json()["warned"] == 0
    # A part of the semester left out: the latest semester with warnings that matches the rest.
    for query, term in (("school_year=2024", 2024), ("semester=1", 2024), ("semester=2", None)):
        data = call(warned, "staff", f"/api/students/warnings/summary?{query}").json()
        assert data["school_year"] == term, query


def test_filters_by_class_and_status_and_another_schools_class_gives_nothing(
    warned: Campus,  # noqa: F811
) -> None:
    base = "/api/students/warnings?school_year=2024&semester=1"
    k2 = call(warned, "records", f"{base}&cohort={warned.k2.pk}").json()
    assert [r["student_code"] for r in k2["items"]] == ["SV007"]
    # The adviser asking for a class they do not advise gets none of its students.
    assert call(warned, "adviser", f"{base}&cohort={warned.k2.pk}").json()["items"] == []
    assert call(warned, "records", f"{base}&status=closed").json()["items"] == []
    # Another school with its own warned student: neither side sees the other's.
    other = warned.world.other_school
    outsider = warned.users["outsider"]
    programme = Programme.objects.create(
        school=other, code="51140201", name="Giáo dục Mầm non", level="college", mode="full_time"
    )
    cohort = Cohort.objects.create(
        school=other, programme=programme, code="NGOAI-K1", intake_year=2024,
        starts_on=dt.date(2024, 9, 5),
    )  # fmt: skip
    student = Student.objects.create(
        school=other, cohort=cohort, code="NG001", full_name="Người Ngoài Trường",
        birth_date=dt.date(2005, 1, 1), entered_on=dt.date(2024, 9, 5),
    )  # fmt: skip
    AcademicWarning.objects.create(
        school=other, student=student, school_year=2024, semester=1, reasons=["x"]
    )
    assert call(warned, "records", f"{base}&cohort={cohort.pk}").json()["items"] == []
    assert "NG001" not in call(warned, "leadership", base).content.decode()
    theirs = call(warned, "outsider", base).json()
    assert [r["student_code"] for r in theirs["items"]] == ["NG001"]
    summary = call(warned, "outsider", "/api/students/warnings/summary").json()
    assert summary["warned"] == 1 and summary["cohorts"][0]["cohort_code"] == "NGOAI-K1"
    assert outsider is not None


@pytest.mark.parametrize(
    "query",
    [
        "school_year=abc&semester=1",
        "school_year=2024&semester=9",
        "school_year=99999999999999999999999&semester=1",
        "school_year=2024&semester=1&cohort=-1",
        "school_year=2024&semester=1&cohort=99999999999999999999999",
        "school_year=2024&semester=1&status=bogus",
        "limit=0",
        "limit=100000",
        "offset=-1",
    ],
)
def test_bad_parameters_are_refused_not_a_500(warned: Campus, query: str) -> None:  # noqa: F811
    response = call(warned, "records", f"/api/students/warnings?{query}")
    assert response.status_code == 422, (query, response.content)
    assert response.json()["detail"]
    # The summary reads only the semester: pages, classes and states are not its parameters, and
    # are refused rather than ignored (the client would take the whole school's figures for one
    # class's).
    summary = call(warned, "records", f"/api/students/warnings/summary?{query}")
    assert summary.status_code == 422, (query, summary.content)
    assert summary.json()["detail"].startswith("Dữ liệu gửi lên không hợp lệ")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/students/warnings/summary?school_year=2024&semester=1&cohort=1", "cohort"),
        ("/api/students/warnings/summary?semster=2", "semster"),
        ("/api/students/warnings/summary?limit=5", "limit"),
        ("/api/students/warnings?school_year=2024&semester=1&klass=1", "klass"),
        ("/api/students/headcounts?school_year=2024", "school_year"),
    ],
)
def test_unknown_parameters_are_refused_in_vietnamese(
    warned: Campus,  # noqa: F811
    url: str,
    name: str,
) -> None:
    response = call(warned, "leadership", url)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["errors"] == [{"field": name, "message": "Tham số này không được hỗ trợ ở đây."}]
    assert name in body["detail"]
    assert not PersonalDataView.objects.exists()


def test_known_parameters_still_answer(warned: Campus) -> None:  # noqa: F811
    for url in (
        "/api/students/warnings/summary?school_year=2024&semester=1",
        "/api/students/warnings?school_year=2024&semester=1&status=open&limit=5&offset=0",
        "/api/students/headcounts?limit=5",
    ):
        assert call(warned, "leadership", url).status_code == 200, url


def test_the_list_costs_the_same_with_more_warnings(warned: Campus) -> None:  # noqa: F811
    secret = create_token(warned.users["leadership"], name="cảnh báo")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    urls = ["/api/students/warnings?school_year=2024&semester=1", "/api/students/warnings/summary"]
    for url in urls:
        client.get(url)
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        few[url] = len(captured)
    by = warned.users["leadership"]
    results = []
    for index in range(30):
        cohort = warned.k1 if index % 2 else warned.k2
        student = services.save_student(
            Student(school=warned.world.school, cohort=cohort, code=f"SVX{index:02d}",
                    full_name=f"Hoàng Thị Thêm {index}", birth_date=dt.date(2005, 2, 1),
                    entered_on=cohort.starts_on),
            by=by,
        )  # fmt: skip
        results.append(
            TermResult.objects.create(
                school=warned.world.school, student=student, school_year=2024, semester=1,
                term_average=Decimal("0.5"),
            )
        )  # fmt: skip
    alerts.refresh_warnings(warned.world.school, results, by=by)
    assert AcademicWarning.objects.count() == 33
    for url in urls:
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        assert response.status_code == 200
        assert len(many) == few[url], [q["sql"] for q in many.captured_queries]
    assert client.get(urls[0]).json()["count"] == 33
