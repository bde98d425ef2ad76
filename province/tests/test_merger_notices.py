"""Who is told when a merger is carried out (province.notices.school_merged): the old school's
staff who moved (their own positions at the new school), the new school's leadership and clerks
(how much moved in), the recording Sở's officers; each once, nobody else, no one's name, nothing
on a dry run or a refused merger."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from conftest import make_person
from core.errors import DomainError
from notifications.models import Notification, NotificationKind
from organisations.models import Organisation, Person, Role
from province import mergers
from province.models import SchoolChange
from province.tests.conftest import Province
from province.tests.test_mergers import DAY, DECISION, _merge, _students

KIND = NotificationKind.SCHOOL_MERGED


@pytest.fixture
def concerned(province: Province) -> dict[str, Any]:
    """Besides the world's people: the new college's principal, clerk and a plain lecturer, the
    Sở's director (leadership) and a lecturer of the third school."""
    college = province.college
    office = Organisation.objects.create(name="Phòng Đào tạo", kind="office", parent=college)
    users = {
        "new_leader": make_person(
            college, college, "Lương Văn Tân", "new_leader", "Hiệu trưởng", Role.LEADERSHIP
        )[1],
        "new_clerk": make_person(
            college, office, "Đinh Thị Lan", "new_clerk", "Văn thư", Role.CLERK
        )[1],
        "new_member": make_person(
            college, office, "Mã Văn Hùng", "new_member", "Giảng viên", Role.MEMBER
        )[1],
        "director": make_person(
            province.sgd, province.sgd, "Nông Văn Quang", "director", "Giám đốc", Role.LEADERSHIP
        )[1],
    }
    return users


def _told(kind: str = KIND) -> dict[str, list[Notification]]:
    found: dict[str, list[Notification]] = {}
    for notification in Notification.objects.filter(kind=kind).select_related("user"):
        found.setdefault(notification.user.username, []).append(notification)
    return found


def test_each_concerned_person_is_told_once_and_nobody_else(
    province: Province, concerned: dict[str, Any]
) -> None:
    world = province.world
    _students(province)
    outcome = _merge(province)
    change = SchoolChange.objects.get(school=world.school)
    assert outcome.change == change

    told = _told()
    old_staff = {"leadership", "unit_head", "staff", "clerk"}
    assert set(told) == old_staff | {"new_leader", "new_clerk", "director"}
    assert all(len(notes) == 1 for notes in told.values())
    # Not told: the officer who recorded it, the Sở's plain member, the new college's lecturer,
    # the other school's principal.
    for username in ("officer", "sgd_member", "new_member", "outsider"):
        assert username not in told
    # Nothing of another kind was written by the merger either.
    assert not Notification.objects.exclude(kind=KIND).exists()

    decision_url = reverse("documents:document_detail", args=[change.decision_id])
    # The old school's staff: their own positions at the new school, from the merger's day.
    lecturer = told["staff"][0]
    assert lecturer.title == "CĐ Mẫu sáp nhập vào Trường Cao đẳng Thứ Hai"
    assert "Quyết định số 1234/QĐ-UBND, từ ngày 27/08/2025" in lecturer.body
    assert "Vị trí công tác của bạn tại trường mới: Giảng viên – Tổ Toán." in lecturer.body
    assert lecturer.url == decision_url
    assert lecturer.source_id == change.pk
    clerk = told["clerk"][0]
    assert "Văn thư – Phòng Đào tạo" in clerk.body and "Đã chuyển sang" not in clerk.body
    principal = told["leadership"][0].body
    assert "Hiệu trưởng – Trường Cao đẳng Thứ Hai" in principal
    assert "Hiệu trưởng – Ban Giám hiệu" in principal

    # The new college's leadership and clerks: the counts of what moved in.
    for username in ("new_leader", "new_clerk"):
        note = told[username][0]
        assert "Trường Cao đẳng Mẫu sáp nhập vào trường" in note.body
        assert (
            "Đã chuyển sang: 4 cán bộ, viên chức; 3 nhiệm vụ đang thực hiện; 2 người học; "
            "3 đơn vị mới được lập."
        ) in note.body
        assert "Vị trí công tác" not in note.body
        assert note.url == decision_url
    # The Sở's other officer: the same counts, a link to the Sở's mergers.
    director = told["director"][0]
    assert "sáp nhập vào Trường Cao đẳng Thứ Hai" in director.body
    assert "4 cán bộ, viên chức" in director.body
    assert director.url == reverse("province:merger_list")

    # No one's name, no student in any message (titles and units only).
    names = set(Person.objects.values_list("full_name", flat=True)) | {
        "Hoàng Thị Mai",
        "Lý Văn Nam",
        "SV01",
    }
    for notes in told.values():
        for note in notes:
            assert not any(name in note.title or name in note.body for name in names)


def test_a_dry_run_or_a_refused_merger_tells_nobody(
    province: Province, concerned: dict[str, Any]
) -> None:
    outcome = _merge(province, dry_run=True)
    assert outcome.dry_run and outcome.moved["staff"] == 4
    assert not Notification.objects.exists()
    with pytest.raises(DomainError):
        _merge(province, into=province.world.school)  # into itself
    assert not Notification.objects.exists()
    _merge(province)
    assert Notification.objects.filter(kind=KIND).exists()
    # A second merger is refused: nobody is told twice.
    count = Notification.objects.count()
    with pytest.raises(DomainError):
        _merge(province)
    assert Notification.objects.count() == count


def test_recorded_by_the_administrator_no_body_is_told(
    province: Province, concerned: dict[str, Any]
) -> None:
    admin = get_user_model().objects.create_superuser("root", password="x-root")
    _merge(province, body=None, by=admin)
    told = _told()
    assert set(told) == {"leadership", "unit_head", "staff", "clerk", "new_leader", "new_clerk"}


def test_a_moved_person_who_now_leads_the_new_school_is_told_once(
    province: Province, concerned: dict[str, Any]
) -> None:
    """The old principal becomes a leader of the new college (the board is matched): one
    notification, about their own move, not a second with the counts."""
    _merge(province)
    notes = Notification.objects.filter(user=province.world.users["leadership"], kind=KIND)
    assert notes.count() == 1
    assert "Vị trí công tác của bạn" in notes.get().body


def test_merging_into_a_new_school_tells_the_moved_staff_and_the_sgd(
    province: Province, concerned: dict[str, Any]
) -> None:
    mergers.merge_school(
        province.world.school,
        new_school=mergers.NewSchool(name="Trường Cao đẳng Mới"),
        decision=DECISION,
        effective_on=DAY,
        body=province.sgd,
        by=province.users["officer"],
    )
    told = _told()
    # The new school has no one but those who moved in: they hear of their own move.
    assert set(told) == {"leadership", "unit_head", "staff", "clerk", "director"}
    assert all(len(notes) == 1 for notes in told.values())
    assert "Trường Cao đẳng Mới" in told["staff"][0].body


def test_staff_may_turn_the_merger_e_mails_off(province: Province) -> None:
    """The kind is one a person chooses on the preferences page like the others."""
    client = province.world.client("staff")
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    assert "Sáp nhập trường: quyết định được thực hiện" in response.content.decode()
