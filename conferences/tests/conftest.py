"""A staff conference of the `world` school: everyone summoned, the staff member present; and a
`meeting`, that conference with every part the minutes and resolution report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conferences import services
from conferences.kinds import sync_conference_kinds
from conferences.models import (
    AgendaItem,
    Attendance,
    Conference,
    ConferenceChair,
    ConferenceKind,
    Opinion,
)
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


@pytest.fixture
def meeting(world: World, conference: Conference) -> Conference:
    """Summoned 4 (the school's members), present 3, absent 1 with a reason; two votes."""
    world.school.abbreviation = "CĐM"
    world.school.place = "Lạng Sơn"
    world.school.save()
    by = world.users["clerk"]
    people = world.people
    for role in ("leadership", "clerk"):
        invitation = conference.invitations.get(person=people[role])
        services.mark_attendance(invitation, attendance=Attendance.PRESENT, by=by)
    services.mark_attendance(
        conference.invitations.get(person=people["unit_head"]),
        attendance=Attendance.ABSENT,
        reason="Đi công tác tại Sở",
        by=by,
    )
    ConferenceChair.objects.create(
        conference=conference, person=people["leadership"], capacity="Hiệu trưởng", order=1
    )
    AgendaItem.objects.create(
        conference=conference,
        order=1,
        kind="report",
        title="Báo cáo kết quả năm học và phương hướng năm học mới",
        presenter=people["leadership"],
        presenter_title="Hiệu trưởng",
        summary="Nêu 03 kết quả nổi bật của năm học.",
    )
    opinion: Opinion = services.submit_opinion(
        conference,
        author=people["staff"],
        anonymous=False,
        topic="Chuyển đổi số",
        content="Đề nghị số hóa hồ sơ sinh viên",
    )
    services.answer_opinion(
        opinion,
        kind="explained",
        answer="Đã có trong kế hoạch chuyển đổi số",
        by=world.users["leadership"],
    )
    vote = services.add_vote_item(conference, title="Thông qua quy chế chi tiêu nội bộ", by=by)
    services.record_show_of_hands(vote, yes=2, no=1, abstain=0, by=by)
    resolution = services.add_vote_item(
        conference, title="Thông qua nghị quyết hội nghị", is_resolution=True, by=by
    )
    services.record_show_of_hands(resolution, yes=3, no=0, abstain=0, by=by)
    services.record_conclusion(
        conference,
        text="Rà soát định mức giờ giảng của các khoa",
        lead_unit=world.office,
        due_date=dt.date(2024, 7, 31),
        by=world.users["leadership"],
    )
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
