"""The demo school's residence (sample data): a term, two dormitory buildings with rooms and
their places (priority groups, one move), off-campus declarations with about a quarter of the
students still missing, two room inspections and a visit, and the links of one class (demo/loader.py
calls every domain's `load_demo`, students' before this one)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from residence import links, services
from residence.figures import off_campus
from residence.models import Building, Inspection, Reference, Room, Source, Term
from residence.seed import sync_references
from students.models import Cohort, Status, Student

TERM = (
    "Học kỳ I năm học 2025–2026",
    dt.date(2025, 9, 8),
    dt.date(2026, 1, 17),
    dt.date(2025, 9, 8),
    dt.date(2025, 10, 15),
)
# A school day inside the declaration window (the browser scenario's).
IN_THE_WINDOW = dt.date(2025, 9, 22)
WARDS = ["Phường Đông Kinh", "Phường Lương Văn Tri", "Phường Tam Thanh", "Phường Kỳ Lừa"]
STREETS = ["Bà Triệu", "Trần Đăng Ninh", "Lê Lợi", "Ngô Quyền", "Tam Thanh", "Phai Vệ"]
LANDLORDS = ["Hoàng Văn Lâm", "Nông Thị Hạnh", "Vi Văn Tài", "Lương Thị Mến"]


def load_demo(plan: Any, loader: Any) -> None:
    sync_references(Reference)
    school, by = plan.school, loader.principal
    name, starts, ends, open_, close = TERM
    term = services.save_term(
        Term(
            school=school,
            name=name,
            starts_on=starts,
            ends_on=ends,
            declare_from=open_,
            declare_until=close,
        ),
        by=by,
    )
    rooms = []
    for building_name, gender, count in (("Nhà A", "female", 8), ("Nhà B", "male", 4)):
        building = services.save_building(
            Building(school=school, name=building_name, gender=gender), by=by
        )
        for number in range(1, count + 1):
            floor = 1 + (number - 1) // 4
            rooms.append(
                services.save_room(
                    Room(building=building, name=f"{floor}{number:02d}", floor=floor, capacity=6),
                    by=by,
                )
            )
    rng = random.Random(27)
    studying = list(
        Student.objects.filter(school=school, status=Status.STUDYING, is_sample=True)
        .select_related("cohort")
        .order_by("pk")
    )
    boarders = rng.sample(studying, min(62, len(studying)))
    places = [room for room in rooms for _bed in range(room.capacity)]
    for student, room in zip(boarders, places[:-6], strict=False):
        priority = (
            "first_year"
            if student.cohort.intake_year == 2025
            else rng.choice(["policy", "ethnic_remote", "ethnic_remote", "other"])
        )
        services.allocate(term, student, room, priority=priority, moved_in_on=starts, by=by)
    first = term.allocations.select_related("room").first()
    if first is not None:
        services.move(first, rooms[-1], on=dt.date(2025, 10, 6), by=by)
    for index, student in enumerate(off_campus(term).order_by("pk")):
        if rng.random() < 0.25:
            continue  # not declared yet
        rented = rng.random() < 0.6
        services.declare(
            term,
            student,
            {
                "housing": "rented" if rented else rng.choice(["family", "relatives"]),
                "address": f"Số {rng.randint(2, 180)} đường {rng.choice(STREETS)}",
                "ward": WARDS[index % len(WARDS)],
                "province": "Lạng Sơn",
                "landlord": rng.choice(LANDLORDS) if rented else "",
                "landlord_phone": f"0912{rng.randint(100000, 999999)}" if rented else "",
                "phone": f"0987{rng.randint(100000, 999999)}",
            },
            source=rng.choice([Source.LINK, Source.LINK, Source.IMPORT]),
            by=by,
            today=dt.date(2025, 9, 20),
        )
    for room, finding, notes in (
        (rooms[0], "good", "Phòng sạch sẽ, nội vụ gọn gàng."),
        (rooms[9], "remarks", "Phơi quần áo ở hành lang; đã nhắc nhở trưởng phòng."),
    ):
        services.record_inspection(
            Inspection(
                term=term,
                kind="room",
                room=room,
                visited_on=dt.date(2025, 10, 20),
                inspectors="Phòng Công tác HSSV",
                finding=finding,
                notes=notes,
            ),
            by=by,
        )
    visited = term.declarations.filter(housing="rented").select_related("student").first()
    if visited is not None:
        services.record_inspection(
            Inspection(
                term=term,
                kind="visit",
                student=visited.student,
                visited_on=dt.date(2025, 11, 5),
                inspectors="Phòng Công tác HSSV, Công an phường",
                finding="good",
                notes="Phòng trọ an toàn, có đăng ký tạm trú.",
            ),
            by=by,
        )
    cohort = Cohort.objects.filter(school=school, adviser__isnull=False).order_by("pk").first()
    if cohort is not None:
        links.issue(term, off_campus(term).filter(cohort=cohort), by=by)
