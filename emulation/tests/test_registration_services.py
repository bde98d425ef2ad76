"""Registering (đăng ký thi đua): each person for themselves in the window, the unit's head
consolidating the list (returning one to be redone) and sending it, which locks it."""

from __future__ import annotations

import datetime as dt

import pytest

from emulation.models import CampaignUnit, Registration, RegistrationStatus
from emulation.services import registrations as services
from emulation.services.common import EmulationError
from emulation.tests.conftest import Cycle
from notifications.models import Notification, NotificationKind


def told(username: str) -> list[str]:
    return list(
        Notification.objects.filter(
            user__username=username, kind=NotificationKind.EMULATION_REGISTRATION
        ).values_list("title", flat=True)
    )


def test_a_person_registers_in_their_unit_with_the_titles_a_higher_one_needs(
    cycle: Cycle,
) -> None:
    registration = services.register(
        cycle.campaign,
        titles=["CSTĐCS"],
        commitments=" Có sáng kiến cấp cơ sở. ",
        by=cycle.users["staff"],
    )
    assert registration.person == cycle.people["staff"]
    assert registration.unit == cycle.world.faculty  # Tổ Toán is inside Khoa Tự nhiên
    assert registration.titles == ["LĐTT", "CSTĐCS"]
    assert registration.commitments == "Có sáng kiến cấp cơ sở."
    # The heads of the unit are told (the faculty's head; the group's head heads only the group).
    assert told("faculty_head") == ["Hoàng Văn An đăng ký thi đua: LĐTT, CSTĐCS"]
    assert told("group_head") == []
    again = services.register(
        cycle.campaign, titles=["LĐTT"], commitments="", by=cycle.users["staff"]
    )
    assert again.pk == registration.pk and again.titles == ["LĐTT"]
    assert len(told("faculty_head")) == 1  # a change is not news


def test_collective_titles_are_not_for_a_person_and_the_window_is_kept(cycle: Cycle) -> None:
    with pytest.raises(EmulationError, match="không được xét"):
        services.register(
            cycle.campaign, titles=["TTLĐXS"], commitments="", by=cycle.users["staff"]
        )
    with pytest.raises(EmulationError, match="ít nhất một danh hiệu"):
        services.register(cycle.campaign, titles=[], commitments="", by=cycle.users["staff"])
    cycle.clock.set(dt.date(2023, 10, 16))
    with pytest.raises(
        EmulationError, match="Thời hạn đăng ký thi đua là từ 15/09/2023 đến 15/10/2023"
    ):
        services.register(cycle.campaign, titles=["LĐTT"], commitments="", by=cycle.users["staff"])
    with pytest.raises(EmulationError, match="hồ sơ cán bộ"):
        cycle.clock.set(dt.date(2023, 10, 2))
        services.register(
            cycle.campaign, titles=["LĐTT"], commitments="", by=cycle.users["outsider"]
        )
    assert not Registration.objects.exists()


def test_a_unit_registers_one_collective_title(cycle: Cycle) -> None:
    head = cycle.users["unit_head"]
    office = cycle.world.office
    with pytest.raises(EmulationError, match="một danh hiệu tập thể"):
        services.register_unit(
            cycle.campaign, office, titles=["TTLĐTT", "TTLĐXS"], commitments="", by=head
        )
    registration = services.register_unit(
        cycle.campaign, office, titles=["TTLĐXS"], commitments="100% đạt LĐTT", by=head
    )
    assert registration.is_collective and registration.titles == ["TTLĐXS"]
    with pytest.raises(EmulationError, match="thuộc trường"):
        services.register_unit(
            cycle.campaign, cycle.world.school, titles=["TTLĐTT"], commitments="", by=head
        )


def test_the_head_returns_one_consolidates_the_list_and_sends_it(cycle: Cycle) -> None:
    campaign, head = cycle.campaign, cycle.users["faculty_head"]
    staff = services.register(campaign, titles=["LĐTT"], commitments="", by=cycle.users["staff"])
    services.register(campaign, titles=["CSTĐCS"], commitments="", by=cycle.users["colleague"])
    services.return_registration(staff, note="Ghi rõ cam kết về giờ giảng.", by=head)
    assert told("staff") == ["Đăng ký thi đua của bạn cần sửa lại"]
    assert Registration.objects.get(pk=staff.pk).status == RegistrationStatus.RETURNED
    with pytest.raises(EmulationError, match="Còn 1 đăng ký đang chờ"):
        services.submit_unit_list(campaign, cycle.world.faculty, note="", by=head)
    services.register(
        campaign, titles=["LĐTT"], commitments="Dạy đủ 280 giờ chuẩn.", by=cycle.users["staff"]
    )
    assert len(told("faculty_head")) == 3  # both registrations, and the one redone
    part = services.submit_unit_list(campaign, cycle.world.faculty, note="Đủ danh sách.", by=head)
    assert part.registrations_submitted
    statuses = set(
        Registration.objects.filter(unit=cycle.world.faculty).values_list("status", flat=True)
    )
    assert statuses == {RegistrationStatus.CONFIRMED}
    assert told("leadership") == ["Khoa Tự nhiên gửi danh sách đăng ký thi đua (2 đăng ký)"]
    with pytest.raises(EmulationError, match="đã gửi Ban giám hiệu"):
        services.register(campaign, titles=["CSTĐCS"], commitments="", by=cycle.users["staff"])
    with pytest.raises(EmulationError, match="Hãy ghi lý do"):
        services.reopen_unit_list(part, reason=" ", by=head)
    services.reopen_unit_list(part, reason="Bổ sung người mới chuyển đến", by=head)
    services.register(campaign, titles=["CSTĐCS"], commitments="", by=cycle.users["staff"])
    assert not CampaignUnit.objects.get(pk=part.pk).registrations_submitted


def test_a_withdrawn_registration_is_archived_not_deleted(cycle: Cycle) -> None:
    registration = services.register(
        cycle.campaign, titles=["LĐTT"], commitments="", by=cycle.users["staff"]
    )
    services.withdraw_registration(registration, by=cycle.users["staff"])
    assert Registration.objects.get(pk=registration.pk).is_archived
    assert not Registration.objects.active().exists()
    services.register(cycle.campaign, titles=["LĐTT"], commitments="", by=cycle.users["staff"])
    assert Registration.objects.active().count() == 1
