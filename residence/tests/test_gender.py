"""A student's gender (from the student list) and the dormitory: a room for women takes no man,
nor a room for men a woman, through the service, the move and the import; a student whose
gender is not known is not refused; a room's own gender wins over its building's."""

from __future__ import annotations

import datetime as dt

import pytest

from residence import excel, services
from residence.models import Allocation, Room
from residence.tests.conftest import Dorm
from residence.tests.test_imports import places
from students import excel as student_excel
from students.models import Student
from students.tests.test_imports import STUDENT_HEADER, workbook


def test_a_man_is_refused_a_room_for_women(dorm: Dorm) -> None:
    student = dorm.campus.students[3]
    Student.objects.filter(pk=student.pk).update(gender="male")
    student.refresh_from_db()
    by = dorm.users["records"]
    with pytest.raises(services.ResidenceError, match="dành cho nữ"):
        services.allocate(dorm.term, student, dorm.big, priority="other",
                          moved_in_on=dt.date(2025, 9, 1), by=by)  # fmt: skip
    men = services.save_room(
        Room(building=dorm.building, name="201", capacity=2, gender="male"), by=by
    )
    place = services.allocate(
        dorm.term, student, men, priority="other", moved_in_on=dt.date(2025, 9, 1), by=by
    )
    with pytest.raises(services.ResidenceError, match="dành cho nữ"):
        services.move(place, dorm.big, on=dt.date(2025, 10, 1), by=by)
    assert Allocation.objects.get(term=dorm.term, student=student, left_on=None).room == men


def test_a_woman_and_a_student_of_unknown_gender_are_placed(dorm: Dorm) -> None:
    by = dorm.users["records"]
    woman, unknown = dorm.campus.students[3], dorm.campus.students[4]
    Student.objects.filter(pk=woman.pk).update(gender="female")
    woman.refresh_from_db()
    for student in (woman, unknown):
        services.allocate(dorm.term, student, dorm.big, priority="other",
                          moved_in_on=dt.date(2025, 9, 1), by=by)  # fmt: skip
    assert Allocation.objects.filter(room=dorm.big).count() == 2


def test_the_import_of_places_names_the_row(dorm: Dorm) -> None:
    Student.objects.filter(code="SV003").update(gender="male")
    result = excel.read_allocations(
        dorm.term, places([["SV003", "", "", "Nhà A", "102", 1, "Khác", "01/09/2025"]])
    )
    assert [(row, column) for row, column, _m in result.errors] == [(2, "Phòng")]
    assert "dành cho nữ" in result.errors[0][2]


def test_the_student_list_gives_the_gender_and_a_list_without_it_keeps_it(dorm: Dorm) -> None:
    school, by = dorm.campus.world.school, dorm.users["records"]
    row = ["SV003", "Nguyễn Văn Học 3", "04/01/2005", "CĐMN-K1", None, "Lạng Sơn", "0912000000"]
    with_gender = workbook("Người học", [*STUDENT_HEADER, "Giới tính"], [[*row, "Nam"]])
    result = student_excel.read_students(school, with_gender)
    assert [r.action for r in result.rows] == ["update"]
    assert result.rows[0].changes == [("Giới tính", "", "Nam")]
    student_excel.import_students(school, with_gender, by=by)
    assert Student.objects.get(code="SV003").gender == "male"
    without = workbook("Người học", STUDENT_HEADER, [row])
    assert [r.action for r in student_excel.read_students(school, without).rows] == ["unchanged"]
    bad = workbook("Người học", [*STUDENT_HEADER, "Giới tính"], [[*row, "Khác lạ"]])
    assert [c for _r, c, _m in student_excel.read_students(school, bad).errors] == ["Giới tính"]


def test_a_room_or_building_is_not_given_to_one_gender_over_someone_living_there(
    dorm: Dorm,
) -> None:
    """A man placed in a room of no gender in a building of none; then neither the room nor the
    building may become women's while he lives there; once he has left, they may."""
    by = dorm.users["records"]
    building = services.save_building(
        dorm.building.__class__(school=dorm.building.school, name="Nhà B"), by=by
    )
    room = services.save_room(Room(building=building, name="301", capacity=2), by=by)
    student = dorm.campus.students[3]
    Student.objects.filter(pk=student.pk).update(gender="male")
    student.refresh_from_db()
    place = services.allocate(dorm.term, student, room, priority="other",
                              moved_in_on=dt.date(2025, 9, 1), by=by)  # fmt: skip
    room.gender = "female"
    with pytest.raises(services.ResidenceError, match=r"đang có .*nam, phòng 301"):
        services.save_room(room, by=by)
    building.gender = "female"
    with pytest.raises(services.ResidenceError, match="Nhà B đang có"):
        services.save_building(building, by=by)
    room.gender = "male"
    services.save_room(room, by=by)  # his room is men's: the building may be women's now
    services.save_building(building, by=by)

    services.leave(place, on=dt.date(2025, 10, 1), by=by)
    room.gender = "female"
    services.save_room(room, by=by)


def test_a_place_already_held_imports_again_unchanged(dorm: Dorm) -> None:
    """Genders loaded after the places were made: the term's list imported again changes
    nothing and is not refused for a place nothing would write."""
    held = Allocation.objects.get(pk=dorm.place.pk)
    Student.objects.filter(pk=held.student_id).update(gender="male")
    student = Student.objects.get(pk=held.student_id)
    row = [
        student.code,
        "",
        "",
        "Nhà A",
        held.room.name,
        held.bed,
        "Dân tộc thiểu số ở vùng sâu, vùng xa",
        "01/09/2025",
    ]
    result = excel.read_allocations(dorm.term, places([row]))
    assert result.errors == [] and [r.action for r in result.rows] == ["unchanged"]
