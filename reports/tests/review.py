"""The review step's people: a vice-principal who drafts the school's report, a deputy head of the
office who drafts the office's, and an officer of the Sở GD&ĐT (no school of theirs)."""

from __future__ import annotations

from typing import Any

from conftest import World, make_person
from notifications.models import Notification
from organisations.models import Organisation, Position, Role


def add_reviewers(world: World) -> World:
    for role, (unit, name, title, kind) in {
        "vice": (world.school, "Trần Văn Phó", "Phó Hiệu trưởng", Role.LEADERSHIP),
        "deputy": (world.office, "Đặng Thị Phó", "Phó Trưởng phòng", Role.DEPUTY),
    }.items():
        world.people[role], world.users[role] = make_person(
            world.school, unit, name, role, title, kind
        )
    sgd = Organisation.objects.create(name="Sở Giáo dục và Đào tạo Mẫu", kind="department")
    world.people["officer"], world.users["officer"] = make_person(
        sgd, sgd, "Cán Bộ Sở", "officer", "Giám đốc Sở", Role.LEADERSHIP
    )
    return world


def principal(world: World) -> Position:
    return Position.objects.get(person=world.people["leadership"], organisation=world.school)


def told(kind: str) -> list[Any]:
    """The users told of `kind`, in the order they were told."""
    return [n.user for n in Notification.objects.filter(kind=kind).order_by("pk")]
