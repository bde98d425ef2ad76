from __future__ import annotations

import datetime as dt

from django.urls import reverse

from conftest import World
from organisations import services
from organisations.membership import compute_membership
from organisations.models import Organisation, Position


def test_unit_head_heads_the_whole_subtree(world: World) -> None:
    Position.objects.create(
        person=world.people["unit_head"],
        organisation=world.faculty,
        title="Phó trưởng khoa",
        role="deputy",
    )
    membership = compute_membership(world.users["unit_head"])
    assert membership.heads_unit(world.office.pk)
    assert membership.heads_unit(world.group.pk)  # under the faculty
    assert not membership.is_leadership


def test_leadership_heads_every_unit_of_its_school_only(world: World) -> None:
    membership = compute_membership(world.users["leadership"])
    assert membership.heads_unit(world.group.pk)
    other_unit = Organisation.objects.get(name="Phòng Khác")
    assert not membership.heads_unit(other_unit.pk)


def test_ended_position_gives_no_rights(world: World) -> None:
    position = world.people["unit_head"].positions.get()
    services.end_position(position, on=dt.date(2020, 1, 1), by=world.users["leadership"])
    assert not compute_membership(world.users["unit_head"]).heads_unit(world.office.pk)


def test_rename_keeps_the_former_name(world: World) -> None:
    services.rename_organisation(
        world.office,
        name="Phòng Đào tạo và Công tác sinh viên",
        short_name="Phòng ĐT&CTSV",
        effective_on=dt.date(2024, 1, 1),
        by=world.users["leadership"],
    )
    assert world.office.name_on(dt.date(2023, 9, 26)) == "Phòng Đào tạo"
    assert world.office.name_on(dt.date(2024, 3, 1)) == "Phòng Đào tạo và Công tác sinh viên"
    page = (
        world.client("staff")
        .get(reverse("organisations:organisation_detail", args=[world.office.pk]))
        .content.decode()
    )
    assert "Tên gọi trước đây" in page and "Phòng Đào tạo (" in page


def test_merger_keeps_the_old_school_and_its_plans(world: World) -> None:
    successor = Organisation.objects.create(name="Trường Cao đẳng Hợp nhất", kind="school")
    services.record_succession(
        world.school, successor, effective_on=dt.date(2025, 8, 27), by=world.users["leadership"]
    )
    world.school.refresh_from_db()
    assert world.school.valid_to == dt.date(2025, 8, 26)
    assert world.plan.school == world.school
    page = (
        world.client("staff")
        .get(reverse("organisations:organisation_detail", args=[world.school.pk]))
        .content.decode()
    )
    assert "Trường Cao đẳng Hợp nhất" in page


def test_leadership_adds_a_second_position(world: World) -> None:
    response = world.client("leadership").post(
        reverse("organisations:position_add", args=[world.people["staff"].pk]),
        {
            "organisation": world.faculty.pk,
            "title": "Phó trưởng khoa",
            "role": "deputy",
            "valid_from": "2023-09-01",
        },
    )
    assert response.status_code == 302
    assert compute_membership(world.users["staff"]).heads_unit(world.group.pk)
    page = (
        world.client("staff")
        .get(reverse("organisations:person_detail", args=[world.people["staff"].pk]))
        .content.decode()
    )
    assert "Giảng viên" in page and "Phó trưởng khoa" in page


def test_position_outside_the_school_is_refused(world: World) -> None:
    other_unit = Organisation.objects.get(name="Phòng Khác")
    response = world.client("leadership").post(
        reverse("organisations:position_add", args=[world.people["staff"].pk]),
        {"organisation": other_unit.pk, "title": "X", "role": "member"},
    )
    assert response.status_code == 400


def test_tree_shows_units_and_heads(world: World) -> None:
    page = world.client("staff").get(reverse("organisations:tree")).content.decode()
    assert "Tổ Toán" in page and "Trưởng phòng: Nguyễn Thị Phương Loan" in page
