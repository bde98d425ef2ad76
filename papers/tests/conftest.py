"""A conference of the `world` school with every part the minutes and resolution report."""

from __future__ import annotations

import datetime as dt

import pytest

from conferences import services
from conferences.models import AgendaItem, Attendance, Conference, ConferenceChair, Opinion
from conferences.tests.conftest import conference  # noqa: F401  (the fixture, reused)
from conftest import World


@pytest.fixture
def meeting(world: World, conference: Conference) -> Conference:  # noqa: F811
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
