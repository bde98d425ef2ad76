"""A campaign the Sở sent down, withdrawn (thu hồi) or corrected (đính chính): withdrawn, nothing is
deleted, every school it reached sees "Đã thu hồi" with the reason wherever it sees the campaign,
and no school takes it up or registers under it any more; corrected (slogan, targets, deadline)
only while no school's staff has registered under it, versioned, a stale form answered 409; the
recipients' leadership and clerks are told either way. Every role, and no 500 on bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.versioning import EditConflict
from emulation.models import Campaign, ProvinceCampaign, Registration
from emulation.services import province_campaigns as services
from emulation.services import registrations
from emulation.services.common import EmulationError
from emulation.tests.conftest import Cycle
from emulation.tests.upward_helpers import Upward
from notifications.models import Notification, NotificationKind
from province.models import Audience, DirectedSchool, SchoolLevel

OK, FOUND, FORBIDDEN, NOT_FOUND, CONFLICT = 200, 302, 403, 404, 409
REASON = "Phát động nhầm năm học, sẽ phát động lại"


def _launch(sgd, officer, start_year: int, day: dt.date) -> ProvinceCampaign:  # type: ignore[no-untyped-def]
    campaign = ProvinceCampaign(
        body=sgd,
        start_year=start_year,
        name="Phong trào “Đổi mới, sáng tạo trong dạy và học”",
        slogan="Đổi mới – Sáng tạo",
        targets="100% trường đăng ký thi đua",
        launched_on=day,
    )
    return services.launch_province_campaign(
        campaign, Audience.LEVEL, level=SchoolLevel.COLLEGE, by=officer
    )


def _told(*, about: str) -> set[str]:
    return set(
        Notification.objects.filter(
            kind=NotificationKind.EMULATION_CAMPAIGN, title__contains=about
        ).values_list("user__username", flat=True)
    )


@pytest.fixture
def answered(cycle: Cycle) -> tuple[Cycle, ProvinceCampaign]:
    """The Sở's campaign of 2023 sent to the world's school, answered by its open campaign."""
    world = cycle.world
    DirectedSchool.objects.create(body=cycle.sgd, school=world.school, level=SchoolLevel.COLLEGE)
    DirectedSchool.objects.create(
        body=cycle.sgd, school=world.other_school, level=SchoolLevel.UPPER_SECONDARY
    )
    sent = _launch(cycle.sgd, cycle.users["officer"], 2023, dt.date(2023, 9, 1))
    services.take_up(sent, world.school, by=cycle.users["leadership"])
    return cycle, sent


def test_a_correction_before_anyone_registered_is_kept_with_its_reason_and_told(
    answered: tuple[Cycle, ProvinceCampaign],
) -> None:
    cycle, sent = answered
    assert services.correctable(sent)
    sent.targets = "100% trường đăng ký thi đua\n70% giảng viên đạt LĐTT"
    sent.slogan = "Đổi mới – Sáng tạo – Hiệu quả"
    services.correct_province_campaign(
        sent, reason="Bổ sung chỉ tiêu", by=cycle.users["officer"], expected_version=1
    )
    fresh = ProvinceCampaign.objects.get(pk=sent.pk)
    assert fresh.version == 2 and len(fresh.target_lines) == 2
    assert fresh.history.latest().history_change_reason == "Đính chính: Bổ sung chỉ tiêu"
    assert fresh.history.earliest().slogan == "Đổi mới – Sáng tạo"
    # The school's leadership and clerk are told; nobody of the other school, not the Sở.
    assert _told(about="đính chính") == {"leadership", "clerk"}
    # A form opened at the first version is refused and writes nothing.
    sent.slogan = "Khác"
    with pytest.raises(EditConflict) as refused:
        services.correct_province_campaign(
            sent, reason="Lại", by=cycle.users["officer"], expected_version=1
        )
    assert refused.value.status == CONFLICT
    assert ProvinceCampaign.objects.get(pk=sent.pk).slogan == "Đổi mới – Sáng tạo – Hiệu quả"
    with pytest.raises(EmulationError, match="lý do"):
        services.correct_province_campaign(sent, reason="  ", by=cycle.users["officer"])


def test_no_correction_once_staff_registered_under_it_then_withdrawal_stops_registering(
    answered: tuple[Cycle, ProvinceCampaign],
) -> None:
    cycle, sent = answered
    kept = registrations.register(
        cycle.campaign, titles=["LĐTT"], commitments="", by=cycle.users["staff"]
    )
    assert not services.correctable(sent)
    sent.slogan = "Sửa muộn"
    with pytest.raises(EmulationError, match="thu hồi phong trào"):
        services.correct_province_campaign(sent, reason="Sửa", by=cycle.users["officer"])

    services.withdraw_province_campaign(sent, reason=f"  {REASON} ", by=cycle.users["officer"])
    fresh = ProvinceCampaign.objects.get(pk=sent.pk)
    assert fresh.is_withdrawn and fresh.withdrawal_reason == REASON
    assert fresh.withdrawn_by == cycle.users["officer"] and not fresh.is_archived
    assert fresh.history.latest().history_change_reason == f"Thu hồi: {REASON}"
    assert _told(about="thu hồi") == {"leadership", "clerk"}
    # Nothing deleted: the school's campaign and the registration made stay.
    assert Campaign.objects.get(pk=cycle.campaign.pk).province_campaign_id == sent.pk
    assert Registration.objects.active().filter(pk=kept.pk).exists()
    # No new registration under it, no taking up, no sending further, no second withdrawal.
    with pytest.raises(EmulationError, match="thu hồi"):
        registrations.register(
            cycle.fresh(), titles=["LĐTT"], commitments="", by=cycle.users["colleague"]
        )
    with pytest.raises(EmulationError, match="thu hồi"):
        services.take_up(fresh, cycle.world.school, by=cycle.users["leadership"])
    with pytest.raises(EmulationError, match="thu hồi"):
        services.send_province_campaign(fresh, Audience.ALL, by=cycle.users["officer"])
    with pytest.raises(EmulationError, match="đã được thu hồi"):
        services.withdraw_province_campaign(fresh, reason="Lần nữa", by=cycle.users["officer"])
    with pytest.raises(EmulationError):
        services.correct_province_campaign(fresh, reason="Sửa", by=cycle.users["officer"])


ROLES = ["officer", "sgd_clerk", "sgd_member", "leadership", "clerk", "staff", "outsider"]


@pytest.fixture
def sent_down(upward: Upward) -> tuple[Upward, ProvinceCampaign]:
    """The Sở's campaign of 2024 sent to the colleges (the world's school, not the outsider's)."""
    upward.council.cycle.clock.set(dt.date(2024, 10, 9))
    return upward, _launch(upward.sgd, upward.users["officer"], 2024, dt.date(2024, 10, 9))


def test_the_correction_page_for_each_role_its_stale_form_and_bad_posts(
    sent_down: tuple[Upward, ProvinceCampaign],
) -> None:
    upward, sent = sent_down
    address = reverse("emulation:province_campaign_correct", args=[sent.pk])
    expected = {
        "officer": OK,
        "sgd_clerk": OK,
        "sgd_member": FORBIDDEN,
        "leadership": FORBIDDEN,
        "clerk": FORBIDDEN,
        "staff": FORBIDDEN,
        "outsider": NOT_FOUND,
    }
    assert {role: upward.client(role).get(address).status_code for role in ROLES} == expected
    assert upward.client("anonymous").get(address).status_code == FOUND
    for role in ("sgd_member", "leadership", "staff", "outsider"):
        upward.client(role).post(address, {"slogan": "X", "targets": "Y", "reason": "Z"})
    assert ProvinceCampaign.objects.get(pk=sent.pk).version == 1

    officer = upward.client("officer")
    # Bad posts: the form again, never a 500.
    for data in (
        {},
        {"targets": "", "reason": "R", "version": "1"},
        {"targets": "A", "reason": "R", "version": "x"},
        {"targets": "A", "reason": "R", "version": "1", "registration_closes": "32/13/2024"},
        {"targets": "A", "reason": "R", "version": "1", "registration_closes": "01/01/2020"},
        {"targets": "A", "reason": "\x00", "version": "1"},
    ):
        response = officer.post(address, data)
        assert response.status_code in (OK, 400), data
    assert ProvinceCampaign.objects.get(pk=sent.pk).version == 1
    good = {"slogan": "Mới", "targets": "Chỉ tiêu mới", "reason": "Sai chính tả", "version": "1"}
    assert upward.client("sgd_clerk").post(address, good).status_code == FOUND
    stale = officer.post(address, {**good, "slogan": "Cũ"})
    assert stale.status_code == CONFLICT
    assert "vừa được" in stale.content.decode()
    assert ProvinceCampaign.objects.get(pk=sent.pk).slogan == "Mới"
    # The school sees the corrected text.
    page = upward.client("staff").get(reverse("emulation:province_campaign", args=[sent.pk]))
    assert "Chỉ tiêu mới" in page.content.decode()


def test_the_withdrawal_for_each_role_and_what_each_school_then_sees(
    sent_down: tuple[Upward, ProvinceCampaign],
) -> None:
    upward, sent = sent_down
    address = reverse("emulation:province_campaign_withdraw", args=[sent.pk])
    for role, status in (
        ("sgd_member", FORBIDDEN),
        ("leadership", FORBIDDEN),
        ("clerk", FORBIDDEN),
        ("staff", FORBIDDEN),
        ("outsider", NOT_FOUND),
    ):
        assert upward.client(role).post(address, {"withdraw-reason": REASON}).status_code == status
    assert upward.client("anonymous").post(address, {}).status_code == FOUND
    assert not ProvinceCampaign.objects.get(pk=sent.pk).is_withdrawn
    officer = upward.client("officer")
    assert officer.post(address, {}).status_code == FOUND  # no reason: told, nothing done
    assert officer.post(address, {"withdraw-reason": " "}).status_code == FOUND
    assert not ProvinceCampaign.objects.get(pk=sent.pk).is_withdrawn
    # The school answered before the withdrawal.
    upward.client("leadership").post(reverse("emulation:province_campaign_take_up", args=[sent.pk]))
    own = Campaign.objects.get(province_campaign=sent)
    assert upward.client("sgd_clerk").post(address, {"withdraw-reason": REASON}).status_code == (
        FOUND
    )
    assert ProvinceCampaign.objects.get(pk=sent.pk).withdrawal_reason == REASON
    again = officer.post(address, {"withdraw-reason": REASON}, follow=True)
    assert again.status_code == OK and "đã được thu hồi" in again.content.decode()

    detail = reverse("emulation:province_campaign", args=[sent.pk])
    for role in ("officer", "leadership", "staff"):
        page = upward.client(role).get(detail).content.decode()
        assert "Đã thu hồi" in page and REASON in page, role
    school_page = upward.client("leadership").get(detail).content.decode()
    assert 'id="take-up"' not in school_page
    listing = upward.client("staff").get(reverse("emulation:province_campaigns")).content.decode()
    assert "Đã thu hồi" in listing and REASON in listing
    home = upward.client("staff").get(reverse("emulation:home")).content.decode()
    assert "Đã thu hồi" in home
    own_page = upward.client("staff").get(reverse("emulation:campaign", args=[own.pk]))
    assert "Đã thu hồi" in own_page.content.decode() and REASON in own_page.content.decode()
    # Past a withdrawal the correction page sends back with a message.
    correct = reverse("emulation:province_campaign_correct", args=[sent.pk])
    assert officer.get(correct).status_code == FOUND
    assert upward.client("outsider").get(detail).status_code == NOT_FOUND
