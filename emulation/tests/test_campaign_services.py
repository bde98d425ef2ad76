"""Launching the campaign (on its own, from a conference's launch, or received from the level
above), its timetable's checks, and its council."""

from __future__ import annotations

import datetime as dt

import pytest

from conferences.kinds import sync_conference_kinds
from conferences.models import Conference, ConferenceKind, EmulationLaunch
from conftest import World
from emulation.models import Campaign, CampaignStatus, CouncilMember, CouncilRole
from emulation.services import campaigns as services
from emulation.services.common import EmulationError
from emulation.tests.conftest import Cycle
from notifications.models import Notification, NotificationKind
from organisations.models import Organisation


def launch_at_conference(world: World, school: Organisation | None = None) -> EmulationLaunch:
    sync_conference_kinds(ConferenceKind)
    conference = Conference.objects.create(
        school=school or world.school,
        kind=ConferenceKind.objects.get(code="hoi-nghi-vien-chuc"),
        title="Hội nghị viên chức năm học 2023-2024",
        held_on=dt.date(2023, 9, 26),
        plan=world.plan if school is None else None,
    )
    return EmulationLaunch.objects.create(
        conference=conference,
        launched_by=world.people["leadership"],
        campaign="Thi đua “Dạy tốt – Học tốt” năm học 2023-2024",
        audience="toàn thể cán bộ, viên chức, người lao động và HSSV",
        content="Hoàn thành 100% nhiệm vụ đúng hạn.",
    )


def test_a_campaign_from_the_conference_launch_takes_its_words_dates_and_plan(
    world: World,
) -> None:
    launch = launch_at_conference(world)
    campaign = services.new_campaign(world.school, launch=launch)
    assert campaign.start_year == 2023
    assert campaign.name == "Thi đua “Dạy tốt – Học tốt” năm học 2023-2024"
    assert campaign.criteria == "Hoàn thành 100% nhiệm vụ đúng hạn."
    assert campaign.launched_on == dt.date(2023, 9, 26)
    assert campaign.registration_opens == dt.date(2023, 9, 26)
    services.save_campaign(campaign, by=world.users["leadership"])
    saved = Campaign.objects.get(pk=campaign.pk)
    assert saved.plan == world.plan and saved.launch == launch
    assert saved.status == CampaignStatus.DRAFT
    assert saved.history.first().history_user == world.users["leadership"]


def test_another_schools_launch_is_refused(world: World) -> None:
    launch = launch_at_conference(world, school=world.other_school)
    campaign = services.new_campaign(world.school, start_year=2023)
    campaign.launch = launch
    with pytest.raises(EmulationError, match="trường khác"):
        services.save_campaign(campaign, by=world.users["leadership"])


def test_one_campaign_per_school_year(world: World) -> None:
    by = world.users["leadership"]
    services.save_campaign(services.new_campaign(world.school, start_year=2023), by=by)
    with pytest.raises(EmulationError, match="đã có phong trào"):
        services.save_campaign(services.new_campaign(world.school, start_year=2023), by=by)
    services.save_campaign(services.new_campaign(world.school, start_year=2024), by=by)


@pytest.mark.parametrize(
    ("field", "day", "message"),
    [
        ("registration_closes", dt.date(2023, 9, 1), "đăng ký thi đua"),
        ("self_assessment_opens", dt.date(2023, 10, 1), "sau khi hết hạn đăng ký"),
        ("unit_review_by", dt.date(2024, 4, 1), "đơn vị họp xét"),
    ],
)
def test_the_timetable_must_run_in_order(
    world: World, field: str, day: dt.date, message: str
) -> None:
    campaign = services.new_campaign(world.school, start_year=2023)
    setattr(campaign, field, day)
    with pytest.raises(EmulationError, match=message):
        services.save_campaign(campaign, by=world.users["leadership"])
    assert not Campaign.objects.exists()


def test_titles_are_checked_and_completed(world: World) -> None:
    campaign = services.new_campaign(world.school, start_year=2023)
    campaign.titles = ["CSTĐCS", "TTLĐXS"]
    services.save_campaign(campaign, by=world.users["leadership"])
    assert campaign.titles == ["LĐTT", "CSTĐCS", "TTLĐXS"]
    campaign.titles = ["Bằng khen"]
    with pytest.raises(EmulationError, match="Bằng khen"):
        services.save_campaign(campaign, by=world.users["leadership"])


def test_a_campaign_received_from_the_level_above(world: World) -> None:
    sgd = Organisation.objects.create(name="Sở Giáo dục và Đào tạo Mẫu", kind="department")
    campaign = services.new_campaign(world.school, start_year=2023)
    campaign.received_from = sgd
    services.save_campaign(campaign, by=world.users["leadership"])
    assert Campaign.objects.get(pk=campaign.pk).received_from == sgd
    campaign.received_from = world.office
    with pytest.raises(EmulationError, match="ngoài trường"):
        services.save_campaign(campaign, by=world.users["leadership"])


def test_launching_tells_everyone_in_the_school_but_the_launcher(cycle: Cycle) -> None:
    told = Notification.objects.filter(kind=NotificationKind.EMULATION_CAMPAIGN)
    users = set(told.values_list("user__username", flat=True))
    assert users == {"staff", "unit_head", "clerk", "colleague", "group_head", "faculty_head"}
    assert cycle.fresh().status == CampaignStatus.OPEN
    assert cycle.fresh().launched_on == dt.date(2023, 10, 2)
    with pytest.raises(EmulationError, match="đã được phát động"):
        services.launch_campaign(cycle.fresh(), by=cycle.users["leadership"])


def test_the_council_has_one_chair_and_only_the_schools_people(cycle: Cycle) -> None:
    by = cycle.users["leadership"]
    with pytest.raises(EmulationError, match="đã có Chủ tịch"):
        services.save_council_member(
            CouncilMember(
                campaign=cycle.campaign, person=cycle.people["staff"], role=CouncilRole.CHAIR
            ),
            by=by,
        )
    with pytest.raises(EmulationError, match="cán bộ, viên chức của trường"):
        services.save_council_member(
            CouncilMember(
                campaign=cycle.campaign, person=cycle.people["outsider"], role=CouncilRole.MEMBER
            ),
            by=by,
        )
    with pytest.raises(EmulationError, match="đã có trong Hội đồng"):
        services.save_council_member(
            CouncilMember(
                campaign=cycle.campaign, person=cycle.people["clerk"], role=CouncilRole.MEMBER
            ),
            by=by,
        )
    member = CouncilMember.objects.get(person=cycle.people["faculty_head"])
    services.remove_council_member(member, by=by)
    assert CouncilMember.objects.active().count() == 2
    assert CouncilMember.objects.get(pk=member.pk).is_archived  # kept, with its history
