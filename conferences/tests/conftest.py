"""A staff conference of the `world` school: everyone summoned, the staff member present."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conferences import services
from conferences.kinds import sync_conference_kinds
from conferences.models import Attendance, Conference, ConferenceKind
from conftest import World


@pytest.fixture
def conference(world: World) -> Conference:
    sync_conference_kinds(ConferenceKind)
    by = world.users["clerk"]
    conference = services.create_conference(
        Conference(
            school=world.school,
            kind=ConferenceKind.objects.get(code="hoi-nghi-vien-chuc"),
            title="Hội nghị viên chức và người lao động năm học 2023-2024",
            held_on=dt.date(2023, 9, 26),
            place="Hội trường A",
            plan=world.plan,
            secretary=world.people["clerk"],
        ),
        by=by,
    )
    services.summon_group(
        conference,
        name="toàn thể cán bộ, viên chức và người lao động",
        people=services.select_people(world.school.pk, whole_school=True),
        by=by,
    )
    services.set_status(conference, "in_session", by=by)
    invitation = conference.invitations.get(person=world.people["staff"])
    services.mark_attendance(invitation, attendance=Attendance.PRESENT, by=by)
    return conference


def present(conference: Conference, *people: Any, by: Any = None) -> None:
    for person in people:
        invitation = conference.invitations.get(person=person)
        services.mark_attendance(invitation, attendance=Attendance.PRESENT, by=by)
