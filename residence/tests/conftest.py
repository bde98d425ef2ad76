"""The students' campus (students/tests/conftest.py) with a term, a dormitory of two rooms, a
place, two declarations and one link: K1 (advised by `adviser`, the faculty's) has students 2–5
studying, K2 students 7–9."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from residence import links, services
from residence.models import Allocation, Building, DeclarationLink, Room, Term
from students.tests.conftest import ROLES, TODAY, Campus, campus, frozen  # noqa: F401

__all__ = ["ROLES", "Dorm"]


@dataclass
class Dorm:
    campus: Campus
    term: Term
    building: Building
    room: Room  # 2 beds, student 2 in bed 1
    big: Room  # 4 beds, empty
    place: Allocation
    link: DeclarationLink  # student 4's

    def client(self, role: str) -> Any:
        return self.campus.client(role)

    @property
    def users(self) -> dict[str, Any]:
        return self.campus.users


@pytest.fixture
def school_day(monkeypatch: pytest.MonkeyPatch) -> Iterator[dt.date]:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    yield TODAY


@pytest.fixture
def dorm(campus: Campus, school_day: dt.date) -> Dorm:  # noqa: F811
    by = campus.users["leadership"]
    school = campus.world.school
    term = services.save_term(
        Term(
            school=school,
            name="Học kỳ I năm học 2025–2026",
            starts_on=dt.date(2025, 9, 1),
            ends_on=dt.date(2026, 1, 15),
            declare_from=dt.date(2025, 9, 1),
            declare_until=dt.date(2025, 10, 31),
        ),
        by=by,
    )
    building = services.save_building(Building(school=school, name="Nhà A", gender="female"), by=by)
    room = services.save_room(Room(building=building, name="101", capacity=2), by=by)
    big = services.save_room(Room(building=building, name="102", capacity=4), by=by)
    s = campus.students
    place = services.allocate(
        term, s[2], room, priority="ethnic_remote", moved_in_on=dt.date(2025, 9, 1), by=by
    )
    for student, ward in ((s[3], "Phường Đông Kinh"), (s[7], "Phường Tam Thanh")):
        services.declare(
            term,
            student,
            {
                "housing": "rented",
                "address": "Số 5 Bà Triệu",
                "ward": ward,
                "province": "Lạng Sơn",
                "landlord": "Hoàng Văn Lâm",
                "landlord_phone": "0912345678",
            },
            source="staff",
            by=by,
            today=TODAY,
        )
    [link] = links.issue(term, [s[4]], by=by)
    return Dorm(campus, term, building, room, big, place, link)
