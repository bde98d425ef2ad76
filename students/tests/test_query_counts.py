"""The students pages cost the same number of queries with twice and twenty times the students
(each with changes of status, term results and, for the weak ones, a warning), on the first
request after a change (the figures computed) and on the next ones (read from the cache); and a
change shows on the cached pages at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import commit
from planning.models import Task
from students import services, versions
from students.models import AcademicWarning, StatusChange, Student, TermResult
from students.tests.conftest import Campus

BASE = 10  # the campus's students


def grow(campus: Campus, factor: int) -> None:
    """Up to `factor` × the campus's students, split between its two classes: every third has
    left, every student a term result, the weak ones a warning; then the school's figures are
    renewed as an import's commit renews them."""
    school = campus.world.school
    have = Student.objects.filter(school=school).count()
    wanted = BASE * factor - have
    made = Student.objects.bulk_create(
        Student(
            school=school, cohort=campus.k1 if i % 2 else campus.k2, code=f"G{have + i}",
            full_name=f"Người Học {have + i}", name_key=f"nguoihoc{have + i}",
            birth_date=dt.date(2005, 1, 1), entered_on=dt.date(2024, 9, 5),
        )
        for i in range(wanted)
    )  # fmt: skip
    StatusChange.objects.bulk_create(
        StatusChange(student=s, kind="withdrawn", happened_on=dt.date(2025, 1, 6), reason="family")
        for s in made[::3]
    )
    results = TermResult.objects.bulk_create(
        TermResult(
            school=school, student=s, school_year=2024, semester=1,
            term_average=Decimal("0.5") if n % 4 == 0 else Decimal("2.5"),
        )
        for n, s in enumerate(made)
    )  # fmt: skip
    AcademicWarning.objects.bulk_create(
        AcademicWarning(
            school=school, student_id=r.student_id, school_year=2024, semester=1,
            reasons=["Điểm trung bình học kỳ dưới 1: 0,5"],
        )
        for r in results
        if r.term_average < 1
    )  # fmt: skip
    versions.changed(school.pk)
    commit()


PAGES: list[tuple[str, Callable[[Campus], str]]] = [
    ("home", lambda c: reverse("students:home")),
    ("enrolment", lambda c: reverse("students:enrolment")),
    ("retention", lambda c: reverse("students:retention")),
    ("cell", lambda c: reverse("students:retention_cell", args=[c.k1.pk, 2])),
    ("dropout", lambda c: reverse("students:dropout")),
    ("warnings", lambda c: reverse("students:warnings") + "?term=2024-1"),
    ("class", lambda c: reverse("students:cohort", args=[c.k1.pk])),
    ("list", lambda c: reverse("students:student_list")),
]


def counts(client: Any, address: str) -> tuple[int, int]:
    """(queries of the first request, of the next one)."""
    found = []
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        found.append(len(queries))
    return found[0], found[1]


@pytest.mark.parametrize(("name", "address"), PAGES, ids=[p[0] for p in PAGES])
def test_queries_are_the_same_with_2_and_20_times_the_students(
    campus: Campus, name: str, address: Callable[[Campus], str]
) -> None:
    client = campus.client("leadership")
    client.get(reverse("students:home"))  # the session and the membership
    url = address(campus)
    grow(campus, 2)
    base = counts(client, url)
    grow(campus, 20)
    assert Student.objects.filter(school=campus.world.school).count() == 200
    assert counts(client, url) == base
    assert base[0] <= 25


def test_the_warning_list_costs_the_same_with_more_school_tasks(campus: Campus) -> None:
    """The follow-up's choice of the school's tasks: a university's plan has hundreds."""
    grow(campus, 2)
    client = campus.client("leadership")
    url = reverse("students:warnings") + "?term=2024-1"
    before = counts(client, url)
    plan = campus.world.plan
    Task.objects.bulk_create(Task(plan=plan, title=f"Nhiệm vụ {n}", order=n) for n in range(40))
    assert counts(client, url) == before


def _table(html: bytes, name: str) -> str:
    return html.decode().split(f'id="{name}"')[1].split("</table>")[0]


def test_the_cached_matrix_and_scale_show_a_change_at_once(campus: Campus) -> None:
    commit()
    client = campus.client("leadership")
    retention, home = reverse("students:retention"), reverse("students:home")
    client.get(retention)
    client.get(home)
    before = _table(client.get(retention).content, "matrix")
    scale = _table(client.get(home).content, "scale")
    # K2 has 4 students, all studying: "4" in its first cell, 100% now.
    student = campus.students[7]
    services.record_change(
        student, kind="withdrawn", happened_on=dt.date(2025, 3, 1), reason="financial",
        by=campus.users["records"],
    )  # fmt: skip
    assert _table(client.get(retention).content, "matrix") == before  # not committed yet
    commit()
    after = _table(client.get(retention).content, "matrix")
    k2 = after.split("CĐTH-K2")[1].split("</tr>")[0]
    assert "75%" in before.split("CĐTH-K2")[1].split("</tr>")[0] and "50%" in k2
    assert _table(client.get(home).content, "scale") != scale


def test_the_matrix_names_only_the_classes_the_user_may_see(campus: Campus) -> None:
    url = reverse("students:retention")
    k1 = reverse("students:cohort", args=[campus.k1.pk])
    k2 = reverse("students:cohort", args=[campus.k2.pk])
    adviser = campus.client("adviser").get(url).content.decode()
    assert k1 in adviser and k2 not in adviser
    staff = campus.client("staff").get(url).content.decode()
    assert k1 not in staff and k2 not in staff and "CĐMN-K1" in staff
    records = campus.client("records").get(url).content.decode()
    assert k1 in records and k2 in records
    cell = reverse("students:retention_cell", args=[campus.k1.pk, 1])
    assert f'href="{cell}" hx-get="{cell}"' in staff


def test_the_warning_list_offers_the_school_tasks_escaped_with_the_chosen_one(
    campus: Campus,
) -> None:
    grow(campus, 2)
    plan = campus.world.plan
    task = Task.objects.create(plan=plan, title="Giữ sĩ số <b>& chất lượng</b>", code="9", order=9)
    url = reverse("students:warnings") + f"?term=2024-1&serves={task.pk}"
    body = campus.client("leadership").get(url).content.decode()
    option = f'<option value="{task.pk}" selected>9. Giữ sĩ số &lt;b&gt;&amp; chất lượng&lt;/b&gt;</option>'
    assert option in body and "<b>& chất" not in body
    assert f'<option value="{campus.world.task.pk}">' in body
