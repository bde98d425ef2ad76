"""A staff conference of the `world` school: everyone summoned, the staff member present."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conferences import services
from conferences.kinds import sync_conference_kinds
from conferences.models import Attendance, Conference, ConferenceKind
from conftest import World

# The chair's passphrase for the secret ballots of the tests.
PASSPHRASE = "hòm phiếu kín 2023"


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


@pytest.fixture(autouse=True)
def cheap_ballot_keys(settings: Any) -> None:
    """argon2id at its minimum cost: the tests check the logic, not the hardness."""
    from nacl import pwhash

    settings.BALLOT_KDF_OPSLIMIT = pwhash.argon2id.OPSLIMIT_MIN
    settings.BALLOT_KDF_MEMLIMIT = pwhash.argon2id.MEMLIMIT_MIN
