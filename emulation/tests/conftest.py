"""The `world` school running its 2023–2024 campaign: launched, with a council, and a clock the
tests set (`clock.set(day)`), since every window of the cycle is a date.

Besides the world's roles: a colleague of the staff member in Tổ Toán, the head of Tổ Toán
(`group_head`) and the head of Khoa Tự nhiên (`faculty_head`), and an officer of the Sở GD&ĐT
above the schools (leadership there, a stranger here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from conftest import World, make_person
from emulation.models import Campaign, CouncilMember, CouncilRole
from emulation.services import campaigns as campaign_services
from organisations.models import Organisation, Role

REGISTRATION_DAY = dt.date(2023, 10, 2)
ASSESSMENT_DAY = dt.date(2024, 5, 10)
REVIEW_DAY = dt.date(2024, 5, 18)


class Clock:
    """Sets the school's today (core.clock reads timezone.localdate at each call)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.day = REGISTRATION_DAY
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: self.day)

    def set(self, day: dt.date) -> None:
        self.day = day


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    yield Clock(monkeypatch)


@dataclass
class Cycle:
    world: World
    campaign: Campaign
    clock: Clock
    sgd: Organisation

    @property
    def users(self) -> dict[str, Any]:
        return self.world.users

    @property
    def people(self) -> dict[str, Any]:
        return self.world.people

    def client(self, role: str) -> Any:
        return self.world.client(role)

    def fresh(self) -> Campaign:
        return Campaign.objects.get(pk=self.campaign.pk)


@pytest.fixture
def cycle(world: World, clock: Clock) -> Cycle:
    sgd = Organisation.objects.create(name="Sở Giáo dục và Đào tạo Mẫu", kind="department")
    world.people["officer"], world.users["officer"] = make_person(
        sgd, sgd, "Trần Văn Sở", "officer", "Giám đốc Sở", Role.LEADERSHIP
    )
    for key, unit, name, title, role in (
        ("colleague", world.group, "Lê Thị Bình", "Giảng viên", Role.MEMBER),
        ("group_head", world.group, "Đặng Văn Cường", "Tổ trưởng", Role.HEAD),
        ("faculty_head", world.faculty, "Vũ Thị Dung", "Trưởng khoa", Role.HEAD),
    ):
        world.people[key], world.users[key] = make_person(
            world.school, unit, name, key, title, role
        )
    leader = world.users["leadership"]
    campaign = campaign_services.new_campaign(world.school, start_year=2023)
    campaign_services.save_campaign(campaign, by=leader)
    campaign_services.launch_campaign(campaign, by=leader)
    for person, role, title in (
        (world.people["leadership"], CouncilRole.CHAIR, "Hiệu trưởng"),
        (world.people["clerk"], CouncilRole.SECRETARY, "Văn thư"),
        (world.people["faculty_head"], CouncilRole.MEMBER, "Trưởng khoa"),
    ):
        campaign_services.save_council_member(
            CouncilMember(campaign=campaign, person=person, role=role, title=title), by=leader
        )
    return Cycle(world=world, campaign=campaign, clock=clock, sgd=sgd)


# The council's fixtures (emulation/tests/council_helpers.py) build on the cycle above.
from emulation.tests.council_helpers import cheap_ballot_keys, council  # noqa: E402, F401
from emulation.tests.upward_helpers import upward  # noqa: E402, F401
