"""The semester's pages cost the same number of queries for a few sections or many."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Person, Position, Role
from workload.models import Lecturer, Section
from workload.tests.conftest import Teaching


def grow(teaching: Teaching, n: int) -> None:
    world = teaching.world
    start = Section.objects.count()
    for i in range(n):
        person = Person.objects.create(full_name=f"Giảng Viên Số {start + i}", school=world.school)
        Position.objects.create(
            person=person, organisation=world.group, title="Giảng viên", role=Role.MEMBER
        )
        lecturer = Lecturer.objects.create(
            person=person, code=f"GX{start + i:04d}", group=world.group
        )
        section = Section.objects.create(
            term=teaching.term, code=f"G-{start + i:04d}", course="Học phần", group=world.group, kind=teaching.lecture,
            units=Decimal(30), class_size=30, hours=Decimal(30), assigned_to=lecturer, manual_to=lecturer,
        )  # fmt: skip
        section.open_to_groups.add(world.faculty)
        section.preferred_by.add(teaching.lecturers[0])


def queries(teaching: Teaching, url: str, role: str) -> int:
    client = teaching.world.client(role)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("page", "role"),
    [("term_detail", "leadership"), ("term_sections", "staff"), ("year_view", "staff")],
)
def test_query_count_does_not_grow(teaching: Teaching, page: str, role: str) -> None:
    url = reverse(f"workload:{page}", args=[teaching.term.pk])
    grow(teaching, 3)
    few = queries(teaching, url, role)
    grow(teaching, 25)
    assert queries(teaching, url, role) == few
