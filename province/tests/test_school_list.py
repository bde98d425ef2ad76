"""The Sở keeps its own list of schools: its leadership and clerks add a school, correct its name,
short name and kind, stop directing it and take it up again (nothing deleted, all in the history);
a plain member of the Sở reads the list; schools and another Sở's officers cannot touch it; a
stale form answers 409 and bad posts never 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from organisations.models import Organisation, Role, Succession, SuccessionKind
from province import school_list
from province.models import DirectedSchool, SchoolLevel
from province.services import ProvinceError, directed_schools
from province.tests.conftest import Province

OK, FOUND, BAD, FORBIDDEN, NOT_FOUND, CONFLICT = 200, 302, 400, 403, 404, 409


@pytest.fixture
def clients(province: Province) -> dict[str, Client]:
    """The Sở's clerk (`officer`), its director, a plain member; the school's principal and
    staff; another school's leader; another Sở's director."""
    _, province.users["sgd_leader"] = make_person(
        province.sgd, province.sgd, "Trần Văn Sở", "sgd_leader", "Giám đốc Sở", Role.LEADERSHIP
    )
    other = Organisation.objects.create(name="Sở Giáo dục và Đào tạo Khác", kind="department")
    _, province.users["other_sgd"] = make_person(
        other, other, "Lý Văn Khác", "other_sgd", "Giám đốc Sở", Role.LEADERSHIP
    )
    DirectedSchool.objects.create(body=other, school=province.college, level=SchoolLevel.COLLEGE)
    roles = ["officer", "sgd_leader", "sgd_member", "leadership", "staff", "outsider", "other_sgd"]
    return {role: province.client(role) for role in [*roles, "anonymous"]}


def _entry(province: Province) -> DirectedSchool:
    return DirectedSchool.objects.get(body=province.sgd, school=province.college)


def test_who_may_add_and_edit_a_school(province: Province, clients: dict[str, Client]) -> None:
    add = reverse("province:school_add")
    edit = reverse("province:school_edit", args=[_entry(province).pk])
    expected_add = {
        "officer": OK,
        "sgd_leader": OK,
        "sgd_member": FORBIDDEN,
        "leadership": FORBIDDEN,
        "staff": FORBIDDEN,
        "outsider": FORBIDDEN,
        "other_sgd": OK,  # its own list
    }
    expected_edit = {**expected_add, "other_sgd": NOT_FOUND}
    for role, status in expected_add.items():
        assert clients[role].get(add).status_code == status, role
    for role, status in expected_edit.items():
        assert clients[role].get(edit).status_code == status, role
    assert clients["anonymous"].get(edit).status_code == FOUND
    post = {"name": "Đổi tên", "level": "college", "active": "on", "version": "1"}
    for role in ("sgd_member", "leadership", "staff", "outsider", "other_sgd"):
        clients[role].post(edit, post)
        clients[role].post(add, {"name": "Trường lạ", "level": "college"})
    assert Organisation.objects.get(pk=province.college.pk).name == "Trường Cao đẳng Thứ Hai"
    # Only the other Sở's own post went through, into its own list.
    (added,) = DirectedSchool.objects.filter(school__name="Trường lạ")
    assert added.body != province.sgd
    listing = clients["sgd_member"].get(reverse("province:school_list")).content.decode()
    assert "Trường Cao đẳng Thứ Hai" in listing and 'id="school-add"' not in listing
    assert (
        'id="school-add"'
        in clients["officer"].get(reverse("province:school_list")).content.decode()
    )


def test_the_sở_adds_a_school_which_then_receives_its_directives(
    province: Province, clients: dict[str, Client]
) -> None:
    add = reverse("province:school_add")
    assert clients["officer"].post(add, {}).status_code == OK  # nothing posted: the empty form
    for data in ({"name": " ", "level": "college"}, {"name": "X", "level": "nope"}):
        assert clients["officer"].post(add, data).status_code == BAD, data
    response = clients["sgd_leader"].post(
        add,
        {"name": " Trường Trung cấp  Nghề Mẫu ", "short_name": "TC Nghề", "level": "intermediate"},
    )
    assert response.status_code == FOUND
    school = Organisation.objects.get(name="Trường Trung cấp Nghề Mẫu")
    assert school.is_school and school.school_id == school.pk and school.short_name == "TC Nghề"
    entry = DirectedSchool.objects.get(school=school)
    assert entry.body == province.sgd and entry.get_level_display() == "Trung cấp"
    assert school.history.count() >= 1 and entry.history.count() == 1
    assert school in [e.school for e in directed_schools(province.sgd.pk)]
    # The same name again (whatever its case) is refused with a message, not a 500.
    again = clients["officer"].post(add, {"name": "trường trung cấp nghề mẫu", "level": "college"})
    assert again.status_code == BAD and "Danh sách đã có" in again.content.decode()


def test_the_sở_corrects_stops_and_resumes_a_school_with_history_and_stale_forms(
    province: Province, clients: dict[str, Client]
) -> None:
    entry = _entry(province)
    edit = reverse("province:school_edit", args=[entry.pk])
    officer = clients["officer"]
    assert officer.post(edit, {}).status_code == OK
    for data in (
        {"name": "A", "level": "college", "version": "x"},
        {"name": "A", "level": "bad", "version": "1"},
        {"name": "", "level": "college", "version": "1"},
        {"name": "Trường Khác", "level": "college", "version": "99"},
    ):
        assert officer.post(edit, data).status_code in (BAD, CONFLICT), data
    good = {"name": "Trường Cao đẳng Kỹ thuật Mẫu", "short_name": "CĐKT", "level": "college"}
    assert officer.post(edit, {**good, "version": "1"}).status_code == FOUND  # not active: stop
    entry = DirectedSchool.objects.get(pk=entry.pk)
    college = Organisation.objects.get(pk=province.college.pk)
    assert college.name == "Trường Cao đẳng Kỹ thuật Mẫu" and not college.is_archived
    assert entry.is_archived and entry.version == 2
    assert province.college not in [e.school for e in directed_schools(province.sgd.pk)]
    assert college.history.latest().history_change_reason.endswith("sửa tên trường")
    assert entry.history.latest().history_change_reason == "Ngừng chỉ đạo (không xóa)"
    # A form opened before that save: 409, what was typed kept, nothing written.
    stale = clients["sgd_leader"].post(
        edit, {**good, "name": "Tên cũ", "active": "on", "version": "1"}
    )
    assert stale.status_code == CONFLICT and "Tên cũ" in stale.content.decode()
    assert Organisation.objects.get(pk=college.pk).name == "Trường Cao đẳng Kỹ thuật Mẫu"
    page = officer.get(reverse("province:school_list")).content.decode()
    assert 'id="stopped"' in page and "Ngừng chỉ đạo" in page
    assert officer.get(edit).status_code == OK  # the page shows the history
    assert officer.post(edit, {**good, "active": "on", "version": "2"}).status_code == FOUND
    assert not DirectedSchool.objects.get(pk=entry.pk).is_archived
    # Another Sở directing the same school keeps its own entry untouched.
    other = DirectedSchool.objects.exclude(body=province.sgd).get(school=college)
    assert not other.is_archived and other.version == 1


def test_a_merged_school_is_not_taken_up_again(province: Province) -> None:
    entry = _entry(province)
    school_list.edit_school(
        entry, name=entry.school.name, short_name="", level="college", active=False,
        by=province.users["officer"],
    )  # fmt: skip
    Succession.objects.create(
        predecessor=province.college,
        successor=province.world.school,
        kind=SuccessionKind.MERGED,
        effective_on=dt.date(2025, 8, 27),
        carried_out_at=timezone.now(),
    )
    with pytest.raises(ProvinceError, match="sáp nhập"):
        school_list.edit_school(
            DirectedSchool.objects.get(pk=entry.pk), name=entry.school.name, short_name="",
            level="college", active=True, by=province.users["officer"],
        )  # fmt: skip
