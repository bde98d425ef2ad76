"""The residence pages cost the same number of queries with twice and twenty times the students
(placed in the dormitory or declared off campus), on the first request after a change and on
the next ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import commit
from residence.models import Allocation, Declaration, Room
from residence.tests.conftest import Dorm
from students import versions
from students.models import Cohort, Student


def grow(dorm: Dorm, factor: int) -> None:
    """Up to `factor` × 10 students: one in eight placed in a new room, half of the others
    declared off campus."""
    school = dorm.campus.world.school
    have = Student.objects.filter(school=school).count()
    made = Student.objects.bulk_create(
        Student(
            school=school, cohort=dorm.campus.k1 if i % 2 else dorm.campus.k2, code=f"R{have + i}",
            full_name=f"Người Ở {have + i}", name_key=f"nguoio{have + i}",
            birth_date=dt.date(2005, 1, 1), entered_on=dt.date(2024, 9, 5),
        )
        for i in range(10 * factor - have)
    )  # fmt: skip
    placed = made[::8]
    rooms = Room.objects.bulk_create(
        Room(building=dorm.building, name=f"R{have}-{n}", capacity=1) for n in range(len(placed))
    )
    Allocation.objects.bulk_create(
        Allocation(
            term=dorm.term, student=s, room=r, bed=1, priority="other",
            moved_in_on=dt.date(2025, 9, 1),
        )
        for s, r in zip(placed, rooms, strict=True)
    )  # fmt: skip
    Declaration.objects.bulk_create(
        Declaration(
            term=dorm.term, student=s, housing="family", address="Thôn Bản", ward=f"Xã {n % 5}",
            province="Lạng Sơn", declared_at=timezone.now(), source="staff",
        )
        for n, s in enumerate(made)
        if s not in placed and n % 2
    )  # fmt: skip
    versions.changed(school.pk)
    commit()


def more_classes(dorm: Dorm, total: int) -> None:
    """Up to `total` active classes in the school (the new ones without students)."""
    school = dorm.campus.world.school
    have = Cohort.objects.filter(school=school).count()
    Cohort.objects.bulk_create(
        Cohort(
            school=school, programme=dorm.campus.k1.programme, code=f"L{have + i:04d}",
            intake_year=2024, starts_on=dt.date(2024, 9, 5),
        )
        for i in range(total - have)
    )  # fmt: skip
    versions.changed(school.pk)
    commit()


PAGES = [
    "residence:home", "residence:dormitory", "residence:allocations", "residence:declarations",
    "residence:wards", "residence:links",
]  # fmt: skip


def counts(client: Any, address: str) -> tuple[int, int]:
    found = []
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        found.append(len(queries))
    return found[0], found[1]


@pytest.mark.parametrize("page", [*PAGES, "missing", "room"])
def test_queries_are_the_same_with_2_and_20_times_the_students(dorm: Dorm, page: str) -> None:
    term = f"?term={dorm.term.pk}"
    if page == "missing":
        url = reverse("residence:declarations") + term + "&missing=1"
    elif page == "room":
        url = reverse("residence:room", args=[dorm.room.pk]) + term
    else:
        url = reverse(page) + term
    client = dorm.client("records")
    client.get(reverse("residence:home"))
    grow(dorm, 2)
    base = counts(client, url)
    grow(dorm, 20)
    assert Student.objects.filter(school=dorm.campus.world.school).count() == 200
    assert counts(client, url) == base
    assert base[0] <= 30


def test_the_links_page_costs_the_same_with_2_and_120_classes(dorm: Dorm) -> None:
    # Page 2: the last page (the first) with 5 classes, a page of 50 among three with 120.
    url = reverse("residence:links") + f"?term={dorm.term.pk}&page=2"
    client = dorm.client("records")
    client.get(reverse("residence:home"))
    grow(dorm, 2)
    more_classes(dorm, 5)
    base = counts(client, url)
    more_classes(dorm, 120)
    assert counts(client, url) == base
    body = client.get(url).content.decode()
    assert body.count("<tr><td>") == 50 and "2 / 3" in body
    assert base[0] <= 30
