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
