"""The occupancy and declaration rates (value, day) for a plan's targets, and list pages that
cost the same number of queries for a few students or many."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import commit
from residence import figures, services
from residence.tests.conftest import TODAY, Dorm
from students import services as student_services
from students.models import Student


def test_occupancy_and_declaration_rate(dorm: Dorm) -> None:
    school = dorm.campus.world.school
    # 1 bed taken of 6; 6 studying off campus (3, 4, 5, 7, 8, 9), 2 declared.
    assert figures.occupancy(school, dorm.term) == (Decimal("16.7"), TODAY)
    assert figures.declaration_rate(school, dorm.term) == (Decimal("33.3"), TODAY)
    services.leave(dorm.place, on=dt.date(2025, 9, 15), by=dorm.users["records"])
    assert figures.occupancy(school, dorm.term) == (Decimal("0.0"), TODAY)
    # Student 2 is now off campus too, and has not declared.
    assert figures.declaration_rate(school, dorm.term)[0] == Decimal("28.6")
    assert figures.declaration_rate(dorm.campus.world.other_school) == (None, TODAY)


def test_a_move_keeps_one_place(dorm: Dorm) -> None:
    moved = services.move(dorm.place, dorm.big, on=dt.date(2025, 10, 1), by=dorm.users["records"])
    assert figures.placed(dorm.term).get() == moved and moved.bed == 1
    dorm.place.refresh_from_db()
    assert dorm.place.left_on == dt.date(2025, 10, 1)


def _more_students(dorm: Dorm, n: int) -> None:
    by = dorm.users["leadership"]
    for index in range(n):
        student = student_services.save_student(
            Student(
                school=dorm.campus.world.school,
                cohort=dorm.campus.k1,
                code=f"X{index:03d}",
                full_name=f"Lê Văn Mới {index}",
                birth_date=dt.date(2005, 2, 1),
                entered_on=dorm.campus.k1.starts_on,
            ),
            by=by,
        )
        if index % 2:
            services.declare(
                dorm.term,
                student,
                {
                    "housing": "family",
                    "address": "Thôn Bản",
                    "ward": "Xã Mai Pha",
                    "province": "Lạng Sơn",
                },
                source="staff",
                by=by,
                today=TODAY,
            )
        elif index < 3:
            services.allocate(
                dorm.term,
                student,
                dorm.big,
                priority="first_year",
                moved_in_on=dt.date(2025, 9, 1),
                by=by,
            )


PAGES = ["home", "dormitory", "allocations", "declarations", "wards", "links"]


def _counts(dorm: Dorm) -> dict[str, int]:
    client = dorm.client("records")
    counts = {}
    for page in PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"residence:{page}") + f"?term={dorm.term.pk}")
        assert response.status_code == 200
        counts[page] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_students(dorm: Dorm) -> None:
    commit()
    few = _counts(dorm)
    _more_students(dorm, 40)
    commit()  # the overview's figures are computed again, as after any committed change
    many = _counts(dorm)
    assert many == few
    assert max(few.values()) <= 30
